package io.github.qwenasr.vad;

import io.github.qwenasr.QwenAsrException;
import java.util.Arrays;

/**
 * A frame-by-frame speech detector over 16 kHz mono audio. Frames are fed in order and the
 * detector may carry state from one to the next (the Silero network does); {@link #reset()} starts
 * a new stream. An instance serves one stream at a time and is not thread-safe.
 *
 * <p>Per frame it gives a speech probability in [0, 1] ({@link EnergyVad} gives only 0 or 1); a
 * {@link UtteranceSegmenter} from {@link #newSegmenter()} turns the probabilities into speech
 * regions with the rules that belong to the detector.
 */
public interface VoiceActivityDetector {
    /** The only sample rate the detectors take. */
    int SAMPLE_RATE = 16_000;

    /** Samples per frame. */
    int frameSamples();

    /**
     * Speech probability of the next frame, which must hold exactly {@link #frameSamples()}
     * finite samples.
     *
     * @throws QwenAsrException for a frame of another length or with NaN or infinite samples
     */
    float speechProbability(float[] frame);

    /** Forgets all state: the next frame starts a new stream. */
    void reset();

    /** A segmenter with this detector's default rules, for probabilities from this detector. */
    UtteranceSegmenter newSegmenter();

    /**
     * Probabilities of every frame of a whole buffer, from a fresh state: frame k covers samples
     * [k * frameSamples(), (k + 1) * frameSamples()), the last one zero-padded (as the silero-vad
     * package frames audio). The detector's state afterwards is that of the last frame.
     *
     * @throws QwenAsrException for a sample rate other than 16 kHz or non-finite samples
     */
    default float[] probabilities(float[] audio, int sampleRate) {
        if (sampleRate != SAMPLE_RATE) {
            throw new QwenAsrException("voice activity detection needs 16000 Hz audio, got " + sampleRate
                    + " Hz (resample it first)");
        }
        int n = frameSamples();
        int frames = (int) ((audio.length + (long) n - 1) / n);
        float[] out = new float[frames];
        float[] frame = new float[n];
        reset();
        for (int k = 0; k < frames; k++) {
            int from = k * n;
            int len = Math.min(n, audio.length - from);
            System.arraycopy(audio, from, frame, 0, len);
            if (len < n) Arrays.fill(frame, len, n, 0f);
            out[k] = speechProbability(frame);
        }
        return out;
    }
}
