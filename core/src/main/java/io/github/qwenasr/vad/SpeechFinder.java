package io.github.qwenasr.vad;

import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.audio.AudioSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Speech regions of 16 kHz audio that arrives in blocks of any size: cuts it into the detector's
 * frames, runs the detector and hands each probability to the segmenter, which releases a region
 * as soon as it is final. The frames are those of {@link VoiceActivityDetector#probabilities}
 * (frame k covers samples [k n, (k + 1) n), the last one zero-padded at {@link #finish()}), so the
 * regions do not depend on how the audio was cut into blocks: pushing a recording in any pieces
 * gives the regions of the whole. Holds one frame of audio. Not thread-safe.
 */
public final class SpeechFinder {
    /** Samples read at a time by {@link #regions(AudioSource, VoiceActivity)}: 10 s. */
    private static final int READ_BLOCK = 160_000;

    private final VoiceActivityDetector detector;
    private final UtteranceSegmenter segmenter;
    private final float[] frame;
    private int filled;
    private long samples;
    private boolean finished;

    /** A finder with a fresh detector and segmenter of {@code rules}. */
    public SpeechFinder(VoiceActivity rules) {
        this(rules.newDetector(), rules.newSegmenter());
    }

    /**
     * A finder over a detector and a segmenter for its probabilities; both are reset.
     *
     * @throws QwenAsrException when their frame lengths differ
     */
    public SpeechFinder(VoiceActivityDetector detector, UtteranceSegmenter segmenter) {
        if (detector.frameSamples() != segmenter.frameSamples()) {
            throw new QwenAsrException("the segmenter takes frames of " + segmenter.frameSamples()
                    + " samples, the detector gives " + detector.frameSamples());
        }
        this.detector = detector;
        this.segmenter = segmenter;
        this.frame = new float[detector.frameSamples()];
        detector.reset();
        segmenter.reset();
    }

    /** The speech regions of a whole source (read 10 s at a time), by {@code rules}. */
    public static List<SpeechRegion> regions(AudioSource audio, VoiceActivity rules) {
        SpeechFinder finder = new SpeechFinder(rules);
        List<SpeechRegion> out = new ArrayList<>();
        float[] block = new float[READ_BLOCK];
        for (int pos = 0; pos < audio.length(); pos += READ_BLOCK) {
            int n = Math.min(READ_BLOCK, audio.length() - pos);
            audio.read(pos, block, 0, n);
            out.addAll(finder.push(block, 0, n));
        }
        out.addAll(finder.finish());
        return List.copyOf(out);
    }

    /**
     * Takes the next samples and returns the regions that became final (usually none), in order,
     * in samples since the first one pushed.
     *
     * @throws QwenAsrException for NaN or infinite samples, or after {@link #finish()}
     */
    public List<SpeechRegion> push(float[] samples16k, int offset, int length) {
        if (finished) throw new QwenAsrException("speech finder already finished");
        java.util.Objects.checkFromIndexSize(offset, length, samples16k.length);
        List<SpeechRegion> out = List.of();
        int end = offset + length;
        while (offset < end) {
            int n = Math.min(end - offset, frame.length - filled);
            System.arraycopy(samples16k, offset, frame, filled, n);
            filled += n;
            offset += n;
            samples += n;
            if (filled == frame.length) {
                List<SpeechRegion> released = segmenter.accept(detector.speechProbability(frame));
                filled = 0;
                if (!released.isEmpty()) {
                    if (out.isEmpty()) out = new ArrayList<>(released.size());
                    out.addAll(released);
                }
            }
        }
        return out;
    }

    /** {@link #push(float[], int, int)} of a whole array. */
    public List<SpeechRegion> push(float[] samples16k) {
        return push(samples16k, 0, samples16k.length);
    }

    /**
     * Ends the audio: runs the last partial frame zero-padded and returns the regions still open or
     * pending. Later pushes fail.
     */
    public List<SpeechRegion> finish() {
        if (finished) throw new QwenAsrException("speech finder already finished");
        finished = true;
        List<SpeechRegion> out = new ArrayList<>();
        if (filled > 0) {
            Arrays.fill(frame, filled, frame.length, 0f);
            out.addAll(segmenter.accept(detector.speechProbability(frame)));
            filled = 0;
        }
        out.addAll(segmenter.finish(samples));
        return out;
    }

    /** Samples pushed so far. */
    public long samples() {
        return samples;
    }

    /** Whether speech is going on at the last complete frame. */
    public boolean inSpeech() {
        return segmenter.inSpeech();
    }
}
