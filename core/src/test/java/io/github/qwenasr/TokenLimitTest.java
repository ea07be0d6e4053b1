package io.github.qwenasr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.equivalence.TestModels;
import io.github.qwenasr.tools.Preset;
import org.junit.jupiter.api.Test;

/** The generation limit per piece: explicit, or automatic so long pieces are never cut at 512. */
class TokenLimitTest {
    private static final int SECOND = 16000;

    @Test
    void automaticLimitIsTheOfficial512ForShortPieces() {
        TranscribeOptions o = TranscribeOptions.defaults();
        assertEquals(TranscribeOptions.AUTO_MAX_NEW_TOKENS, o.maxNewTokens());
        assertEquals(512, o.tokenLimit(11 * SECOND));
        assertEquals(512, o.tokenLimit(51 * SECOND));
    }

    @Test
    void automaticLimitGrowsWithLongPieces() {
        TranscribeOptions o = TranscribeOptions.defaults();
        assertEquals(600, o.tokenLimit(60 * SECOND));
        assertEquals(12000, o.tokenLimit(1200 * SECOND));
        assertEquals(601, o.tokenLimit(60 * SECOND + 1), "rounded up");
    }

    @Test
    void explicitLimitWins() {
        TranscribeOptions o = TranscribeOptions.defaults().withMaxNewTokens(7);
        assertEquals(7, o.tokenLimit(1200 * SECOND));
        assertThrows(QwenAsrException.class, () -> TranscribeOptions.defaults().withMaxNewTokens(-1));
    }

    @Test
    void runsThatHitTheLimitAreCounted() throws java.io.IOException {
        // The random-weight model never produces an end token within a few steps.
        try (QwenAsr asr = QwenAsr.load(TestModels.model(Preset.TINY, 1234, null), 2)) {
            float[] noise = TestNoise.threeSeconds();
            Transcription t = asr.transcribe16k(noise, TranscribeOptions.defaults().withMaxNewTokens(4));
            assertEquals(1, t.stats().decoderRuns());
            assertEquals(4, t.stats().generated());
            assertEquals(FinishReason.LENGTH, t.segments().get(0).finishReason());
            assertTrue(t.truncated());
            Transcription two = asr.transcribe16k(new float[12 * SECOND],
                    TranscribeOptions.defaults().withMaxNewTokens(3).withSegmentSeconds(5));
            assertTrue(two.stats().decoderRuns() >= 2);
            assertEquals(two.stats().decoderRuns(), two.count(FinishReason.LENGTH));
        }
    }
}
