package io.github.qwenasr.config;

import static org.junit.jupiter.api.Assertions.*;

import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.json.Json;
import org.junit.jupiter.api.Test;

class ModelConfigTest {
    /** The real 0.6B values of docs/model.md 1.3. */
    static final String REAL_06B = """
            {"model_type":"qwen3_asr","transformers_version":"4.57.6","thinker_config":{
              "model_type":"qwen3_asr_thinker","audio_token_id":151676,"audio_start_token_id":151669,"audio_end_token_id":151670,
              "audio_config":{"num_mel_bins":128,"d_model":896,"encoder_layers":18,"encoder_attention_heads":14,
                "encoder_ffn_dim":3584,"output_dim":1024,"downsample_hidden_size":480,"n_window":50,"n_window_infer":800,
                "conv_chunksize":500,"max_source_positions":1500},
              "text_config":{"vocab_size":151936,"hidden_size":1024,"intermediate_size":3072,"num_hidden_layers":28,
                "num_attention_heads":16,"num_key_value_heads":8,"head_dim":128,"rms_norm_eps":1e-6,"rope_theta":1000000,
                "tie_word_embeddings":true}}}""";

    @Test
    void readsTheRealShapes() {
        ModelConfig c = ModelConfig.parse(Json.parseObject(REAL_06B));
        assertEquals(896, c.audio().dModel());
        assertEquals(64, c.audio().headDim());
        assertEquals(100, c.audio().chunkFrames());
        assertEquals(16, c.audio().convFreq());
        assertEquals(128, c.text().headDim());
        assertTrue(c.text().tieWordEmbeddings());
        assertFalse(c.aligner());
        assertEquals("Qwen3-ASR-0.6B", c.variantName());
        assertEquals("4.57.6", c.transformersVersion());
    }

    @Test
    void tokenCountFollowsTheOfficialFormula() {
        ModelConfig c = ModelConfig.parse(Json.parseObject(REAL_06B));
        // docs/model.md 3.5 table.
        int[][] table = {{1, 1}, {8, 1}, {9, 2}, {50, 7}, {99, 13}, {100, 13}, {101, 14}, {200, 26}, {201, 27},
                {591, 77}, {800, 104}, {801, 105}, {1100, 143}, {3000, 390}, {11926, 1551}};
        for (int[] row : table) {
            assertEquals(row[1], io.github.qwenasr.encoder.AudioEncoder.tokenCount(c.audio(), row[0]), "T=" + row[0]);
        }
    }

    @Test
    void alignerAndMissingKeys() {
        String aligner = REAL_06B.replace("\"qwen3_asr_thinker\"", "\"qwen3_forced_aligner\",\"classify_num\":5000")
                .replace("\"tie_word_embeddings\":true", "\"tie_word_embeddings\":false");
        ModelConfig a = ModelConfig.parse(Json.parseObject(aligner));
        assertTrue(a.aligner());
        assertEquals(5000, a.classifyNum());

        QwenAsrException e = assertThrows(QwenAsrException.class,
                () -> ModelConfig.parse(Json.parseObject(REAL_06B.replace("\"d_model\":896,", ""))));
        assertTrue(e.getMessage().contains("audio_config.d_model is missing"), e.getMessage());
        e = assertThrows(QwenAsrException.class,
                () -> ModelConfig.parse(Json.parseObject(REAL_06B.replace("\"output_dim\":1024", "\"output_dim\":512"))));
        assertTrue(e.getMessage().contains("output_dim"), e.getMessage());
        e = assertThrows(QwenAsrException.class, () -> ModelConfig.parse(Json.parseObject("{\"model_type\":\"whisper\"}")));
        assertTrue(e.getMessage().contains("thinker_config"), e.getMessage());
    }

    private static String rejected(String from, String to) {
        String json = REAL_06B.replace(from, to);
        assertNotEquals(REAL_06B, json, "the edit must change the config");
        return assertThrows(QwenAsrException.class, () -> ModelConfig.parse(Json.parseObject(json))).getMessage();
    }

    @Test
    void sizesBeyondTheSanityBoundsAreConfigErrors() {
        assertTrue(rejected("\"num_hidden_layers\":28", "\"num_hidden_layers\":2000000000")
                .contains("text_config.num_hidden_layers = 2000000000 is out of range (1..1024)"));
        assertTrue(rejected("\"encoder_layers\":18", "\"encoder_layers\":5000").contains("audio_config.encoder_layers"));
        assertTrue(rejected("\"intermediate_size\":3072", "\"intermediate_size\":1000000000").contains("intermediate_size"));
        assertTrue(rejected("\"vocab_size\":151936", "\"vocab_size\":100000000").contains("vocab_size"));
        assertTrue(rejected("\"n_window\":50", "\"n_window\":1500000000").contains("n_window"));
        assertTrue(rejected("\"num_key_value_heads\":8", "\"num_key_value_heads\":0").contains("num_key_value_heads"));
    }

    @Test
    void optionalIntegersAreNeverNarrowedSilently() {
        // 2^32 + 128 used to become 128 through an int cast.
        assertTrue(rejected("\"head_dim\":128", "\"head_dim\":4294967424").contains("text_config.head_dim"));
        assertTrue(rejected("\"qwen3_asr_thinker\"", "\"qwen3_forced_aligner\",\"classify_num\":4294972296")
                .contains("thinker_config.classify_num"));
        assertTrue(rejected("{\"model_type\":\"qwen3_asr\"", "{\"timestamp_segment_time\":-80,\"model_type\":\"qwen3_asr\"")
                .contains("config.json: timestamp_segment_time = -80"));
        assertTrue(rejected("\"rope_theta\":1000000", "\"rope_theta\":-1").contains("rope_theta"));
    }

    @Test
    void maxPositionEmbeddingsIsRead() {
        ModelConfig absent = ModelConfig.parse(Json.parseObject(REAL_06B));
        assertEquals(ModelConfig.DEFAULT_MAX_POSITIONS, absent.text().maxPositions(), "the official class default");
        ModelConfig set = ModelConfig.parse(Json.parseObject(
                REAL_06B.replace("\"head_dim\":128", "\"head_dim\":128,\"max_position_embeddings\":65536")));
        assertEquals(65536, set.text().maxPositions());
        assertTrue(rejected("\"head_dim\":128", "\"head_dim\":128,\"max_position_embeddings\":0")
                .contains("max_position_embeddings"));
    }
}
