package io.github.qwenasr;

import io.github.qwenasr.engine.EngineAccess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.engine.Model;
import io.github.qwenasr.generate.DecodeSequence;
import io.github.qwenasr.mel.LogMel;
import io.github.qwenasr.prompt.PromptBuilder;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * max_position_embeddings of config.json bounds the prompt and the output together (issue 20,
 * item 10 e): decoding stops there as it does at the token limit, and a prompt that leaves no room
 * is refused.
 */
class PositionLimitTest {
    @TempDir
    Path tmp;

    /** Prompt positions of the noise's transcription, from the unchanged model. */
    private static int promptLength() throws IOException {
        try (QwenAsr asr = QwenAsr.load(HostileModel.original(), 1)) {
            Transcription t = asr.transcribe16k(TestNoise.threeSeconds(), TranscribeOptions.defaults().withMaxNewTokens(1));
            return t.stats().promptTokens();
        }
    }

    private Path limitedModel(int maxPositions) throws IOException {
        return HostileModel.in(tmp).setConfig("text_config", "max_position_embeddings", Integer.toString(maxPositions)).dir();
    }

    @Test
    void decodingStopsWhenPromptAndOutputFillTheLimit() throws IOException {
        int prompt = promptLength();
        try (QwenAsr asr = QwenAsr.load(limitedModel(prompt + 5), 1)) {
            Transcription t = asr.transcribe16k(TestNoise.threeSeconds(), TranscribeOptions.defaults().withMaxNewTokens(50));
            assertEquals(prompt, t.stats().promptTokens());
            assertEquals(5, t.stats().generated(), "prompt + output = max_position_embeddings");
            assertEquals(FinishReason.LENGTH, t.finishReason(), "a length stop, like the token limit");
            assertTrue(t.truncated());
        }
    }

    @Test
    void theDecodeLoopReportsThePositionLimitAsItsFinishReason() throws IOException {
        int prompt = promptLength();
        try (QwenAsr asr = QwenAsr.load(limitedModel(prompt + 3), 1)) {
            Model model = EngineAccess.model(asr);
            float[] audio = TestNoise.threeSeconds();
            LogMel.Features f = LogMel.compute(audio);
            float[] enc = model.encoder().encode(model.pool(), f.data(), f.frames(),
                    io.github.qwenasr.EncoderAttention.WINDOWED);
            int a = model.encoder().tokenCount(f.frames());
            int[] ids = PromptBuilder.ids(model.tokenizer(), "", a, null);
            assertEquals(prompt, ids.length);
            float[] x = model.decoder().embed(ids, model.tokens().audioPad(), enc, a);
            DecodeSequence limited = new DecodeSequence(model.decoder(), model.pool(), id -> false);
            limited.prefill(x, ids.length, 50);
            assertEquals(DecodeSequence.Finish.POSITION_LIMIT, limited.run().finish());
            assertEquals(3, limited.tokens().length);
            DecodeSequence byTokens = new DecodeSequence(model.decoder(), model.pool(), id -> false);
            byTokens.prefill(x, ids.length, 2);
            assertEquals(DecodeSequence.Finish.TOKEN_LIMIT, byTokens.run().finish());
            assertEquals(2, byTokens.tokens().length);
        }
    }

    @Test
    void aPromptThatLeavesNoRoomIsRefused() throws IOException {
        int prompt = promptLength();
        for (int limit : new int[] {prompt, prompt - 1}) {
            Path dir = HostileModel.in(tmp.resolve("limit-" + limit))
                    .setConfig("text_config", "max_position_embeddings", Integer.toString(limit)).dir();
            try (QwenAsr asr = QwenAsr.load(dir, 1)) {
                QwenAsrException e = assertThrows(QwenAsrException.class,
                        () -> asr.transcribe16k(TestNoise.threeSeconds(), TranscribeOptions.defaults().withMaxNewTokens(5)));
                assertTrue(e.getMessage().contains("max_position_embeddings") && e.getMessage().contains(prompt + " positions"),
                        e.getMessage());
            }
        }
    }

    @Test
    void theLimitIsReadFromConfigJson() throws IOException {
        try (QwenAsr asr = QwenAsr.load(limitedModel(777), 1)) {
            assertEquals(777, asr.info().maxPositions());
            assertEquals(777, EngineAccess.model(asr).decoder().maxPositions());
        }
    }
}
