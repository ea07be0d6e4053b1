package io.github.qwenasr.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.Quantization;
import io.github.qwenasr.tools.Preset;
import io.github.qwenasr.tools.SyntheticCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve --quantize int8} reaches the model: int8 decoder weights, said in one line, and it transcribes. */
class EngineQuantizationTest {
    @Test
    void int8EngineQuantizesIntoTheModelFolderAndTranscribes(@TempDir Path tmp) throws Exception {
        // A private copy of the tiny model: the first int8 load writes its cache file into the model folder.
        Path model = tmp.resolve("tiny-7");
        SyntheticCheckpoint.ensure(Preset.TINY, 7, model, 1, TestSupport.shared());
        try (Engine plain = Engine.load(model, null, 1)) {
            assertEquals("", plain.quantizationNote());
        }
        try (Engine int8 = Engine.load(model, null, 1, Quantization.INT8)) {
            assertTrue(int8.quantizationNote().startsWith("int8 weights: quantized into "), int8.quantizationNote());
            assertTrue(Files.isDirectory(model.resolve(".qwen-asr-cache")));
            try (Engine.Audio a = int8.open(TestSupport.speech(), "file")) {
                Engine.Result r = int8.transcribe(a, new Engine.Request(null, "", Engine.Timing.NONE, 8), () -> false);
                assertEquals(3.64, r.audioSeconds(), 0.01);
                assertTrue(!r.pieces().isEmpty(), "one decoded piece");
            }
        }
        try (Engine again = Engine.load(model, null, 1, Quantization.INT8)) {
            assertTrue(again.quantizationNote().startsWith("int8 weights: mapped "), again.quantizationNote());
        }
    }
}
