package io.github.qwenasr.vad;

import io.github.qwenasr.QwenAsrException;
import java.util.List;

/**
 * Utterances from {@link EnergyVad} frames (30 ms, speech or not) by the seed engine's live VAD
 * rules (docs/modes.md 7.4): an utterance opens at a loud frame with 250 ms of audio before it, stays
 * open through quiet frames until 1.5 s of them in a row (the hangover), and keeps 200 ms of
 * audio after its last loud frame; one that reaches 30 s is closed where it is, and one shorter
 * than 0.5 s is dropped.
 *
 * <p>Unlike the seed (docs/modes.md 12.1.8) the hangover is counted in audio, not wall-clock time,
 * every frame is looked at rather than the newest 30 ms of each poll, the trailing silence really
 * is trimmed to 200 ms (so the 0.5 s minimum applies to the trimmed utterance, which the seed's
 * untrimmed buffer never fell below), the look-back never reaches into the previous utterance, and
 * the 250 ms look-back is counted from the start of the first loud frame.
 */
public final class EnergySegmenter implements UtteranceSegmenter {
    private static final int SAMPLES_PER_MS = VoiceActivityDetector.SAMPLE_RATE / 1000;

    /**
     * The seed's constants.
     *
     * @param hangoverMs        quiet audio that ends an utterance
     * @param minUtteranceMs    shorter utterances are dropped
     * @param maxUtteranceMs    an utterance this long is closed at once
     * @param lookbackMs        audio kept before the first loud frame
     * @param trailingMs        audio kept after the last loud frame
     */
    public record Options(int hangoverMs, int minUtteranceMs, int maxUtteranceMs, int lookbackMs, int trailingMs) {
        /** 1.5 s hangover, 0.5 s minimum, 30 s maximum, 250 ms before, 200 ms after. */
        public static final Options DEFAULTS = new Options(1500, 500, 30_000, 250, 200);

        public Options {
            if (hangoverMs <= 0) throw new QwenAsrException("VAD hangover must be > 0 ms, got " + hangoverMs);
            if (minUtteranceMs < 0 || lookbackMs < 0 || trailingMs < 0) throw new QwenAsrException("VAD durations must be >= 0 ms");
            if (maxUtteranceMs <= 0 || maxUtteranceMs < minUtteranceMs) {
                throw new QwenAsrException("VAD maximum utterance must be > 0 ms and at least the minimum, got " + maxUtteranceMs);
            }
        }
    }

    private final Options options;
    private final int frame = EnergyVad.FRAME_SAMPLES;
    private final long hangover;
    private final long minLength;
    private final long maxLength;
    private final long lookback;
    private final long trailing;

    private long frames;
    private boolean inSpeech;
    private long start;
    private long lastLoudEnd;
    private long quiet;
    private long floor;
    private boolean finished;

    public EnergySegmenter(Options options) {
        this.options = options;
        this.hangover = (long) SAMPLES_PER_MS * options.hangoverMs();
        this.minLength = (long) SAMPLES_PER_MS * options.minUtteranceMs();
        this.maxLength = (long) SAMPLES_PER_MS * options.maxUtteranceMs();
        this.lookback = (long) SAMPLES_PER_MS * options.lookbackMs();
        this.trailing = (long) SAMPLES_PER_MS * options.trailingMs();
    }

    /** A segmenter with the seed's constants. */
    public EnergySegmenter() {
        this(Options.DEFAULTS);
    }

    public Options options() {
        return options;
    }

    @Override
    public int frameSamples() {
        return frame;
    }

    @Override
    public boolean inSpeech() {
        return inSpeech;
    }

    @Override
    public List<SpeechRegion> accept(float probability) {
        if (finished) throw new QwenAsrException("speech segmenter already finished; reset it first");
        if (!(probability >= 0 && probability <= 1)) throw new QwenAsrException("speech probability must be in [0, 1], got " + probability);
        long frameStart = frames * frame;
        long frameEnd = frameStart + frame;
        frames++;
        boolean loud = probability >= 0.5f;
        if (!inSpeech) {
            if (loud) {
                inSpeech = true;
                start = Math.max(floor, frameStart - lookback);
                lastLoudEnd = frameEnd;
                quiet = 0;
            }
            return List.of();
        }
        if (loud) {
            quiet = 0;
            lastLoudEnd = frameEnd;
            return frameEnd - start >= maxLength ? close(frameEnd) : List.of();
        }
        quiet += frame;
        return quiet >= hangover ? close(Math.min(lastLoudEnd + trailing, start + maxLength)) : List.of();
    }

    private List<SpeechRegion> close(long end) {
        inSpeech = false;
        floor = end;
        return end - start >= minLength ? List.of(new SpeechRegion(start, end)) : List.of();
    }

    @Override
    public List<SpeechRegion> finish(long totalSamples) {
        if (finished) throw new QwenAsrException("speech segmenter already finished; reset it first");
        long lowest = frames == 0 ? 0 : (frames - 1) * frame + 1;
        if (totalSamples < lowest || totalSamples > frames * frame) {
            throw new QwenAsrException("audio length " + totalSamples + " does not match " + frames + " frames of " + frame + " samples");
        }
        finished = true;
        if (!inSpeech) return List.of();
        return close(Math.min(totalSamples, Math.min(lastLoudEnd + trailing, start + maxLength)));
    }

    @Override
    public void reset() {
        frames = 0;
        inSpeech = false;
        start = 0;
        lastLoudEnd = 0;
        quiet = 0;
        floor = 0;
        finished = false;
    }
}
