package io.github.qwenasr.vad;

import io.github.qwenasr.QwenAsrException;
import java.util.ArrayList;
import java.util.List;

/**
 * Speech regions from Silero probabilities (512-sample frames) by the rules of the silero-vad
 * package's {@code get_speech_timestamps} (version 6.2.3), with the same options and defaults:
 * speech starts at a frame whose probability reaches the threshold, ends once the probability has
 * stayed below the negative threshold for the minimum silence, regions no longer than the minimum
 * speech are dropped, a region reaching the maximum length is cut at its longest inner silence
 * (or, with the older rule, at its last one), and every region is padded on both sides, splitting
 * a gap narrower than two pads between its neighbours.
 *
 * <p>The package decides on the whole probability list and pads afterwards; this class makes the
 * same decisions frame by frame and hands out each region as soon as nothing later can change it:
 * once the next region's start is known, or once the audio since its end is wider than two pads
 * (then the next region, wherever it starts, cannot share its gap). With the defaults a region
 * comes out with the frame that ends 160 ms after its last speech frame (100 ms of silence,
 * rounded up to whole frames, and the frame being fed).
 */
public final class SpeechSegmenter implements UtteranceSegmenter {
    private static final int SAMPLES_PER_MS = VoiceActivityDetector.SAMPLE_RATE / 1000;

    /**
     * Rules of {@code get_speech_timestamps}, under the package's parameter names in parentheses.
     *
     * @param threshold                        probability from which a frame is speech (threshold)
     * @param negThreshold                     probability below which a frame in speech is silence
     *                                         (neg_threshold); NaN for the default
     *                                         max(threshold - 0.15, 0.01)
     * @param minSpeechMs                      regions this short or shorter are dropped (min_speech_duration_ms)
     * @param maxSpeechSeconds                 longest region before a cut, +infinity for none (max_speech_duration_s)
     * @param minSilenceMs                     silence that ends a region (min_silence_duration_ms)
     * @param speechPadMs                      padding on each side (speech_pad_ms)
     * @param minSilenceAtMaxSpeechMs          shortest inner silence a cut may use (min_silence_at_max_speech)
     * @param cutAtLongestSilence              cut an overlong region at its longest inner silence; false: at
     *                                         the last one, or where it reaches the limit
     *                                         (use_max_poss_sil_at_max_speech)
     */
    public record Options(double threshold, double negThreshold, int minSpeechMs, double maxSpeechSeconds,
                          int minSilenceMs, int speechPadMs, int minSilenceAtMaxSpeechMs,
                          boolean cutAtLongestSilence) {
        /** The package's defaults: 0.5, 0.35, 250 ms, no limit, 100 ms, 30 ms, 98 ms, longest silence. */
        public static final Options DEFAULTS = new Options(0.5, Double.NaN, 250, Double.POSITIVE_INFINITY, 100, 30, 98, true);

        public Options {
            if (!(threshold >= 0 && threshold <= 1)) throw new QwenAsrException("VAD threshold must be in [0, 1], got " + threshold);
            if (Double.isNaN(negThreshold)) negThreshold = Math.max(threshold - 0.15, 0.01);
            if (!(negThreshold >= 0 && negThreshold <= 1)) {
                throw new QwenAsrException("VAD negative threshold must be in [0, 1], got " + negThreshold);
            }
            if (minSpeechMs < 0 || minSilenceMs < 0 || speechPadMs < 0 || minSilenceAtMaxSpeechMs < 0) {
                throw new QwenAsrException("VAD durations must be >= 0 ms");
            }
            if (!(maxSpeechSeconds > 0)) throw new QwenAsrException("VAD maximum speech length must be > 0 s, got " + maxSpeechSeconds);
        }

        /** These options with another threshold (and the default negative threshold for it). */
        public Options withThreshold(double newThreshold) {
            return new Options(newThreshold, Double.NaN, minSpeechMs, maxSpeechSeconds, minSilenceMs, speechPadMs,
                    minSilenceAtMaxSpeechMs, cutAtLongestSilence);
        }
    }

    /** A silence inside the current region that a cut at the maximum length may use. */
    private record Silence(long start, long length) {
    }

    private final Options options;
    private final int frame = SileroVad.FRAME_SAMPLES;
    private final double minSpeechSamples;
    private final double maxSpeechSamples;
    private final double minSilenceSamples;
    private final double minSilenceAtMaxSpeechSamples;
    private final long pad;

    // The package's loop state; 0 means "unset" for tempEnd, prevEnd and nextStart, as there.
    private long frames;
    private boolean triggered;
    private long currentStart = -1;
    private long tempEnd;
    private long prevEnd;
    private long nextStart;
    private final List<Silence> possibleEnds = new ArrayList<>();

    // Padding: the last decided region, its start already padded, its end not yet.
    private long pendingStart = -1;
    private long pendingEnd;
    private boolean anyRegion;
    private boolean finished;

    public SpeechSegmenter(Options options) {
        this.options = options;
        this.minSpeechSamples = (double) SAMPLES_PER_MS * options.minSpeechMs();
        this.pad = (long) SAMPLES_PER_MS * options.speechPadMs();
        this.maxSpeechSamples = VoiceActivityDetector.SAMPLE_RATE * options.maxSpeechSeconds() - frame - 2.0 * pad;
        this.minSilenceSamples = (double) SAMPLES_PER_MS * options.minSilenceMs();
        this.minSilenceAtMaxSpeechSamples = (double) SAMPLES_PER_MS * options.minSilenceAtMaxSpeechMs();
    }

    /** A segmenter with the package's defaults. */
    public SpeechSegmenter() {
        this(Options.DEFAULTS);
    }

    /** Regions of a whole list of frame probabilities over {@code totalSamples} samples of audio. */
    public static List<SpeechRegion> regions(float[] probabilities, long totalSamples, Options options) {
        SpeechSegmenter s = new SpeechSegmenter(options);
        List<SpeechRegion> out = new ArrayList<>();
        for (float p : probabilities) out.addAll(s.accept(p));
        out.addAll(s.finish(totalSamples));
        return List.copyOf(out);
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
        return triggered;
    }

    @Override
    public List<SpeechRegion> accept(float probability) {
        if (finished) throw new QwenAsrException("speech segmenter already finished; reset it first");
        if (!(probability >= 0 && probability <= 1)) throw new QwenAsrException("speech probability must be in [0, 1], got " + probability);
        List<SpeechRegion> out = new ArrayList<>(1);
        step(probability, frames * frame, out);
        frames++;
        releaseIfSettled(out);
        return out;
    }

    /** One iteration of the package's loop over frames. */
    private void step(double p, long cur, List<SpeechRegion> out) {
        boolean speech = p >= options.threshold();
        if (speech && tempEnd != 0) {
            long silence = cur - tempEnd;
            if (silence > minSilenceAtMaxSpeechSamples) possibleEnds.add(new Silence(tempEnd, silence));
            tempEnd = 0;
            if (nextStart < prevEnd) nextStart = cur;
        }
        if (speech && !triggered) {
            triggered = true;
            currentStart = cur;
            return;
        }
        if (triggered && cur - currentStart > maxSpeechSamples) {
            if (options.cutAtLongestSilence() && !possibleEnds.isEmpty()) {
                Silence longest = possibleEnds.getFirst();
                for (Silence s : possibleEnds) if (s.length() > longest.length()) longest = s;
                prevEnd = longest.start();
                decided(currentStart, prevEnd, out);
                currentStart = -1;
                nextStart = prevEnd + longest.length();
                if (nextStart < prevEnd + cur) {
                    currentStart = nextStart; // the silence ended before this frame: speech resumed there
                } else {
                    triggered = false;
                }
                clearCut();
            } else if (prevEnd != 0) {
                decided(currentStart, prevEnd, out);
                currentStart = -1;
                if (nextStart < prevEnd) {
                    triggered = false;
                } else {
                    currentStart = nextStart;
                }
                clearCut();
            } else {
                decided(currentStart, cur, out);
                currentStart = -1;
                triggered = false;
                clearCut();
                return;
            }
        }
        if (p < options.negThreshold() && triggered) {
            if (tempEnd == 0) tempEnd = cur;
            long silence = cur - tempEnd;
            if (!options.cutAtLongestSilence() && silence > minSilenceAtMaxSpeechSamples) prevEnd = tempEnd;
            if (silence < minSilenceSamples) return;
            if (tempEnd - currentStart > minSpeechSamples) decided(currentStart, tempEnd, out);
            currentStart = -1;
            triggered = false;
            clearCut();
        }
    }

    private void clearCut() {
        prevEnd = 0;
        nextStart = 0;
        tempEnd = 0;
        possibleEnds.clear();
    }

    /**
     * A region [start, end) before padding is decided. Pads the previous one, whose end depends on
     * this start, and keeps this one pending.
     */
    private void decided(long start, long end, List<SpeechRegion> out) {
        long paddedStart;
        if (!anyRegion) {
            paddedStart = Math.max(0, start - pad);
        } else if (pendingStart >= 0) {
            long gap = start - pendingEnd;
            if (gap < 2 * pad) {
                out.add(new SpeechRegion(pendingStart, pendingEnd + gap / 2));
                paddedStart = Math.max(0, start - gap / 2);
            } else {
                out.add(new SpeechRegion(pendingStart, pendingEnd + pad));
                paddedStart = Math.max(0, start - pad);
            }
        } else {
            // The previous region went out early, which needed a gap of two pads at least.
            paddedStart = Math.max(0, start - pad);
        }
        anyRegion = true;
        pendingStart = paddedStart;
        pendingEnd = end;
    }

    /**
     * Hands out the pending region when no later region can start within two pads of its end and
     * the audio surely reaches its padded end.
     */
    private void releaseIfSettled(List<SpeechRegion> out) {
        if (pendingStart < 0) return;
        long earliestNextStart = triggered ? currentStart : frames * frame;
        long audioAtLeast = (frames - 1) * frame + 1;
        if (earliestNextStart - pendingEnd >= 2 * pad && pendingEnd + pad <= audioAtLeast) {
            out.add(new SpeechRegion(pendingStart, pendingEnd + pad));
            pendingStart = -1;
        }
    }

    @Override
    public List<SpeechRegion> finish(long totalSamples) {
        if (finished) throw new QwenAsrException("speech segmenter already finished; reset it first");
        long lowest = frames == 0 ? 0 : (frames - 1) * frame + 1;
        if (totalSamples < lowest || totalSamples > frames * frame) {
            throw new QwenAsrException("audio length " + totalSamples + " does not match " + frames + " frames of " + frame + " samples");
        }
        finished = true;
        List<SpeechRegion> out = new ArrayList<>(2);
        if (currentStart >= 0 && totalSamples - currentStart > minSpeechSamples) decided(currentStart, totalSamples, out);
        if (pendingStart >= 0) {
            out.add(new SpeechRegion(pendingStart, Math.min(totalSamples, pendingEnd + pad)));
            pendingStart = -1;
        }
        return out;
    }

    @Override
    public void reset() {
        frames = 0;
        triggered = false;
        currentStart = -1;
        clearCut();
        pendingStart = -1;
        pendingEnd = 0;
        anyRegion = false;
        finished = false;
    }
}
