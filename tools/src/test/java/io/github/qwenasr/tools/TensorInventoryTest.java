package io.github.qwenasr.tools;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TensorInventoryTest {

    private static Map<String, TensorSpec> byName(Preset p) {
        return TensorInventory.of(p).stream().collect(Collectors.toMap(TensorSpec::name, Function.identity()));
    }

    @Test
    void shapesOf06bMatchTheSpecInventory() {
        // docs/model.md 1.5, column 0.6B.
        Map<String, TensorSpec> t = byName(Preset.ASR_0_6B);
        assertArrayEquals(new long[] {480, 1, 3, 3}, t.get("thinker.audio_tower.conv2d1.weight").shape());
        assertArrayEquals(new long[] {480, 480, 3, 3}, t.get("thinker.audio_tower.conv2d3.weight").shape());
        assertArrayEquals(new long[] {896, 7680}, t.get("thinker.audio_tower.conv_out.weight").shape());
        assertArrayEquals(new long[] {3584, 896}, t.get("thinker.audio_tower.layers.17.fc1.weight").shape());
        assertArrayEquals(new long[] {896, 3584}, t.get("thinker.audio_tower.layers.0.fc2.weight").shape());
        assertArrayEquals(new long[] {1024, 896}, t.get("thinker.audio_tower.proj2.weight").shape());
        assertArrayEquals(new long[] {151936, 1024}, t.get("thinker.model.embed_tokens.weight").shape());
        assertArrayEquals(new long[] {2048, 1024}, t.get("thinker.model.layers.27.self_attn.q_proj.weight").shape());
        assertArrayEquals(new long[] {1024, 1024}, t.get("thinker.model.layers.0.self_attn.k_proj.weight").shape());
        assertArrayEquals(new long[] {1024, 2048}, t.get("thinker.model.layers.0.self_attn.o_proj.weight").shape());
        assertArrayEquals(new long[] {128}, t.get("thinker.model.layers.0.self_attn.q_norm.weight").shape());
        assertArrayEquals(new long[] {3072, 1024}, t.get("thinker.model.layers.0.mlp.gate_proj.weight").shape());
        assertArrayEquals(new long[] {1024, 3072}, t.get("thinker.model.layers.0.mlp.down_proj.weight").shape());
        assertArrayEquals(new long[] {151936, 1024}, t.get("thinker.lm_head.weight").shape());
        assertTrue(!t.containsKey("thinker.audio_tower.conv_out.bias"), "conv_out has no bias");
        assertTrue(t.keySet().stream().noneMatch(n -> n.startsWith("thinker.model.") && n.endsWith(".bias")),
                "decoder has no biases");
        // encoder: 6 conv + conv_out + 16 per layer + ln_post/proj1/proj2 (6); decoder: embed + 11 per layer + norm; head
        assertEquals(6 + 1 + 16 * 18 + 6 + 1 + 11 * 28 + 1 + 1, t.size());
    }

    @Test
    void totalSizesMatchThePublishedUntiedFiles() {
        // docs/model.md 1.5: untied BF16 sizes 1.876 GB (0.6B) and 4.698 GB (1.7B).
        assertEquals(1.876e9, bytes(Preset.ASR_0_6B), 0.001e9);
        assertEquals(4.698e9, bytes(Preset.ASR_1_7B), 0.001e9);
    }

    @Test
    void namesAreSortedAndUnique() {
        List<String> names = TensorInventory.of(Preset.TINY).stream().map(TensorSpec::name).toList();
        assertEquals(names.stream().sorted().distinct().toList(), names);
    }

    @Test
    void initialisationFollowsTheSyntheticFixtureRules() {
        // docs/model.md 1.8: unit-scale activations, embeddings of variance 1, q/k norm gains 4.
        Map<String, TensorSpec> t = byName(Preset.TINY);
        TensorSpec q = t.get("thinker.model.layers.1.self_attn.q_proj.weight");
        assertEquals(1.0 / Math.sqrt(64), q.std(), 1e-12);
        assertEquals(1.0, t.get("thinker.model.embed_tokens.weight").std(), 0);
        TensorSpec qn = t.get("thinker.model.layers.0.self_attn.k_norm.weight");
        assertEquals(4.0, qn.center(), 0);
        assertEquals(0.0, qn.std(), 0);
        assertEquals(4.0, t.get("thinker.model.layers.1.self_attn.q_norm.weight").center(), 0);
        assertEquals(1.0, t.get("thinker.audio_tower.ln_post.weight").center(), 0);
        // Deep decoders: sharp only in the first two layers, milder after (float32 conditioning).
        Map<String, TensorSpec> big = byName(Preset.ASR_0_6B);
        assertEquals(4.0, big.get("thinker.model.layers.1.self_attn.k_norm.weight").center(), 0);
        assertEquals(1.5, big.get("thinker.model.layers.2.self_attn.q_norm.weight").center(), 0);
        assertEquals(1.5, big.get("thinker.model.layers.27.self_attn.k_norm.weight").center(), 0);
        assertEquals(1.0 / Math.sqrt(9 * 32), t.get("thinker.audio_tower.conv2d2.weight").std(), 1e-12);
    }

    private static double bytes(Preset p) {
        return TensorInventory.of(p).stream().mapToLong(TensorSpec::bytes).sum();
    }
}
