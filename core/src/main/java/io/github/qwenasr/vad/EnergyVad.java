package io.github.qwenasr.vad;

import io.github.qwenasr.QwenAsrException;

/**
 * The seed engine's voice activity detector (docs/modes.md 7.4): a 30 ms frame (480 samples) is speech
 * when its RMS reaches a threshold, by default 0.001 (about -60 dBFS). Its probability is 1 or 0;
 * the hangover and the other utterance rules are {@link EnergySegmenter}'s. Stateless: frames may
 * come in any order.
 */
public final class EnergyVad implements VoiceActivityDetector {
    /** 30 ms at 16 kHz. */
    public static final int FRAME_SAMPLES = 480;
    /** The seed's threshold, RMS on the [-1, 1] scale. */
    public static final double DEFAULT_THRESHOLD = 0.001;

    private final double threshold;
    private final EnergySegmenter.Options segmenterOptions;

    /** The seed's detector and utterance rules. */
    public EnergyVad() {
        this(DEFAULT_THRESHOLD, EnergySegmenter.Options.DEFAULTS);
    }

    /**
     * @param threshold        RMS from which a frame is speech, in (0, 1]
     * @param segmenterOptions rules of the segmenters this detector hands out
     */
    public EnergyVad(double threshold, EnergySegmenter.Options segmenterOptions) {
        if (!(threshold > 0 && threshold <= 1)) throw new QwenAsrException("energy VAD threshold must be in (0, 1], got " + threshold);
        this.threshold = threshold;
        this.segmenterOptions = segmenterOptions;
    }

    public double threshold() {
        return threshold;
    }

    @Override
    public int frameSamples() {
        return FRAME_SAMPLES;
    }

    /** Root mean square of one frame (computed in double). */
    public static double rms(float[] frame) {
        double sum = 0;
        for (float v : frame) sum += (double) v * v;
        return frame.length == 0 ? 0 : Math.sqrt(sum / frame.length);
    }

    @Override
    public float speechProbability(float[] frame) {
        if (frame.length != FRAME_SAMPLES) {
            throw new QwenAsrException("energy VAD takes frames of " + FRAME_SAMPLES + " samples (30 ms at 16 kHz), got " + frame.length);
        }
        for (float v : frame) {
            if (!Float.isFinite(v)) throw new QwenAsrException("audio contains NaN or infinite samples");
        }
        return rms(frame) >= threshold ? 1f : 0f;
    }

    @Override
    public void reset() {
        // No state.
    }

    @Override
    public EnergySegmenter newSegmenter() {
        return new EnergySegmenter(segmenterOptions);
    }
}
