package io.github.qwenasr.longform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.TranscribeOptions;
import io.github.qwenasr.audio.AudioSource;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The plan of one transcription: compaction, parts, their spans on the recording and their sizes. */
class TranscriptionPlanTest {
    private static final int RATE = 16000;

    /** Tones of a different pitch each second (never quiet), with a silent pause from 6 s to 14 s. */
    private static float[] speechWithPause() {
        float[] x = new float[20 * RATE];
        for (int i = 0; i < x.length; i++) {
            if (i >= 6 * RATE && i < 14 * RATE) continue;
            x[i] = (float) (0.3 * Math.sin(2 * Math.PI * (300 + 40 * (i / RATE)) * i / RATE));
        }
        return x;
    }

    /** The encoder's row count stands in as one row per 8 frames: the plan only passes frames through it. */
    private static TranscriptionPlan plan(float[] x, TranscribeOptions o) {
        return TranscriptionPlan.of(AudioSource.of(x), o, frames -> frames / 8);
    }

    @Test
    void segmentsOfCompactedAudioCarryTheirSpansOnTheRecording() {
        float[] x = speechWithPause();
        TranscriptionPlan p = plan(x, TranscribeOptions.defaults().withSkipSilence(true).withSegmentSeconds(4)
                .withSearchSeconds(1));
        assertTrue(p.segmented() && p.silenceSkipped());
        assertEquals(x.length, p.originalSamples());
        // The 8 s pause keeps about 0.6 s (plus the smoothing tail): about 12.6 s of 20 are left.
        assertTrue(p.keptSamples() > 12 * RATE && p.keptSamples() < 13.2 * RATE, "kept " + p.keptSamples());
        List<TranscriptionPlan.Part> parts = p.parts();
        assertEquals(0.0, parts.get(0).startSeconds());
        assertEquals(20.0, parts.get(parts.size() - 1).endSeconds(), 1e-9);
        int compacted = 0;
        boolean spansThePause = false;
        for (int i = 0; i < parts.size(); i++) {
            TranscriptionPlan.Part part = parts.get(i);
            assertEquals(i, part.index());
            assertEquals(compacted, part.start(), "parts cover the compacted audio in order");
            compacted = part.end();
            if (i > 0) assertEquals(parts.get(i - 1).endSeconds(), part.startSeconds(), 1e-9);
            double onRecording = part.endSeconds() - part.startSeconds();
            double decoded = part.length() / (double) RATE;
            // A part that holds the shortened pause lasts about 7.4 s longer on the recording than it decodes.
            if (onRecording > decoded + 7) spansThePause = true;
            else assertEquals(decoded, onRecording, 1e-9, "a part without a cut pause maps one to one");
            assertEquals(Math.max(part.length(), RATE / 2), part.decodedSamples());
            assertEquals(part.decodedSamples(), p.samples(part).length);
            assertEquals(io.github.qwenasr.mel.LogMel.frameCount(part.decodedSamples()), part.melFrames());
            assertEquals(part.melFrames() / 8, part.encoderTokens());
        }
        assertEquals(p.keptSamples(), compacted);
        assertTrue(spansThePause, "one part should hold the shortened pause");
        // The first part's samples are the recording's own (the first 4 s are voiced and kept whole).
        TranscriptionPlan.Part first = parts.get(0);
        assertArrayEquals(Arrays.copyOf(x, first.length()), p.samples(first));
        assertEquals(1.5, p.toOriginalSeconds(first, 1.5), 1e-9);
    }

    @Test
    void withoutSegmentsTheAudioIsOnePieceUpToThePieceLimit() {
        float[] x = speechWithPause();
        TranscriptionPlan whole = plan(x, TranscribeOptions.defaults());
        assertFalse(whole.segmented() || whole.silenceSkipped());
        assertEquals(1, whole.parts().size());
        TranscriptionPlan.Part only = whole.parts().get(0);
        assertEquals(x.length, only.decodedSamples());
        assertEquals(20.0, only.endSeconds(), 1e-9);

        // Pieces of at most 8 s (each cut within +-5 s of its mark): the official split, not segments.
        TranscriptionPlan pieces = plan(x, TranscribeOptions.defaults().withMaxPieceSeconds(8));
        assertFalse(pieces.segmented());
        assertTrue(pieces.parts().size() >= 2, "pieces: " + pieces.parts().size());
        assertEquals(AudioSplitter.ranges(AudioSource.of(x), 8).size(), pieces.parts().size());
    }

    @Test
    void aShortLastSegmentIsPaddedToHalfASecond() {
        float[] x = Arrays.copyOf(speechWithPause(), 4 * RATE + RATE / 10);
        TranscriptionPlan p = plan(x, TranscribeOptions.defaults().withSegmentSeconds(2).withSearchSeconds(0));
        TranscriptionPlan.Part last = p.parts().get(p.parts().size() - 1);
        assertEquals(RATE / 10, last.length());
        assertEquals(RATE / 2, last.decodedSamples());
        assertEquals(RATE / 2, p.samples(last).length);
    }
}
