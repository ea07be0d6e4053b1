package io.github.qwenasr.vad;

import io.github.qwenasr.QwenAsrException;

/**
 * A stretch of speech found by a segmenter, in samples of the 16 kHz audio it was found in.
 *
 * @param startSample first sample of the region
 * @param endSample   sample after the last one (exclusive), never before {@code startSample}
 */
public record SpeechRegion(long startSample, long endSample) {
    public SpeechRegion {
        if (startSample < 0 || endSample < startSample) {
            throw new QwenAsrException("bad speech region [" + startSample + ", " + endSample + ")");
        }
    }

    /** Start in seconds. */
    public double startSeconds() {
        return startSample / (double) VoiceActivityDetector.SAMPLE_RATE;
    }

    /** End in seconds. */
    public double endSeconds() {
        return endSample / (double) VoiceActivityDetector.SAMPLE_RATE;
    }

    /** Length in samples. */
    public long samples() {
        return endSample - startSample;
    }
}
