package io.github.qwenasr.align;

/**
 * The forced aligner's package-private input ids, for the Japanese equivalence test of this module
 * (its tests run on the class path, where this package is the core's).
 */
public final class AlignerInputIds {
    private AlignerInputIds() {
    }

    public static int[] of(ForcedAligner aligner, int samples16k, String text, String language) {
        return aligner.inputIds(samples16k, text, language);
    }
}
