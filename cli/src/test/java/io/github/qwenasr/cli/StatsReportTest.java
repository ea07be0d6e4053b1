package io.github.qwenasr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.github.qwenasr.FinishReason;
import io.github.qwenasr.Transcription;
import io.github.qwenasr.stream.StreamStats;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The stats lines of docs/modes.md 1.5, byte for byte, with figures worked out by hand. */
class StatsReportTest {
    private final Locale saved = Locale.getDefault();

    @AfterEach
    void restoreLocale() {
        Locale.setDefault(saved);
    }

    // 2.5 s of audio; mel 10 + encoder 90 = 100 ms encoding; prefill 50 + decode 150 = 200 ms decoding;
    // 250 mel frames, 33 encoder tokens; 31 ids generated in one piece, 20 of them text tokens.
    private static final Transcription.Stats STATS =
            new Transcription.Stats(2.5, 10, 90, 50, 150, 250, 33, 40, 31, 20, 1);

    @Test
    void streamingInferenceLineUsesTheOfflineFormat() {
        // 5 steps: encoder 120 ms, prefill 80 + decode 280 = 360 ms decoding, 500 ms of steps in all;
        // 12 committed tokens / 0.5 s = 24 tok/s.
        StreamStats st = new StreamStats(5, 120, 80, 280, 500, 400, 90, 12, 0, FinishReason.STOP);
        assertEquals("Inference: 500 ms, 12 text tokens (24.00 tok/s, encoding: 120ms, decoding: 360ms)",
                StatsReport.streamInferenceLine(st));
    }

    @Test
    void inferenceLine() {
        // total 300 ms; 20 tokens / 0.3 s = 66.666… tok/s
        assertEquals("Inference: 300 ms, 20 text tokens (66.67 tok/s, encoding: 100ms, decoding: 200ms)",
                StatsReport.inferenceLine(STATS));
    }

    @Test
    void audioLine() {
        // 2.5 s / 0.3 s = 8.333…x
        assertEquals("Audio: 2.5 s processed in 0.3 s (8.33x realtime)", StatsReport.audioLine(STATS));
    }

    @Test
    void formatsIgnoreTheDefaultLocale() {
        Locale.setDefault(Locale.GERMANY);
        assertEquals("Audio: 2.5 s processed in 0.3 s (8.33x realtime)", StatsReport.audioLine(STATS));
    }

    @Test
    void audioLineOnlyWhenBothDurationsArePositive() {
        assertNull(StatsReport.audioLine(new Transcription.Stats(0, 10, 90, 50, 150, 250, 33, 40, 31, 20, 1)));
        assertNull(StatsReport.audioLine(new Transcription.Stats(2.5, 0, 0, 0, 0, 250, 33, 40, 31, 20, 1)));
    }

    @Test
    void zeroTimeGivesZeroRateNotInfinity() {
        assertEquals("Inference: 0 ms, 5 text tokens (0.00 tok/s, encoding: 0ms, decoding: 0ms)",
                StatsReport.inferenceLine(new Transcription.Stats(1, 0, 0, 0, 0, 100, 13, 10, 6, 5, 1)));
    }

    @Test
    void debugLines() {
        // 31 ids in one piece: the prefill picks the first, 30 decode steps take 150 ms = 5 ms each.
        assertEquals(List.of(
                "Mel: 250 frames (10 ms)",
                "Encoder: 33 tokens (90 ms)",
                "Prefill: 40 tokens (50 ms)",
                "Decode: 30 tokens (150 ms, 5.00 ms/token)"),
                StatsReport.debugLines(STATS));
    }

    @Test
    void decodeStepsExcludeOneFirstTokenPerPiece() {
        Transcription.Stats twoPieces = new Transcription.Stats(30, 10, 90, 50, 160, 3000, 390, 80, 42, 30, 2);
        assertEquals(40, StatsReport.decodeSteps(twoPieces));
        assertEquals(4.0, StatsReport.msPerDecodeStep(twoPieces));
    }

    @Test
    void profileLines() {
        assertEquals(List.of(
                "[profile] model load: 1234.5ms",
                "[profile] mel: 10.0ms (250 frames)",
                "[profile] encoder: 90.0ms (33 tokens)",
                "[profile] prefill: 50.0ms (40 tokens, 800.0 tok/s)",
                "[profile] decode: 150.0ms (30 tokens, 5.00 ms/token)",
                "[profile] total: 300.0ms (1 piece, 2.5 s of audio)"),
                StatsReport.profileLines(STATS, 1234.5));
    }

    private static Transcription.Segment segment(double start, double end, FinishReason reason) {
        return new Transcription.Segment(start, end, reason == FinishReason.EMPTY ? "" : "words", "English", reason,
                140, 12, 10);
    }

    private static Transcription transcription(boolean truncated, Transcription.Segment... segments) {
        return new Transcription("English", "words", "words", List.of(), List.of(segments), truncated, STATS,
                java.util.Optional.empty());
    }

    @Test
    void aCleanFinishWarnsOfNothing() {
        assertEquals(List.of(), StatsReport.finishWarnings(transcription(false, segment(0, 5, FinishReason.STOP),
                segment(5, 9, FinishReason.EMPTY))));
    }

    @Test
    void lengthAndRepetitionFinishesWarnOneLineEach() {
        Transcription t = transcription(true, segment(0, 5, FinishReason.LENGTH), segment(5, 10, FinishReason.STOP),
                segment(10, 15, FinishReason.REPETITION), segment(15, 20, FinishReason.LENGTH));
        assertEquals(List.of(
                "2 of 4 parts stopped at the token limit without an end token; the transcript may be cut short"
                        + " (raise --max-new-tokens)",
                "1 of 4 parts repeated itself until the repetition repair shortened it (and ran to the token limit);"
                        + " speech may be missing there"),
                StatsReport.finishWarnings(t));
        assertEquals(List.of("1 of 1 part stopped at the token limit without an end token; the transcript may be"
                        + " cut short (raise --max-new-tokens)"),
                StatsReport.finishWarnings(transcription(true, segment(0, 5, FinishReason.LENGTH))));
    }

    @Test
    void segmentLinesGiveSpanFinishAndTokens() {
        Transcription t = transcription(false, segment(0, 9.75, FinishReason.STOP), segment(9.75, 20, FinishReason.EMPTY));
        assertEquals(List.of(
                "Segments: 2 (target 10.0 s, past text auto)",
                "Segment 1: 0.00-9.75 s (stop; 140 prompt + 12 generated tokens, 10 text)",
                "Segment 2: 9.75-20.00 s (empty; 140 prompt + 12 generated tokens, 10 text)"),
                StatsReport.segmentLines(t, io.github.qwenasr.TranscribeOptions.defaults().withSegmentSeconds(10)));
    }

    @Test
    void streamWarningsFollowTheFinishReason() {
        assertNull(StatsReport.streamFinishWarning(new StreamStats(5, 1, 1, 1, 3, 400, 90, 12, 2, FinishReason.STOP)));
        assertEquals("the stream repeated itself and was re-anchored by the degeneracy guard; speech may be missing"
                + " there", StatsReport.streamFinishWarning(new StreamStats(5, 1, 1, 1, 3, 400, 90, 12, 1,
                FinishReason.REPETITION)));
    }
}
