package io.github.qwenasr.tools;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The forced-aligner presets (docs/model.md 1.3, 1.8, 7.1) and that the ASR presets did not change. */
class AlignerPresetTest {
    private static TensorSpec tensor(Preset p, String name) {
        return TensorInventory.of(p).stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void alignerHeadHasOneRowPerClass() {
        assertArrayEquals(new long[] {5000, 64}, tensor(Preset.TINY_ALIGNER, "thinker.lm_head.weight").shape());
        assertArrayEquals(new long[] {5000, 1024}, tensor(Preset.ALIGNER, "thinker.lm_head.weight").shape());
        assertArrayEquals(new long[] {152064, 1024}, tensor(Preset.ALIGNER, "thinker.model.embed_tokens.weight").shape());
        assertArrayEquals(new long[] {151936, 64}, tensor(Preset.TINY, "thinker.lm_head.weight").shape());
    }

    @Test
    void realAlignerShapesFollowTheSpec() {
        AudioEncoderShape a = Preset.ALIGNER.audio();
        assertEquals(24, a.layers());
        assertEquals(1024, a.dModel());
        assertEquals(16, a.heads());
        assertEquals(4096, a.ffnDim());
        assertEquals(1024, a.outputDim());
        TextDecoderShape t = Preset.ALIGNER.text();
        assertEquals(List.of(152064, 1024, 28, 16, 8, 128, 3072),
                List.of(t.vocabSize(), t.hidden(), t.layers(), t.heads(), t.kvHeads(), t.headDim(), t.intermediate()));
        assertArrayEquals(new long[] {1024, 1024}, tensor(Preset.ALIGNER, "thinker.audio_tower.proj2.weight").shape());
    }

    @Test
    @SuppressWarnings("unchecked")
    void alignerConfigCarriesTheAlignerKeys() {
        Map<String, Object> root = ModelConfigFiles.config(Preset.TINY_ALIGNER);
        Map<String, Object> thinker = (Map<String, Object>) root.get("thinker_config");
        assertEquals("qwen3_asr", root.get("model_type"));
        assertEquals("qwen3_forced_aligner", thinker.get("model_type"));
        assertEquals(5000, thinker.get("classify_num"));
        assertEquals(151705, root.get("timestamp_token_id"));
        assertEquals(80, root.get("timestamp_segment_time"));
        assertEquals(false, ((Map<String, Object>) thinker.get("text_config")).get("tie_word_embeddings"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void asrConfigsHaveNoAlignerKeys() {
        for (Preset p : List.of(Preset.TINY, Preset.ASR_0_6B, Preset.ASR_1_7B)) {
            Map<String, Object> root = ModelConfigFiles.config(p);
            Map<String, Object> thinker = (Map<String, Object>) root.get("thinker_config");
            assertEquals("qwen3_asr_thinker", thinker.get("model_type"));
            assertFalse(thinker.containsKey("classify_num"));
            assertFalse(root.containsKey("timestamp_token_id"));
            assertFalse(root.containsKey("timestamp_segment_time"));
        }
    }

    @Test
    void presetNamesParse() {
        assertEquals(Preset.TINY_ALIGNER, Preset.fromName("tiny-aligner"));
        assertEquals(Preset.ALIGNER, Preset.fromName("Aligner"));
        assertTrue(Preset.ALIGNER.aligner());
        assertFalse(Preset.ASR_0_6B.aligner());
    }
}
