package io.github.qwenasr.stream;

import io.github.qwenasr.engine.EngineAccess;
import io.github.qwenasr.engine.Model;
import io.github.qwenasr.generate.DecodeSequence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.HostileModel;
import io.github.qwenasr.QwenAsr;
import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.EncoderAttention;
import io.github.qwenasr.mel.LogMel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A streaming step's input and output stay within max_position_embeddings (issue 20, item 10 e). */
class StepPositionLimitTest {
    @TempDir
    Path tmp;

    /** One step's input: the prompt around the encoded rows of two seconds of noise. */
    private static StreamPrompt.Layout layout(QwenAsr asr) {
        Model model = EngineAccess.model(asr);
        float[] audio = new float[32_000];
        Random r = new Random(9);
        for (int i = 0; i < audio.length; i++) audio[i] = (float) (r.nextGaussian() * 0.1);
        LogMel.Features f = LogMel.compute(audio);
        float[] rows = model.encoder().encode(model.pool(), f.data(), f.frames(), EncoderAttention.WINDOWED);
        int count = model.encoder().tokenCount(f.frames());
        StreamPrompt prompt = new StreamPrompt(model.tokenizer(), "", null, model.tokens().audioPad());
        return prompt.layout(List.of(new EncoderWindowCache.Span(0, 0, rows, count)), new int[0]);
    }

    private static TokenGenerator.Output step(QwenAsr asr, int maxNew) {
        Model model = EngineAccess.model(asr);
        StepDecoder d = new StepDecoder(model.decoder(), new DecodeSequence(model.decoder(), model.pool(), id -> false),
                model.tokens().audioPad());
        return d.run(layout(asr), maxNew, () -> false);
    }

    @Test
    void aStepStopsWhereInputAndOutputFillTheLimit() throws IOException {
        int n;
        try (QwenAsr asr = QwenAsr.load(HostileModel.original(), 1)) {
            n = layout(asr).ids().length;
            TokenGenerator.Output free = step(asr, 8);
            assertEquals(8, free.tokens().length);
            assertFalse(free.positionLimited());
        }
        Path dir = HostileModel.in(tmp).setConfig("text_config", "max_position_embeddings", Integer.toString(n + 4)).dir();
        try (QwenAsr asr = QwenAsr.load(dir, 1)) {
            TokenGenerator.Output out = step(asr, 8);
            assertEquals(4, out.tokens().length);
            assertTrue(out.positionLimited(), "reported as a limit, so the session treats it as one");
        }
    }

    @Test
    void aStepWhoseInputLeavesNoRoomIsRefused() throws IOException {
        int n;
        try (QwenAsr asr = QwenAsr.load(HostileModel.original(), 1)) {
            n = layout(asr).ids().length;
        }
        Path dir = HostileModel.in(tmp).setConfig("text_config", "max_position_embeddings", Integer.toString(n)).dir();
        try (QwenAsr asr = QwenAsr.load(dir, 1)) {
            QwenAsrException e = assertThrows(QwenAsrException.class, () -> step(asr, 8));
            assertTrue(e.getMessage().contains("max_position_embeddings"), e.getMessage());
        }
    }
}
