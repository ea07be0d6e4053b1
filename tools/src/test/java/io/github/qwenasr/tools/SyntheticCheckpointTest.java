package io.github.qwenasr.tools;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticCheckpointTest {
    private static final Pattern ENTRY = Pattern.compile(
            "\"([^\"]+)\":\\{\"dtype\":\"BF16\",\"shape\":\\[[0-9,]*\\],\"data_offsets\":\\[(\\d+),(\\d+)\\]\\}");

    @TempDir
    static Path tmp;
    static Path single;

    @BeforeAll
    static void generateOnce() throws IOException {
        single = SyntheticCheckpoint.generate(Preset.TINY, 1234, tmp.resolve("single"), 1);
    }

    /** Raw bytes of each tensor of a safetensors file, located through its header. */
    private static Map<String, byte[]> tensors(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        long headerLen = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(all, 8, (int) headerLen, StandardCharsets.UTF_8);
        Map<String, byte[]> out = new HashMap<>();
        Matcher m = ENTRY.matcher(header);
        while (m.find()) {
            int begin = (int) (8 + headerLen + Long.parseLong(m.group(2)));
            int end = (int) (8 + headerLen + Long.parseLong(m.group(3)));
            out.put(m.group(1), Arrays.copyOfRange(all, begin, end));
        }
        return out;
    }

    @Test
    void sameSeedGivesByteIdenticalDirectories() throws IOException {
        Path again = SyntheticCheckpoint.generate(Preset.TINY, 1234, tmp.resolve("again"), 1);
        try (var files = Files.list(single)) {
            for (Path f : files.toList()) {
                assertEquals(FileDigest.sha256Hex(f), FileDigest.sha256Hex(again.resolve(f.getFileName())), f.toString());
            }
        }
        Path other = SyntheticCheckpoint.generate(Preset.TINY, 1235, tmp.resolve("other"), 1);
        assertFalse(FileDigest.sha256Hex(single.resolve("model.safetensors"))
                .equals(FileDigest.sha256Hex(other.resolve("model.safetensors"))));
    }

    @Test
    void safetensorsLayoutHoldsEveryTensorOnce() throws IOException {
        Path file = single.resolve("model.safetensors");
        byte[] head = new byte[8];
        try (var in = Files.newInputStream(file)) {
            assertEquals(8, in.read(head));
        }
        long headerLen = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLen % 8, "header padded to 8 bytes");
        List<TensorSpec> specs = TensorInventory.of(Preset.TINY);
        long data = specs.stream().mapToLong(TensorSpec::bytes).sum();
        assertEquals(8 + headerLen + data, Files.size(file));

        Map<String, byte[]> t = tensors(file);
        assertEquals(specs.size(), t.size());
        for (TensorSpec s : specs) assertEquals(s.bytes(), t.get(s.name()).length, s.name());

        // q/k norm gains are exactly 4.0 (bf16 0x4080) in every element.
        byte[] qn = t.get("thinker.model.layers.0.self_attn.q_norm.weight");
        for (int i = 0; i < qn.length; i += 2) {
            assertEquals(0x4080, (qn[i] & 0xFF) | (qn[i + 1] & 0xFF) << 8);
        }
        // A linear weight: mean ~0, variance ~1/fan_in (fan_in 64 for q_proj of the tiny decoder).
        double[] stats = bf16Stats(t.get("thinker.model.layers.0.self_attn.q_proj.weight"));
        assertEquals(0.0, stats[0], 0.01);
        assertEquals(1.0 / 64, stats[1], 0.1 / 64);
        // Embedding rows have unit variance.
        assertEquals(1.0, bf16Stats(t.get("thinker.model.embed_tokens.weight"))[1], 0.01);
    }

    private static double[] bf16Stats(byte[] b) {
        int n = b.length / 2;
        double sum = 0, sq = 0;
        for (int i = 0; i < n; i++) {
            int bits = (b[2 * i] & 0xFF) | (b[2 * i + 1] & 0xFF) << 8;
            double v = Float.intBitsToFloat(bits << 16);
            sum += v;
            sq += v * v;
        }
        double mean = sum / n;
        return new double[] {mean, sq / n - mean * mean};
    }

    @Test
    void shardsHoldTheSameTensorsAsTheSingleFile() throws IOException {
        Path sharded = SyntheticCheckpoint.generate(Preset.TINY, 1234, tmp.resolve("sharded"), 3);
        assertFalse(Files.exists(sharded.resolve("model.safetensors")));
        String index = Files.readString(sharded.resolve(SyntheticCheckpoint.INDEX_FILE));
        Map<String, byte[]> reference = tensors(single.resolve("model.safetensors"));
        Map<String, byte[]> merged = new HashMap<>();
        for (String f : SyntheticCheckpoint.weightFileNames(3)) {
            assertTrue(f.matches("model-0000[1-3]-of-00003\\.safetensors"), f);
            Map<String, byte[]> part = tensors(sharded.resolve(f));
            assertFalse(part.isEmpty(), f + " is empty");
            for (String name : part.keySet()) {
                assertTrue(index.contains("\"" + name + "\": \"" + f + "\""), name + " -> " + f + " missing from index");
            }
            merged.putAll(part);
        }
        assertEquals(reference.keySet(), merged.keySet());
        for (String name : reference.keySet()) assertArrayEquals(reference.get(name), merged.get(name), name);
        long total = reference.values().stream().mapToLong(b -> b.length).sum();
        assertTrue(index.contains("\"total_size\": " + total), "total_size");
    }

    @Test
    void configCarriesTheFieldsTheReferenceNeeds() throws IOException {
        // docs/model.md 1.3 and 1.8.
        String config = Files.readString(single.resolve("config.json"));
        for (String expected : List.of(
                "\"model_type\": \"qwen3_asr\"",
                "\"architectures\": [\"Qwen3ASRForConditionalGeneration\"]",
                "\"transformers_version\": \"4.57.6\"",
                "\"tie_word_embeddings\": false",
                "\"audio_token_id\": 151676",
                "\"audio_start_token_id\": 151669",
                "\"audio_end_token_id\": 151670",
                "\"rope_type\": \"default\"",
                "\"mrope_section\": [8, 4, 4]",
                "\"head_dim\": 32",
                "\"n_window\": 50",
                "\"n_window_infer\": 800",
                "\"vocab_size\": 151936")) {
            assertTrue(config.contains(expected), "config.json lacks " + expected);
        }
        assertFalse(config.contains("temperature") || config.contains("do_sample"), "no generation keys (5.5)");
        assertTrue(Files.readString(single.resolve("preprocessor_config.json")).contains("\"feature_size\": 128"));
        assertEquals(Files.size(Path.of(SyntheticCheckpoint.defaultSharedDir().toString(), "data", "qwen3-tokenizer", "vocab.json")),
                Files.size(single.resolve("vocab.json")));
    }

    @Test
    void tokenizerConfigListsEveryAddedId() throws IOException {
        String tc = Files.readString(single.resolve("tokenizer_config.json"));
        for (int id = 151643; id <= 151705; id++) assertTrue(tc.contains("\"" + id + "\": {"), "missing id " + id);
        assertTrue(tc.contains("\"151676\": {\n      \"content\": \"<|audio_pad|>\""));
        assertTrue(tc.contains("\"content\": \"<asr_text>\",\n      \"lstrip\": false,\n      \"normalized\": false,\n"
                + "      \"rstrip\": false,\n      \"single_word\": false,\n      \"special\": false"));
        assertTrue(tc.contains("\"audio_token\": \"<|audio_pad|>\""));
        assertTrue(tc.contains("\"extra_special_tokens\": {"));
        String tpl = Files.readString(single.resolve("chat_template.json"));
        assertTrue(tpl.contains("<|audio_start|><|audio_pad|><|audio_end|>"));
    }

    @Test
    void ensureReusesACompleteDirectoryAndRegeneratesOnChange() throws IOException {
        Path dir = tmp.resolve("ensure");
        SyntheticCheckpoint.ensure(Preset.TINY, 99, dir, 1);
        Path weights = dir.resolve("model.safetensors");
        var stamp = Files.getLastModifiedTime(weights);
        SyntheticCheckpoint.ensure(Preset.TINY, 99, dir, 1);
        assertEquals(stamp, Files.getLastModifiedTime(weights), "reused");
        SyntheticCheckpoint.ensure(Preset.TINY, 99, dir, 2);
        assertFalse(Files.exists(weights), "old single file removed when re-sharding");
        assertTrue(Files.exists(dir.resolve(SyntheticCheckpoint.INDEX_FILE)));
    }

    @Test
    void presetNamesParse() {
        assertEquals(Preset.TINY, Preset.fromName("tiny"));
        assertEquals(Preset.ASR_0_6B, Preset.fromName("0.6B"));
        assertEquals(Preset.ASR_1_7B, Preset.fromName(" 1.7b "));
    }
}
