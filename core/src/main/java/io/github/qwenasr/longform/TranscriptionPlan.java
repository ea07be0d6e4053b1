package io.github.qwenasr.longform;

import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.TranscribeOptions;
import io.github.qwenasr.audio.AudioSource;
import io.github.qwenasr.mel.LogMel;
import io.github.qwenasr.vad.SpeechFinder;
import io.github.qwenasr.vad.SpeechRegion;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntUnaryOperator;

/**
 * What one offline transcription decodes, worked out once before any decoding: the audio after
 * silence compaction (docs/modes.md 5) with its {@link TimeMap}, then either the official pieces
 * (docs/model.md 5.8: at most {@link TranscribeOptions#maxPieceSeconds()} each) or the segments of
 * segmented mode (docs/modes.md 4); or, with voice activity detection, the speech regions as the kept
 * runs and one segment per region (docs/modes.md 7.5). Each part comes with its bounds in the
 * compacted audio, its span on the original recording, and the padded length, mel frames and encoder
 * rows its decode takes.
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
    private final boolean utterances;
    private final boolean segmented;
    private final List<Part> parts;

    private TranscriptionPlan(AudioSource audio, TimeMap map, int originalSamples, boolean silenceSkipped,
                              boolean utterances, boolean segmented, List<Part> parts) {
        this.audio = audio;
        this.map = map;
        this.originalSamples = originalSamples;
        this.silenceSkipped = silenceSkipped;
        this.utterances = utterances;
        this.segmented = segmented;
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
        if (options.voiceActivity() != null) return ofUtterances(input, options, encoderTokens);
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
        return new TranscriptionPlan(audio, map, input.length(), options.skipSilence(), false, segmented,
                List.copyOf(parts));
    }

    /**
     * docs/modes.md 7.5: the speech regions the detector finds in the whole input become the kept runs
     * of a compaction (the same kind of {@link TimeMap} as silence skipping), and each region is one
     * segment: decoded on its own (zero-padded to 0.5 s), its span exactly the region on the
     * recording. A region longer than the piece limit is split as a long recording is. No speech: no
     * parts.
     */
    private static TranscriptionPlan ofUtterances(AudioSource input, TranscribeOptions options,
                                                  IntUnaryOperator encoderTokens) {
        List<SpeechRegion> regions = SpeechFinder.regions(input, options.voiceActivity());
        TimeMap.Builder kept = new TimeMap.Builder();
        for (SpeechRegion r : regions) kept.keep(Math.toIntExact(r.startSample()), Math.toIntExact(r.samples()));
        TimeMap map = kept.build();
        AudioSource audio = map.view(input);
        List<Segmenter.Range> ranges = new ArrayList<>();
        int pos = 0;
        for (SpeechRegion r : regions) {
            int length = Math.toIntExact(r.samples());
            if (length > options.maxPieceSeconds() * SAMPLE_RATE) {
                for (Segmenter.Range piece : AudioSplitter.ranges(slice(audio, pos, length), options.maxPieceSeconds())) {
                    ranges.add(new Segmenter.Range(pos + piece.start(), pos + piece.end()));
                }
            } else {
                ranges.add(new Segmenter.Range(pos, pos + length));
            }
            pos += length;
        }
        List<Part> parts = new ArrayList<>(ranges.size());
        for (int i = 0; i < ranges.size(); i++) {
            Segmenter.Range r = ranges.get(i);
            int decoded = Math.max(r.length(), Segmenter.MIN_DECODE_SAMPLES);
            int frames = LogMel.frameCount(decoded);
            // A range lies inside one region, so its last sample maps inside it: the end is exact even
            // where the next region starts right after (a position on a run boundary maps to the later run).
            double end = map.toOriginalSample(r.end() - 1) + 1;
            parts.add(new Part(i, r.start(), r.end(), map.toOriginalSample(r.start()) / SAMPLE_RATE, end / SAMPLE_RATE,
                    decoded, frames, encoderTokens.applyAsInt(frames)));
        }
        return new TranscriptionPlan(audio, map, input.length(), false, true, true, List.copyOf(parts));
    }

    /** Samples [start, start + length) of {@code audio} as a source of their own. */
    private static AudioSource slice(AudioSource audio, int start, int length) {
        return new AudioSource() {
            @Override
            public int length() {
                return length;
            }

            @Override
            public void read(int from, float[] dst, int offset, int count) {
                java.util.Objects.checkFromIndexSize(from, count, length);
                audio.read(start + from, dst, offset, count);
            }
        };
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

    /**
     * Whether the parts are segments (segmented mode's, or the utterances voice activity detection
     * found) rather than the official pieces: decoded with padding, joined as segments.
     */
    public boolean segmented() {
        return segmented;
    }

    /** Whether the parts are the utterances of voice activity detection (docs/modes.md 7.5). */
    public boolean utterances() {
        return utterances;
    }

    /** Whether silence was compacted before splitting. */
    public boolean silenceSkipped() {
        return silenceSkipped;
    }

    /** Samples of the input recording. */
    public int originalSamples() {
        return originalSamples;
    }

    /** Samples left after silence compaction or voice activity detection (the input length without either). */
    public int keptSamples() {
        return audio.length();
    }

    /** The samples {@code part}'s decode reads (its stretch, zero-padded as {@link Part#decodedSamples} says). */
    public float[] samples(Part part) {
        float[] s = audio.read(part.start(), part.length());
        return s.length == part.decodedSamples() ? s : java.util.Arrays.copyOf(s, part.decodedSamples());
    }

    /** Seconds {@code offset} into {@code part}'s decoded samples, as a time on the original recording. */
    public double toOriginalSeconds(Part part, double offset) {
        return map.toOriginalSeconds(part.start() / (double) SAMPLE_RATE + offset);
    }
}
