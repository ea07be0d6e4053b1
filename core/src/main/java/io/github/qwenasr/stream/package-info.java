/**
 * True streaming transcription (docs/modes.md 6): {@link io.github.qwenasr.stream.StreamingSession}
 * takes PCM as it arrives and runs the C engine's per-chunk algorithm with its defects fixed
 * (12.4): an encoder window cache with eviction, prefix rollback with a cap, prefill reuse by row
 * identity, repeated-run suppression, the lcp + overlap de-dup commit rule, degeneracy,
 * stagnation and periodic re-anchoring that resets the committed list, a final flush that always
 * commits the whole hypothesis, UTF-8 carried across tokens, and bounded memory.
 *
 * <p>Where the Java engine deliberately differs from the C engine (see {@link
 * io.github.qwenasr.stream.StreamingSession}): the final flush always commits (no re-anchor on
 * the final step; a periodic re-anchor takes effect at the next step), the rollback never erodes
 * the language header, a candidate that only got shorter does not shrink the committed list (no
 * re-emission of the same tokens), cold-start steps do not count towards stagnation, and the raw
 * history is trimmed instead of growing until the next re-anchor.
 *
 * <p>Guarantees the tests check: committed text only grows and each delta is its new suffix; a
 * stream of at most one chunk and one encoder window (8 s) gives exactly the offline text when
 * offline decoding is limited to the same number of new tokens; with conditioning, the finished
 * text is the decode of the last step's prefix and continuation as long as no re-anchor or
 * revision happened; prefill reuse does not change the tokens; with a model that continues any
 * prefix with the true transcript, the finished text is exactly that transcript, through
 * rollback, prefix capping, history trimming, pauses, re-anchors and split UTF-8 characters.
 */
package io.github.qwenasr.stream;
