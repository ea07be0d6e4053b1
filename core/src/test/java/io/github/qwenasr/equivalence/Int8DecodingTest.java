package io.github.qwenasr.equivalence;

import static org.junit.jupiter.api.Assertions.*;

import io.github.qwenasr.LoadOptions;
import io.github.qwenasr.Quantization;
import io.github.qwenasr.QwenAsr;
import io.github.qwenasr.EncoderAttention;
import io.github.qwenasr.audio.AudioLoader;
import io.github.qwenasr.engine.EngineAccess;
import io.github.qwenasr.engine.Model;
import io.github.qwenasr.generate.DecodeSequence;
import io.github.qwenasr.mel.LogMel;
import io.github.qwenasr.prompt.PromptBuilder;
import io.github.qwenasr.tools.Preset;
import io.github.qwenasr.weights.Int8Matrix;
import io.github.qwenasr.weights.Int8WeightCache;
import io.github.qwenasr.weights.Tensor;
import io.github.qwenasr.weights.WeightStore;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Quantization#INT8} end to end on the tiny fixture, over the golden clips.
 *
 * <p>Two separate claims. (1) The int8 path computes what the exact path computes on the quantized
 * weights: a copy of the model whose decoder linear weights are replaced by their dequantized values
 * q * scale (float32) gives, through the exact bf16/f32 code, the same greedy ids and first-step
 * logits within the equivalence tests' 1e-3. (2) The logits move by what the quantization error
 * moves them by. Rounding to the nearest of 255 levels leaves each weight an error that is, to a good
 * approximation, uniform in [-scale/2, scale/2] and independent of its neighbours. So the model's
 * response to that error is estimated by its response to random perturbations of exactly that
 * distribution (two seeds, through the exact path), and the int8 logits must lie within 3x the larger
 * of the two. The tiny model is far more sensitive than the real ones (sharp attention in every
 * layer): its first-step logits move by a few hundredths up to about 0.2 here.
 */
class Int8DecodingTest {
    @TempDir
    static Path tmp;

    static GoldenManifest golden;
    static Path shared;
    static Path model;
    static QwenAsr exact;
    static QwenAsr int8;

    @BeforeAll
    static void load() throws Exception {
        golden = GoldenManifest.load("tiny");
        shared = TestModels.shared();
        Path source = TestModels.model(Preset.TINY, golden.seed(), golden.sha256("model.safetensors"));
        model = tmp.resolve("tiny");
        Files.createDirectories(model);
        try (Stream<Path> s = Files.list(source)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) Files.copy(p, model.resolve(p.getFileName()));
        }
        exact = QwenAsr.load(model, LoadOptions.defaults().withThreads(2).withQuantization(Quantization.NONE));
        int8 = QwenAsr.load(model, LoadOptions.defaults().withThreads(2).withQuantization(Quantization.INT8));
    }

    @AfterAll
    static void close() {
        if (int8 != null) int8.close();
        if (exact != null) exact.close();
    }

    private record Decoded(float[] firstLogits, int[] tokens) {}

    /** Exactly {@code tokens} greedy ids (no stop id ends it) and the first-step logits. */
    private static Decoded decode(QwenAsr asr, Path clip, int tokens) {
        Model m = EngineAccess.model(asr);
        float[] samples = AudioLoader.load16k(clip);
        LogMel.Features mel = LogMel.compute(samples);
        float[] audio = m.encoder().encode(m.pool(), mel.data(), mel.frames(), EncoderAttention.FULL);
        int a = m.encoder().tokenCount(mel.frames());
        int[] ids = PromptBuilder.ids(m.tokenizer(), golden.context(), a, golden.language());
        float[] embeds = m.decoder().embed(ids, m.tokens().audioPad(), audio, a);
        DecodeSequence r = new DecodeSequence(m.decoder(), m.pool(), id -> false);
        r.prefill(embeds, ids.length, tokens);
        float[] first = r.logits();
        r.run();
        return new Decoded(first, r.tokens());
    }

    private static Int8WeightCache.Result int8Weights(QwenAsr asr) {
        return EngineAccess.model(asr).int8Weights().orElseThrow();
    }

    private static List<Path> clips() throws IOException {
        List<Path> out = new ArrayList<>();
        for (Map<String, Object> clip : golden.clips()) out.add(GoldenManifest.input(clip, shared));
        return out;
    }

    private static double maxDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }

    /** How a decoder weight is replaced in a model copy: new float32 values for one tensor. */
    private interface Replacement {
        float[] values(Tensor t, Int8Matrix q);
    }

    /**
     * A copy of the model with every int8-quantized tensor replaced by float32 values, every other
     * tensor's bytes as stored.
     */
    private static Path copyWith(String name, Replacement replacement) throws IOException {
        Map<String, Int8Matrix> quantized = int8Weights(int8).matrices();
        Path dir = tmp.resolve(name);
        Files.createDirectories(dir);
        try (Stream<Path> s = Files.list(model)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                if (!p.getFileName().toString().endsWith(".safetensors")) Files.copy(p, dir.resolve(p.getFileName()));
            }
        }
        try (WeightStore ws = WeightStore.open(model)) {
            StringBuilder header = new StringBuilder("{");
            List<byte[]> blobs = new ArrayList<>();
            long at = 0;
            for (String t : ws.names()) {
                Tensor tensor = ws.find(t);
                Int8Matrix q = quantized.get(t);
                byte[] blob;
                String dtype;
                if (q == null) {
                    blob = tensor.data().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
                    dtype = switch (tensor.dtype()) {
                        case BF16 -> "BF16";
                        case F16 -> "F16";
                        case F32 -> "F32";
                    };
                } else {
                    float[] v = replacement.values(tensor, q);
                    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
                    b.asFloatBuffer().put(v);
                    blob = b.array();
                    dtype = "F32";
                }
                if (header.length() > 1) header.append(',');
                header.append('"').append(t).append("\":{\"dtype\":\"").append(dtype).append("\",\"shape\":")
                        .append(java.util.Arrays.toString(tensor.shape()).replace(" ", ""))
                        .append(",\"data_offsets\":[").append(at).append(',').append(at + blob.length).append("]}");
                at += blob.length;
                blobs.add(blob);
            }
            byte[] h = header.append('}').toString().getBytes(StandardCharsets.UTF_8);
            try (OutputStream out = Files.newOutputStream(dir.resolve("model.safetensors"))) {
                out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
                out.write(h);
                for (byte[] b : blobs) out.write(b);
            }
        }
        return dir;
    }

    private static float[] dequantized(Tensor t, Int8Matrix q) {
        float[] v = new float[t.rows() * t.cols()];
        for (int r = 0; r < q.rows(); r++) {
            for (int e = 0; e < q.cols(); e++) v[r * q.cols() + e] = q.value(r, e) * q.scale(r, e / q.groupSize());
        }
        return v;
    }

    /** The stored weights plus noise uniform in [-scale/2, scale/2] of each weight's group. */
    private static Replacement perturbed(long seed) {
        return (t, q) -> {
            Random rnd = new Random(seed ^ t.name().hashCode());
            float[] v = new float[t.rows() * t.cols()];
            t.copyTo(0, v, 0, v.length);
            for (int r = 0; r < q.rows(); r++) {
                for (int e = 0; e < q.cols(); e++) {
                    v[r * q.cols() + e] += (float) ((rnd.nextDouble() - 0.5) * q.scale(r, e / q.groupSize()));
                }
            }
            return v;
        };
    }

    @Test
    void theFirstLoadWritesTheCacheAndASecondMapsItWithTheSameResults() throws IOException {
        Int8WeightCache.Result first = int8Weights(int8);
        assertEquals(Int8WeightCache.Source.WRITTEN, first.source());
        assertEquals(model.resolve(".qwen-asr-cache"), first.file().getParent());
        assertTrue(EngineAccess.model(exact).int8Weights().isEmpty());
        assertEquals(Quantization.INT8, int8.info().quantization());
        assertEquals(first.describe(), int8.info().quantizationNote());
        assertTrue(int8.info().quantizationNote().startsWith("int8 weights: quantized into "), int8.info().quantizationNote());
        assertEquals(Quantization.NONE, exact.info().quantization());
        assertEquals("", exact.info().quantizationNote());
        assertTrue(EngineAccess.model(int8).decoder().int8() && !EngineAccess.model(exact).decoder().int8());
        assertEquals(2 * 7, first.matrices().size(), "seven linear layers in each of two layers");
        assertEquals(List.of(), EngineAccess.model(int8).decoder().linearTensors(), "none left in bf16");
        try (QwenAsr again = QwenAsr.load(model, LoadOptions.defaults().withThreads(1).withQuantization(Quantization.INT8))) {
            assertEquals(Int8WeightCache.Source.MAPPED, int8Weights(again).source());
            assertTrue(again.info().quantizationNote().startsWith("int8 weights: mapped "), again.info().quantizationNote());
            Path clip = clips().get(0);
            assertArrayEquals(decode(int8, clip, 24).tokens(), decode(again, clip, 24).tokens());
        }
    }

    @Test
    void int8IsTheExactPathOnTheQuantizedWeights() throws IOException {
        try (QwenAsr deq = QwenAsr.load(copyWith("dequantized", Int8DecodingTest::dequantized), LoadOptions.defaults().withThreads(2).withQuantization(Quantization.NONE))) {
            for (Path clip : clips()) {
                Decoded a = decode(int8, clip, golden.maxNewTokens());
                Decoded b = decode(deq, clip, golden.maxNewTokens());
                double d = maxDiff(a.firstLogits(), b.firstLogits());
                System.out.printf(Locale.ROOT, "[int8] %-22s int8 vs exact on dequantized weights: first logits %.2e%n", clip.getFileName(), d);
                assertTrue(d <= EquivalenceCheck.LOGITS_ABS, clip + ": first-step logits differ by " + d);
                assertArrayEquals(b.tokens(), a.tokens(), clip + ": greedy ids");
            }
        }
    }

    @Test
    void firstStepLogitsMoveByWhatTheQuantizationErrorMovesThem() throws IOException {
        try (QwenAsr noise1 = QwenAsr.load(copyWith("noise1", perturbed(1)), LoadOptions.defaults().withThreads(2).withQuantization(Quantization.NONE));
             QwenAsr noise2 = QwenAsr.load(copyWith("noise2", perturbed(2)), LoadOptions.defaults().withThreads(2).withQuantization(Quantization.NONE))) {
            for (Path clip : clips()) {
                float[] ref = decode(exact, clip, 1).firstLogits();
                double d = maxDiff(ref, decode(int8, clip, 1).firstLogits());
                double n1 = maxDiff(ref, decode(noise1, clip, 1).firstLogits());
                double n2 = maxDiff(ref, decode(noise2, clip, 1).firstLogits());
                double bound = 3 * Math.max(n1, n2);
                System.out.printf(Locale.ROOT, "[int8] %-22s first logits: int8 %.3g, uniform noise of the same size %.3g / %.3g, bound %.3g%n",
                        clip.getFileName(), d, n1, n2, bound);
                assertTrue(d > 0, clip + ": int8 changed nothing: is it in use?");
                assertTrue(d <= bound, clip + ": int8 moved the first-step logits by " + d + ", more than " + bound);
            }
        }
    }
}
