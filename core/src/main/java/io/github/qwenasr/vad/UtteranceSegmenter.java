package io.github.qwenasr.vad;

import java.util.List;

/**
 * Turns per-frame speech probabilities into speech regions, one frame at a time, so that live
 * audio gets each utterance as soon as its end is certain. Feeding every frame of a buffer and
 * then {@link #finish(long)} gives the same regions as the whole-buffer rules.
 */
public interface UtteranceSegmenter {
    /** Samples per frame the probabilities describe. */
    int frameSamples();

    /**
     * Takes the probability of the next frame.
     *
     * @return the regions that became final with this frame (usually none), in order
     */
    List<SpeechRegion> accept(float probability);

    /**
     * Ends the audio after {@code totalSamples} samples, which must lie within the last frame fed
     * (or be 0 when none was), and returns the regions still open or pending. The segmenter must
     * be {@link #reset()} before it takes more frames.
     */
    List<SpeechRegion> finish(long totalSamples);

    /** Whether a speech region is open at the last frame fed. */
    boolean inSpeech();

    /** Forgets everything: the next frame is frame 0 of a new stream. */
    void reset();
}
