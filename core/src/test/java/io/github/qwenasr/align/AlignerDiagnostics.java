package io.github.qwenasr.align;

import io.github.qwenasr.EncoderAttention;

/** The forced aligner's package-private diagnostics, for the equivalence tests of other packages. */
public final class AlignerDiagnostics {
    private AlignerDiagnostics() {
    }

    /** The input ids {@code align} builds for this audio length and transcript (docs/model.md 7.3). */
    public static int[] inputIds(ForcedAligner aligner, int samples16k, String text, String language) {
        return aligner.inputIds(samples16k, text, language);
    }

    /** Head logits at the given positions of the input built for {@code text}. */
    public static float[] logitsAt(ForcedAligner aligner, float[] samples16k, String text, String language,
                                   EncoderAttention attention, int[] positions) {
        return aligner.logitsAt(samples16k, text, language, attention, positions);
    }
}
