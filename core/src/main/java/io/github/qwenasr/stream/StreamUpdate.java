package io.github.qwenasr.stream;

/**
 * What a streaming session knows after a push or finish (docs/modes.md 6.6).
 *
 * @param committedDelta text committed by this call: appended to everything committed before,
 *                       never revised; always whole UTF-8 characters
 * @param committedText  all text committed so far (the concatenation of every delta)
 * @param tentativeText  the current hypothesis beyond the committed text; may change or vanish
 * @param language       detected (or forced) language, "" while unknown
 * @param chunks         decoding steps run so far
 * @param stepMillis     wall time of each step run by this call, in order
 * @param finished       true after finish(): committedText is then the whole transcript
 */
public record StreamUpdate(String committedDelta, String committedText, String tentativeText, String language,
                           int chunks, double[] stepMillis, boolean finished) {}
