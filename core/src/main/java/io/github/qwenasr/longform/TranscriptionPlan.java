package io.github.qwenasr.longform;

import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.TranscribeOptions;
import io.github.qwenasr.audio.AudioSource;
import io.github.qwenasr.mel.LogMel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntUnaryOperator;

/**
 * What one offline transcription decodes, worked out once before any decoding: the audio after
 * silence compaction (docs/modes.md 5) with its {@link TimeMap}, then either the official pieces
 * (docs/model.md 5.8: at most {@link TranscribeOptions#maxPieceSeconds()} each) or the segments of
 * segmented mode (docs/modes.md 4), each with its bounds in the compacted audio, its span on the
 * original recording, and the padded length, mel frames and encoder rows its decode takes.
 * Building it reads only the few seconds around each cut (and, with silence skipping, one pass
 * over the input); the parts' samples are read when they are decoded ({@link #samples}).
 */
public final class TranscriptionPlan {
    /** Samples per second of the model input. */
    public static final int SAMPLE_RATE = AudioSplitter.SAMPLE_RATE;

    /**
     * One stretch decoded on its own.
     *
     * @param index          position in the plan, from 0
     * @param start          first sample in the (compacted) audio
     * @param end            end sample (exclusive) in the (compacted) audio
     * @param startSeconds   where it starts on the original recording
     * @param endSeconds     where it ends on the original recording
     * @param decodedSamples samples its decode reads: its length, zero-padded to 0.5 s where the rule asks
     * @param melFrames      log-mel frames of the decoded samples
     * @param encoderTokens  encoder rows (audio tokens of the prompt) of the decoded samples
     */
    public record Part(int index, int start, int end, double startSeconds, double endSeconds, int decodedSamples,
                       int melFrames, int encoderTokens) {
        public int length() {
            return end - start;
        }
    }

    private final AudioSource audio;
    private final TimeMap map;
    private final int originalSamples;
    private final boolean silenceSkipped;
    private final boolean segmented;
    private final List<Segmenter.Range> ranges;
    private final List<Part> parts;

    private TranscriptionPlan(AudioSource audio, TimeMap map, int originalSamples, boolean silenceSkipped,
                              boolean segmented, List<Segmenter.Range> ranges, List<Part> parts) {
        this.audio = audio;
        this.map = map;
        this.originalSamples = originalSamples;
        this.silenceSkipped = silenceSkipped;
        this.segmented = segmented;
        this.ranges = ranges;
        this.parts = parts;
    }

    /**
     * The plan for {@code input} (16 kHz mono) under {@code options}.
     *
     * @param encoderTokens the encoder rows the model makes of a given number of mel frames
     * @throws QwenAsrException when the audio is empty, or a segment would exceed the piece limit
     */
    public static TranscriptionPlan of(AudioSource input, TranscribeOptions options, IntUnaryOperator encoderTokens) {
        if (input.length() == 0) throw new QwenAsrException("audio is empty");
        AudioSource audio = input;
        TimeMap map = TimeMap.identity(input.length());
        if (options.skipSilence()) {
            SilenceCompactor.Compacted compacted = SilenceCompactor.compact(input);
            audio = compacted.audio();
            map = compacted.map();
        }
        List<Segmenter.Range> ranges = Segmenter.split(audio, options.segmentSeconds(), options.searchSeconds());
        boolean segmented = ranges.size() > 1;
        if (segmented) {
            checkSegmentLengths(ranges, options);
        } else {
            ranges = AudioSplitter.ranges(audio, options.maxPieceSeconds());
        }
        List<Part> parts = new ArrayList<>(ranges.size());
        for (int i = 0; i < ranges.size(); i++) {
            Segmenter.Range r = ranges.get(i);
            // A lone piece is decoded as it is; split pieces and segments are padded to 0.5 s.
            int decoded = ranges.size() == 1 ? r.length() : Math.max(r.length(), Segmenter.MIN_DECODE_SAMPLES);
            int frames = LogMel.frameCount(decoded);
            parts.add(new Part(i, r.start(), r.end(), map.toOriginalSample(r.start()) / SAMPLE_RATE,
                    map.toOriginalSample(r.end()) / SAMPLE_RATE, decoded, frames, encoderTokens.applyAsInt(frames)));
        }
        return new TranscriptionPlan(audio, map, input.length(), options.skipSilence(), segmented,
                List.copyOf(ranges), List.copyOf(parts));
    }

    /** Segments are decoded whole, so none may exceed the piece limit (a single range is split as usual). */
    static void checkSegmentLengths(List<Segmenter.Range> ranges, TranscribeOptions options) {
        for (Segmenter.Range r : ranges) {
            if (r.length() > options.maxPieceSeconds() * SAMPLE_RATE) {
                throw new QwenAsrException(String.format(Locale.ROOT,
                        "a %.1f s segment exceeds the %.0f s piece limit; use a smaller segment length",
                        r.length() / (double) SAMPLE_RATE, options.maxPieceSeconds()));
            }
        }
    }

    /** The parts in decoding order; they cover the (compacted) audio exactly. */
    public List<Part> parts() {
        return parts;
    }

    /** Whether the parts are the segments of segmented mode (else the official pieces). */
    public boolean segmented() {
        return segmented;
    }

    /** Whether silence was compacted before splitting. */
    public boolean silenceSkipped() {
        return silenceSkipped;
    }

    /** Samples of the input recording. */
    public int originalSamples() {
        return originalSamples;
    }

    /** Samples left after silence compaction (the input length without it). */
    public int keptSamples() {
        return audio.length();
    }

    /** The samples {@code part}'s decode reads (its stretch, zero-padded as {@link Part#decodedSamples} says). */
    public float[] samples(Part part) {
        return AudioSplitter.pieceSamples(audio, ranges, part.index());
    }

    /** Seconds {@code offset} into {@code part}'s decoded samples, as a time on the original recording. */
    public double toOriginalSeconds(Part part, double offset) {
        return map.toOriginalSeconds(part.start() / (double) SAMPLE_RATE + offset);
    }
}
