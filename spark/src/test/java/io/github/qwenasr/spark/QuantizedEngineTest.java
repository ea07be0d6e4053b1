package io.github.qwenasr.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.ComputeMode;
import io.github.qwenasr.Quantization;
import io.github.qwenasr.tools.Preset;
import io.github.qwenasr.tools.SyntheticCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The int8 setting of a job reaches the executor's engine (no Spark needed: the adapter is what executors call). */
class QuantizedEngineTest {
    @Test
    void anInt8KeyLoadsInt8WeightsAndTranscribes(@TempDir Path tmp) throws Exception {
        // A private copy of the tiny model: the first int8 load writes its cache file into the model folder.
        Path model = SyntheticCheckpoint.ensure(Preset.TINY, 7, tmp.resolve("tiny-7"), 1, SparkTests.shared());
        EngineKey key = new EngineKey(model.toString(), null, 1, Quantization.INT8);
        try (TranscriberAdapter adapter = TranscriberAdapter.load(key)) {
            Outcome o = adapter.transcribe(SparkTests.shared().resolve("data/audio/test_speech.wav"),
                    new TranscribeRequest(null, "", 8));
            assertTrue(o.ok(), o.error());
            assertEquals(3.64, o.audioSeconds(), 0.01);
        }
        try (Stream<Path> cache = Files.list(model.resolve(".qwen-asr-cache"))) {
            assertTrue(cache.anyMatch(p -> p.getFileName().toString().startsWith("int8-")), "no int8 cache file");
        }
    }

    @Test
    void keysDefaultToTheStoredWeightsAndTheTransformerTakesNoneOrInt8() {
        assertEquals(Quantization.NONE, new EngineKey("m", null, 1).quantization());
        QwenAsrTranscriber t = new QwenAsrTranscriber();
        assertEquals("none", t.getOrDefault(t.quantization()));
        assertEquals("int8", t.setQuantization("int8").getOrDefault(t.quantization()));
        assertThrows(IllegalArgumentException.class, () -> new QwenAsrTranscriber().setQuantization("int4"));
    }

    /**
     * A bf16 key loads the engine with --compute bf16: where oneDNN and the CPU allow it the engine
     * runs it, elsewhere exact; either way it transcribes. The transformer takes exact or bf16.
     */
    @Test
    void aBf16KeyLoadsAndTranscribes() throws Exception {
        EngineKey key = new EngineKey(SparkTests.tinyModel().toString(), null, 1, Quantization.NONE, ComputeMode.BF16);
        try (TranscriberAdapter adapter = TranscriberAdapter.load(key)) {
            Outcome o = adapter.transcribe(SparkTests.shared().resolve("data/audio/test_speech.wav"),
                    new TranscribeRequest(null, "", 8));
            assertTrue(o.ok(), o.error());
            assertEquals(3.64, o.audioSeconds(), 0.01);
        }
        assertEquals(ComputeMode.EXACT, new EngineKey("m", null, 1).compute());
        QwenAsrTranscriber t = new QwenAsrTranscriber();
        assertEquals("exact", t.getOrDefault(t.compute()));
        assertEquals("bf16", t.setCompute("bf16").getOrDefault(t.compute()));
        assertThrows(IllegalArgumentException.class, () -> new QwenAsrTranscriber().setCompute("fp8"));
    }
}
