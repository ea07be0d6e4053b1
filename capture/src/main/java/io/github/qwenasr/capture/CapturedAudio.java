package io.github.qwenasr.capture;

/**
 * One block of captured audio at 16 kHz mono, and how much audio was dropped just before it because
 * the consumer fell behind (docs/modes.md 7.1).
 */
public final class CapturedAudio {
    private final float[] samples;
    private final long droppedBefore;
    private final long startSample;

    CapturedAudio(float[] samples, long droppedBefore, long startSample) {
        this.samples = samples;
        this.droppedBefore = droppedBefore;
        this.startSample = startSample;
    }

    /** The samples (a copy). */
    public float[] samples() {
        return samples.clone();
    }

    /** The samples themselves, for the capture's own bookkeeping. */
    float[] samplesShared() {
        return samples;
    }

    /** Number of samples. */
    public int length() {
        return samples.length;
    }

    /** Samples dropped right before this block (0 when the consumer kept up). */
    public long droppedBefore() {
        return droppedBefore;
    }

    /** Seconds dropped right before this block. */
    public double droppedSecondsBefore() {
        return droppedBefore / (double) AudioCapture.SAMPLE_RATE;
    }

    /** Where the block starts on the capture's time line (16 kHz samples since the capture started, drops included). */
    public long startSample() {
        return startSample;
    }
}
