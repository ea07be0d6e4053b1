package io.github.qwenasr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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
            new Transcription.Stats(2.5, 10, 90, 50, 150, 250, 33, 40, 31, 20, 1, 0);

    @Test
    void streamingInferenceLineUsesTheOfflineFormat() {
        // 5 steps: encoder 120 ms, prefill 80 + decode 280 = 360 ms decoding, 500 ms of steps in all;
        // 12 committed tokens / 0.5 s = 24 tok/s.
        StreamStats st = new StreamStats(5, 120, 80, 280, 500, 90, 12);
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
        assertNull(StatsReport.audioLine(new Transcription.Stats(0, 10, 90, 50, 150, 250, 33, 40, 31, 20, 1, 0)));
        assertNull(StatsReport.audioLine(new Transcription.Stats(2.5, 0, 0, 0, 0, 250, 33, 40, 31, 20, 1, 0)));
    }

    @Test
    void zeroTimeGivesZeroRateNotInfinity() {
        assertEquals("Inference: 0 ms, 5 text tokens (0.00 tok/s, encoding: 0ms, decoding: 0ms)",
                StatsReport.inferenceLine(new Transcription.Stats(1, 0, 0, 0, 0, 100, 13, 10, 6, 5, 1, 0)));
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
        Transcription.Stats twoPieces = new Transcription.Stats(30, 10, 90, 50, 160, 3000, 390, 80, 42, 30, 2, 0);
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
}
