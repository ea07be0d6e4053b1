package io.github.qwenasr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.prompt.PyStrings;
import io.github.qwenasr.prompt.RepetitionRepair;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every result says why its decoding stopped, on real decoding of the tiny synthetic model (seed
 * 1234): a token cap, a loop the repetition repair collapses, and silence.
 */
class FinishReasonTest {
    private static final int SECOND = 16000;
    private static final int IM_END = 151645;

    @TempDir
    Path tmp;

    @Test
    void aDecodeCutAtTheTokenCapIsALengthFinish() throws IOException {
        try (QwenAsr asr = QwenAsr.load(HostileModel.original(), 1)) {
            // The random-weight model never chooses an end token within 3 steps.
            Transcription t = asr.transcribe16k(TestNoise.threeSeconds(), TranscribeOptions.defaults().withMaxNewTokens(3));
            assertEquals(3, t.stats().generated());
            assertEquals(FinishReason.LENGTH, t.segments().get(0).finishReason());
            assertEquals(FinishReason.LENGTH, t.finishReason());
            assertTrue(t.truncated());
            assertEquals(1, t.count(FinishReason.LENGTH));
        }
    }

    @Test
    void aLoopTheRepetitionRepairCollapsesIsARepetitionFinish() throws IOException {
        try (QwenAsr asr = QwenAsr.load(HostileModel.original(), 1)) {
            // On two seconds of digital silence this model's greedy output repeats itself (a character
            // or a short pattern 20 times in a row) within 400 tokens, which the official repair collapses.
            Transcription t = asr.transcribe16k(new float[2 * SECOND], TranscribeOptions.defaults().withMaxNewTokens(400));
            String raw = PyStrings.strip(t.raw());
            assertNotEquals(raw, RepetitionRepair.fix(raw), "the output must hold a repetition the repair changes");
            assertEquals(FinishReason.REPETITION, t.segments().get(0).finishReason());
            assertEquals(FinishReason.REPETITION, t.finishReason());
            assertTrue(t.truncated(), "the loop ran to the token cap");
            assertTrue(t.text().length() < raw.length());
        }
    }

    @Test
    void silenceThatYieldsNoTextIsAnEmptyFinish() throws IOException {
        float[] silence = new float[2 * SECOND];
        TranscribeOptions one = TranscribeOptions.defaults().withMaxNewTokens(1);
        int first;
        try (QwenAsr asr = QwenAsr.load(HostileModel.original(), 1)) {
            first = asr.transcribe16k(silence, one).tokens().get(0);
        }
        // A variant whose head row for <|im_end|> is twice the row of the id the model chooses first
        // on this silence: its logit doubles that (positive, largest) one, so the model ends at once.
        Path variant = HostileModel.in(tmp).copyRowScaled("thinker.lm_head.weight", first, IM_END, 1).dir();
        try (QwenAsr asr = QwenAsr.load(variant, 1)) {
            Transcription t = asr.transcribe16k(silence, TranscribeOptions.defaults());
            assertEquals("", t.text());
            assertEquals(1, t.stats().generated(), "the end token only");
            assertTrue(t.tokens().isEmpty());
            assertEquals(FinishReason.EMPTY, t.segments().get(0).finishReason());
            assertEquals(FinishReason.EMPTY, t.finishReason());
            assertFalse(t.truncated());
        }
    }
}
