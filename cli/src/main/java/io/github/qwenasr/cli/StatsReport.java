package io.github.qwenasr.cli;

import io.github.qwenasr.FinishReason;
import io.github.qwenasr.TranscribeOptions;
import io.github.qwenasr.Transcription;
import io.github.qwenasr.stream.StreamStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The text of the statistics lines (docs/modes.md 1.5), the --debug stage lines (1.4) and the --profile
 * report. Pure formatting, always in {@link Locale#ROOT} so benchmark scripts can parse the numbers
 * on any platform.
 */
final class StatsReport {
    private StatsReport() {
    }

    /** {@code Inference: <ms> ms, <N> text tokens (<tok/s> tok/s, encoding: <ms>ms, decoding: <ms>ms)}. */
    static String inferenceLine(Transcription.Stats s) {
        double total = s.totalMillis();
        double tokensPerSecond = total > 0 ? 1000.0 * s.textTokens() / total : 0;
        return String.format(Locale.ROOT,
                "Inference: %.0f ms, %d text tokens (%.2f tok/s, encoding: %.0fms, decoding: %.0fms)",
                total, s.textTokens(), tokensPerSecond, encodingMillis(s), decodingMillis(s));
    }

    /** {@code Audio: <s> s processed in <s> s (<x>x realtime)}, or null unless both durations are positive. */
    static String audioLine(Transcription.Stats s) {
        return audioLine(s.audioSeconds(), s.totalMillis());
    }

    /** {@link #audioLine(Transcription.Stats)} from the two figures. */
    static String audioLine(double audioSeconds, double totalMillis) {
        double inferSeconds = totalMillis / 1000.0;
        if (!(audioSeconds > 0) || !(inferSeconds > 0)) return null;
        return String.format(Locale.ROOT, "Audio: %.1f s processed in %.1f s (%.2fx realtime)",
                audioSeconds, inferSeconds, audioSeconds / inferSeconds);
    }

    /**
     * The Inference line of {@code --stream}, in the offline format (docs/modes.md 1.5): total = sum of the
     * step times, text tokens = committed tokens, encoding = mel + encoder, decoding = prefill + generation.
     */
    static String streamInferenceLine(StreamStats s) {
        double total = s.stepMillis();
        double tokensPerSecond = total > 0 ? 1000.0 * s.committedTokens() / total : 0;
        return String.format(Locale.ROOT,
                "Inference: %.0f ms, %d text tokens (%.2f tok/s, encoding: %.0fms, decoding: %.0fms)",
                total, s.committedTokens(), tokensPerSecond, s.encodeMillis(), s.prefillMillis() + s.decodeMillis());
    }

    /** The --profile report of {@code --stream}. */
    static List<String> streamProfileLines(double loadMillis, StreamStats st, double maxStepMillis,
                                           double chunkSeconds, double audioSeconds) {
        int steps = st.steps();
        double totalMillis = st.stepMillis();
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "[profile] model load: %.1fms", loadMillis));
        lines.add(String.format(Locale.ROOT, "[profile] encoding: %.1fms (mel + encoder, all steps)",
                st.encodeMillis()));
        lines.add(String.format(Locale.ROOT, "[profile] prefill: %.1fms (reused rows skipped)", st.prefillMillis()));
        lines.add(String.format(Locale.ROOT, "[profile] decode: %.1fms (%d tokens, %.2f ms/token)",
                st.decodeMillis(), st.generated(), st.generated() > 0 ? st.decodeMillis() / st.generated() : 0));
        lines.add(String.format(Locale.ROOT, "[profile] stream steps: %.1fms (%d steps of %.2f s, %.1fms avg, %.1fms max)",
                totalMillis, steps, chunkSeconds, steps > 0 ? totalMillis / steps : 0, maxStepMillis));
        lines.add(String.format(Locale.ROOT, "[profile] total: %.1fms (%.1f s of audio)", totalMillis, audioSeconds));
        return lines;
    }

    /** {@code Silence skip: used <x>%, skipped <y>% (<N> -> <M> samples)} (docs/modes.md 5). */
    static String silenceLine(Transcription.SilenceSkip s) {
        return String.format(Locale.ROOT, "Silence skip: used %.1f%%, skipped %.1f%% (%d -> %d samples)",
                s.usedPercent(), s.skippedPercent(), s.originalSamples(), s.keptSamples());
    }

    /**
     * {@code Voice activity (<detector>): N utterances, <s> s of speech in <s> s (used <x>%)} for --vad on
     * a file (docs/modes.md 7.5).
     */
    static String voiceActivityLine(Transcription t, String detector) {
        Transcription.SilenceSkip kept = t.silenceSkip().orElse(new Transcription.SilenceSkip(0, 0));
        int n = t.segments().size();
        return String.format(Locale.ROOT, "Voice activity (%s): %d utterance%s, %.1f s of speech in %.1f s (used %.1f%%)",
                detector, n, n == 1 ? "" : "s", kept.keptSamples() / 16000.0, kept.originalSamples() / 16000.0,
                kept.usedPercent());
    }

    /**
     * One line for each kind of worrying finish among the parts (docs/modes.md 10): a part cut at the
     * token limit, a part whose looping output the repetition repair shortened.
     */
    static List<String> finishWarnings(Transcription t) {
        List<String> lines = new ArrayList<>();
        String parts = " of " + t.segments().size() + (t.segments().size() == 1 ? " part" : " parts");
        long length = t.count(FinishReason.LENGTH);
        if (length > 0) {
            lines.add(length + parts + " stopped at the token limit without an end token; the transcript may be"
                    + " cut short (raise --max-new-tokens)");
        }
        long repetition = t.count(FinishReason.REPETITION);
        if (repetition > 0) {
            lines.add(repetition + parts + " repeated itself until the repetition repair shortened it"
                    + (t.truncated() ? " (and ran to the token limit)" : "") + "; speech may be missing there");
        }
        return lines;
    }

    /** The stream's warning (docs/modes.md 6.8, 10), or null when it ended normally. */
    static String streamFinishWarning(StreamStats s) {
        if (s.finishReason() == FinishReason.LENGTH) {
            return "the last streaming step stopped at its token limit without an end token; the transcript may be"
                    + " cut short (raise --stream-max-new-tokens)";
        }
        if (s.finishReason() == FinishReason.REPETITION) {
            return "the stream repeated itself and was re-anchored by the degeneracy guard; speech may be missing"
                    + " there";
        }
        return null;
    }

    /**
     * The --debug lines of segmented mode: a header and one line per segment, with its span on the
     * recording, its token counts and how its decode ended.
     */
    static List<String> segmentLines(Transcription t, TranscribeOptions o) {
        List<String> lines = new ArrayList<>();
        lines.add(o.voiceActivity() != null
                ? "Utterances: " + t.segments().size() + " (" + o.voiceActivity().detector().label() + ", past text "
                        + (o.conditionsSegments() ? "yes" : "no") + ")"
                : "Segments: " + t.segments().size() + " (target " + o.segmentSeconds() + " s, past text "
                        + o.pastText().name().toLowerCase(Locale.ROOT) + ")");
        for (int i = 0; i < t.segments().size(); i++) {
            Transcription.Segment s = t.segments().get(i);
            lines.add(String.format(Locale.ROOT, "Segment %d: %.2f-%.2f s (%s; %d prompt + %d generated tokens, %d text)",
                    i + 1, s.startSeconds(), s.endSeconds(), s.finishReason().label(), s.promptTokens(),
                    s.generatedTokens(), s.textTokens()));
        }
        return lines;
    }

    /** Per-stage diagnostics for --debug. */
    static List<String> debugLines(Transcription.Stats s) {
        List<String> lines = new ArrayList<>();
        if (s.decoderRuns() > 1) lines.add("Pieces: " + s.decoderRuns() + " decoder runs (audio split at quiet points)");
        lines.add(String.format(Locale.ROOT, "Mel: %d frames (%.0f ms)", s.melFrames(), s.melMillis()));
        lines.add(String.format(Locale.ROOT, "Encoder: %d tokens (%.0f ms)", s.encoderTokens(), s.encoderMillis()));
        lines.add(String.format(Locale.ROOT, "Prefill: %d tokens (%.0f ms)", s.promptTokens(), s.prefillMillis()));
        lines.add(String.format(Locale.ROOT, "Decode: %d tokens (%.0f ms, %.2f ms/token)", decodeSteps(s),
                s.decodeMillis(), msPerDecodeStep(s)));
        return lines;
    }

    /** The --profile report: one line per stage, then the total. */
    static List<String> profileLines(Transcription.Stats s, double loadMillis) {
        double prefillRate = s.prefillMillis() > 0 ? 1000.0 * s.promptTokens() / s.prefillMillis() : 0;
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "[profile] model load: %.1fms", loadMillis));
        lines.add(String.format(Locale.ROOT, "[profile] mel: %.1fms (%d frames)", s.melMillis(), s.melFrames()));
        lines.add(String.format(Locale.ROOT, "[profile] encoder: %.1fms (%d tokens)", s.encoderMillis(),
                s.encoderTokens()));
        lines.add(String.format(Locale.ROOT, "[profile] prefill: %.1fms (%d tokens, %.1f tok/s)", s.prefillMillis(),
                s.promptTokens(), prefillRate));
        lines.add(String.format(Locale.ROOT, "[profile] decode: %.1fms (%d tokens, %.2f ms/token)", s.decodeMillis(),
                decodeSteps(s), msPerDecodeStep(s)));
        lines.add(String.format(Locale.ROOT, "[profile] total: %.1fms (%d piece%s, %.1f s of audio)", s.totalMillis(),
                s.decoderRuns(), s.decoderRuns() == 1 ? "" : "s", s.audioSeconds()));
        return lines;
    }

    static double encodingMillis(Transcription.Stats s) {
        return s.melMillis() + s.encoderMillis();
    }

    static double decodingMillis(Transcription.Stats s) {
        return s.prefillMillis() + s.decodeMillis();
    }

    /** Tokens chosen by decode steps: the prefill pass chooses the first token of every piece. */
    static int decodeSteps(Transcription.Stats s) {
        return Math.max(0, s.generated() - s.decoderRuns());
    }

    static double msPerDecodeStep(Transcription.Stats s) {
        int steps = decodeSteps(s);
        return steps > 0 ? s.decodeMillis() / steps : 0;
    }
}
