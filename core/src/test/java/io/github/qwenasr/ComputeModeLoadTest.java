package io.github.qwenasr;

import static org.junit.jupiter.api.Assertions.*;

import io.github.qwenasr.equivalence.TestModels;
import io.github.qwenasr.kernel.RecordingGemmBackend;
import io.github.qwenasr.tools.Preset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LoadOptions' compute mode on the tiny model, with core's recording test backend standing in for
 * the native module: which products a BF16 model hands over, and the fallback when none can run.
 */
class ComputeModeLoadTest {
    static Path model;
    static Path clip;
    static final TranscribeOptions OPTIONS = TranscribeOptions.defaults().withMaxNewTokens(16);

    @BeforeAll
    static void fixture() throws Exception {
        model = TestModels.model(Preset.TINY, 1234, null);
        clip = TestModels.shared().resolve("data/audio/jfk.wav");
    }

    @AfterEach
    void restore() {
        RecordingGemmBackend.unavailable = "recording backend switched off";
        RecordingGemmBackend.reset();
    }

    private static List<Integer> exactTokens() {
        try (QwenAsr asr = QwenAsr.load(model, LoadOptions.defaults().withThreads(2))) {
            assertEquals(new ComputeStatus(ComputeMode.EXACT, ComputeMode.EXACT, ""), asr.info().compute());
            return asr.transcribe(clip, OPTIONS).tokens();
        }
    }

    @Test
    void bf16HandsEncoderConvAndPrefillProductsToTheBackend() {
        List<Integer> exact = exactTokens();
        assertEquals(List.of(), RecordingGemmBackend.CALLS, "an exact model never calls a backend");
        RecordingGemmBackend.unavailable = null;
        try (QwenAsr asr = QwenAsr.load(model, LoadOptions.defaults().withThreads(2).withCompute(ComputeMode.BF16))) {
            assertEquals(new ComputeStatus(ComputeMode.BF16, ComputeMode.BF16, "recording test backend"), asr.info().compute());
            assertFalse(asr.info().compute().fellBack());
            List<Integer> tokens = asr.transcribe(clip, OPTIONS).tokens();
            // The recording backend computes in double: the tiny model's greedy tokens are the exact ones.
            assertEquals(exact, tokens);
        }
        List<String> calls = RecordingGemmBackend.CALLS;
        // tiny: conv channels 32 (conv2/conv3 patches of 32*9), encoder width 128 and FFN 256,
        // decoder width 64 (q 4x32, kv 2x32, MLP 128).
        assertTrue(calls.stream().anyMatch(c -> c.endsWith("x288x32")), "conv stem: " + calls);
        assertTrue(calls.stream().anyMatch(c -> c.endsWith("x128x256")), "encoder fc1: " + calls);
        assertTrue(calls.stream().anyMatch(c -> c.endsWith("x64x128")), "prefill q/gate/up: " + calls);
        assertTrue(calls.stream().noneMatch(c -> c.startsWith("1x")), "no decode mat-vec: " + calls);
        assertTrue(calls.stream().noneMatch(c -> c.contains("x9x")), "the first conv's 9 taps stay in Java: " + calls);
    }

    @Test
    void bf16WithoutAUsableBackendFallsBackToExactWithTheReason() {
        List<Integer> exact = exactTokens();
        RecordingGemmBackend.unavailable = "no library here: install it";
        try (QwenAsr asr = QwenAsr.load(model, LoadOptions.defaults().withThreads(2).withCompute(ComputeMode.BF16))) {
            assertEquals(new ComputeStatus(ComputeMode.BF16, ComputeMode.EXACT, "no library here: install it"), asr.info().compute());
            assertTrue(asr.info().compute().fellBack());
            assertEquals(exact, asr.transcribe(clip, OPTIONS).tokens());
        }
        assertEquals(List.of(), RecordingGemmBackend.CALLS);
    }

    /**
     * Both fast modes at once (the issue's --quantize int8 --compute bf16): the encoder and the conv
     * stem still go to the backend, the int8 decoder weights keep the prefill in Java (they are not bf16),
     * and the int8 cache is written as without bf16.
     */
    @Test
    void int8AndBf16TogetherKeepTheEncoderOnTheBackendAndThePrefillOnInt8(@TempDir Path tmp) throws Exception {
        Path copy = Files.createDirectories(tmp.resolve("tiny"));
        try (Stream<Path> files = Files.list(model)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) Files.copy(f, copy.resolve(f.getFileName()));
        }
        LoadOptions int8 = LoadOptions.defaults().withThreads(2).withQuantization(Quantization.INT8);
        List<Integer> int8Only;
        try (QwenAsr asr = QwenAsr.load(copy, int8)) {
            int8Only = asr.transcribe(clip, OPTIONS).tokens();
        }
        assertEquals(List.of(), RecordingGemmBackend.CALLS);
        RecordingGemmBackend.unavailable = null;
        try (QwenAsr asr = QwenAsr.load(copy, int8.withCompute(ComputeMode.BF16))) {
            assertEquals(new ComputeStatus(ComputeMode.BF16, ComputeMode.BF16, "recording test backend"), asr.info().compute());
            assertEquals(Quantization.INT8, asr.info().quantization());
            assertTrue(asr.info().quantizationNote().startsWith("int8 weights: mapped "), "the cache of the int8-only load: "
                    + asr.info().quantizationNote());
            // The recording backend computes in double: the greedy tokens are those of int8 alone.
            assertEquals(int8Only, asr.transcribe(clip, OPTIONS).tokens());
        }
        List<String> calls = RecordingGemmBackend.CALLS;
        assertTrue(calls.stream().anyMatch(c -> c.endsWith("x288x32")), "conv stem: " + calls);
        assertTrue(calls.stream().anyMatch(c -> c.endsWith("x128x256")), "encoder fc1: " + calls);
        // Only the decoder has 64 inputs (its width): q/gate/up 64x128, k/v 64x64.
        assertTrue(calls.stream().noneMatch(c -> c.contains("x64x")), "int8 prefill projections stay in Java: " + calls);
    }

    @Test
    void loadOptionsRejectZeroThreadsAndDefaultToExactUnquantized() {
        QwenAsrException e = assertThrows(QwenAsrException.class, () -> LoadOptions.defaults().withThreads(0));
        assertEquals("threads must be at least 1, got 0", e.getMessage());
        assertEquals(ComputeMode.EXACT, LoadOptions.defaults().compute());
        assertEquals(Quantization.NONE, LoadOptions.defaults().quantization());
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.defaults().withCompute(null));
        LoadOptions both = LoadOptions.defaults().withThreads(3).withQuantization(Quantization.INT8).withCompute(ComputeMode.BF16);
        assertEquals(new LoadOptions(3, Quantization.INT8, ComputeMode.BF16), both);
    }
}
