package io.github.qwenasr.stream;

import io.github.qwenasr.FinishReason;

/**
 * Cumulative cost of a streaming session (docs/modes.md 1.5 definitions): what the CLI's stats lines
 * and benchmarks report, and how the stream ended.
 *
 * @param steps           decoding steps run
 * @param encodeMillis    mel + encoder time over all steps
 * @param prefillMillis   prompt passes (reused rows skipped) over all steps
 * @param decodeMillis    greedy generation after each prefill, over all steps
 * @param stepMillis      wall time of all steps (the three above plus bookkeeping)
 * @param promptTokens    input rows of every decoding step's prompt, summed (reused rows included)
 * @param generated       tokens generated over all steps (re-decoded rollback tails included)
 * @param committedTokens text tokens committed (the streaming "text tokens")
 * @param reanchors       re-anchors so far (docs/modes.md 6.8): the degeneracy guard's and the periodic ones
 * @param finishReason    null until the session is finished; then {@link FinishReason#REPETITION} when
 *                        the degeneracy guard re-anchored the stream, else {@link FinishReason#LENGTH}
 *                        when the last step ended at its token limit, else {@link FinishReason#EMPTY}
 *                        without text, else {@link FinishReason#STOP}
 */
public record StreamStats(int steps, double encodeMillis, double prefillMillis, double decodeMillis,
                          double stepMillis, long promptTokens, long generated, long committedTokens, int reanchors,
                          FinishReason finishReason) {}
