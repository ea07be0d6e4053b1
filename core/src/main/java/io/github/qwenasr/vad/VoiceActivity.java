package io.github.qwenasr.vad;

import io.github.qwenasr.QwenAsrException;
import java.util.Locale;
import java.util.Objects;

/**
 * Which detector finds the utterances of a recording or a live source, and how long one may be
 * (docs/modes.md 7.4, 7.5). Immutable; each {@link #newDetector()} and {@link #newSegmenter()} is a
 * fresh state for one stream.
 *
 * <p>The rules are the detector's own (silero-vad's {@code get_speech_timestamps} defaults for
 * Silero, the seed's for energy) with one limit added to Silero's: an utterance is at most
 * {@code maxUtteranceSeconds} long (the package's default is unbounded), cut at its longest inner
 * pause by the package's rule, so that a live source that never pauses still gets its text and
 * holds bounded memory. The energy rules close an utterance at that length where it stands.
 *
 * @param detector            the detector
 * @param maxUtteranceSeconds the longest utterance, 1 to 600 s (default 30, the seed's maximum)
 */
public record VoiceActivity(Detector detector, double maxUtteranceSeconds) {
    /** The seed engine's longest utterance. */
    public static final double DEFAULT_MAX_UTTERANCE_SECONDS = 30;
    /** Bounds of {@link #maxUtteranceSeconds()}. */
    public static final double MIN_MAX_UTTERANCE_SECONDS = 1;
    public static final double MAX_MAX_UTTERANCE_SECONDS = 600;

    /** The two detectors. */
    public enum Detector {
        /** Silero VAD v6 ({@link SileroVad}, {@link SpeechSegmenter}). */
        SILERO,
        /** The seed engine's RMS threshold with hangover ({@link EnergyVad}, {@link EnergySegmenter}). */
        ENERGY;

        /** The name the command line uses: "silero" or "energy". */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public VoiceActivity {
        Objects.requireNonNull(detector, "detector");
        if (!(maxUtteranceSeconds >= MIN_MAX_UTTERANCE_SECONDS && maxUtteranceSeconds <= MAX_MAX_UTTERANCE_SECONDS)) {
            throw new QwenAsrException("the longest utterance must be between " + (int) MIN_MAX_UTTERANCE_SECONDS
                    + " and " + (int) MAX_MAX_UTTERANCE_SECONDS + " s, got " + maxUtteranceSeconds);
        }
    }

    /** {@code detector} with utterances of at most 30 s. */
    public static VoiceActivity of(Detector detector) {
        return new VoiceActivity(detector, DEFAULT_MAX_UTTERANCE_SECONDS);
    }

    /** Silero VAD (the default detector) with utterances of at most 30 s. */
    public static VoiceActivity silero() {
        return of(Detector.SILERO);
    }

    /** The energy detector with utterances of at most 30 s. */
    public static VoiceActivity energy() {
        return of(Detector.ENERGY);
    }

    /** These rules with another longest utterance. */
    public VoiceActivity withMaxUtteranceSeconds(double seconds) {
        return new VoiceActivity(detector, seconds);
    }

    /** A detector in its initial state (Silero's weights are read once per process). */
    public VoiceActivityDetector newDetector() {
        return switch (detector) {
            case SILERO -> SileroVad.load();
            case ENERGY -> new EnergyVad(EnergyVad.DEFAULT_THRESHOLD, energyOptions());
        };
    }

    /** A segmenter with the detector's rules and this longest utterance. */
    public UtteranceSegmenter newSegmenter() {
        return switch (detector) {
            case SILERO -> {
                SpeechSegmenter.Options d = SpeechSegmenter.Options.DEFAULTS;
                yield new SpeechSegmenter(new SpeechSegmenter.Options(d.threshold(), d.negThreshold(), d.minSpeechMs(),
                        maxUtteranceSeconds, d.minSilenceMs(), d.speechPadMs(), d.minSilenceAtMaxSpeechMs(),
                        d.cutAtLongestSilence()));
            }
            case ENERGY -> new EnergySegmenter(energyOptions());
        };
    }

    private EnergySegmenter.Options energyOptions() {
        EnergySegmenter.Options d = EnergySegmenter.Options.DEFAULTS;
        return new EnergySegmenter.Options(d.hangoverMs(), d.minUtteranceMs(), (int) Math.round(maxUtteranceSeconds * 1000),
                d.lookbackMs(), d.trailingMs());
    }
}
