package io.github.qwenasr.stream;

import io.github.qwenasr.FinishReason;
import java.util.List;

/**
 * What a streaming session knows after a push or finish (docs/modes.md 6.6). Immutable.
 *
 * @param committedDelta text committed by this call: appended to everything committed before,
 *                       never revised; always whole UTF-8 characters
 * @param committedText  all text committed so far (the concatenation of every delta)
 * @param tentativeText  the current hypothesis beyond the committed text; may change or vanish
 * @param language       detected (or forced) language, "" while unknown
 * @param chunks         decoding steps run so far
 * @param stepMillis     wall time of each step run by this call, in order
 * @param finished       true after finish(): committedText is then the whole transcript
 * @param finishReason   how the stream ended (see {@link StreamStats#finishReason()}); null until finished
 */
public record StreamUpdate(String committedDelta, String committedText, String tentativeText, String language,
                           int chunks, List<Double> stepMillis, boolean finished, FinishReason finishReason) {
    public StreamUpdate {
        stepMillis = List.copyOf(stepMillis);
    }
}
