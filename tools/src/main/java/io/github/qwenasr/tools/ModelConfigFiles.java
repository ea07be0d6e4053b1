package io.github.qwenasr.tools;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the JSON configuration files of a synthetic model directory: {@code config.json}
 * (docs/model.md 1.3, with the explicit fields docs/model.md 1.8 requires; for an aligner preset also {@code classify_num},
 * {@code timestamp_token_id} and {@code timestamp_segment_time}) and {@code preprocessor_config.json} (docs/model.md 2).
 */
public final class ModelConfigFiles {
    /** Written explicitly: it selects the reference tokenizer's pre-tokenisation regex (docs/model.md 6.3a). */
    public static final String TRANSFORMERS_VERSION = "4.57.6";
    public static final int AUDIO_TOKEN_ID = 151676;
    public static final int AUDIO_START_TOKEN_ID = 151669;
    public static final int AUDIO_END_TOKEN_ID = 151670;
    /** Forced aligner only (docs/model.md 1.3): the query token and the width of one class in milliseconds. */
    public static final int TIMESTAMP_TOKEN_ID = 151705;
    public static final int TIMESTAMP_SEGMENT_MS = 80;

    /** The 30 languages of the official package, in its order (docs/model.md 9). */
    public static final List<String> SUPPORTED_LANGUAGES = List.of(
            "Chinese", "English", "Cantonese", "Arabic", "German", "French", "Spanish", "Portuguese",
            "Indonesian", "Italian", "Korean", "Russian", "Thai", "Vietnamese", "Japanese", "Turkish", "Hindi",
            "Malay", "Dutch", "Swedish", "Danish", "Finnish", "Polish", "Czech", "Filipino", "Persian", "Greek",
            "Romanian", "Hungarian", "Macedonian");

    private ModelConfigFiles() {
    }

    /** The {@code config.json} object. No generation keys anywhere (docs/model.md 5.5); untied head (docs/model.md 1.8). */
    public static Map<String, Object> config(Preset preset) {
        Map<String, Object> thinker = new LinkedHashMap<>();
        thinker.put("audio_config", audioConfig(preset.audio()));
        thinker.put("audio_end_token_id", AUDIO_END_TOKEN_ID);
        thinker.put("audio_start_token_id", AUDIO_START_TOKEN_ID);
        thinker.put("audio_token_id", AUDIO_TOKEN_ID);
        thinker.put("dtype", "bfloat16");
        thinker.put("initializer_range", 0.02);
        // docs/model.md 1.8: the aligner is recognised by this string; the reference builds the 5000-class head from it.
        thinker.put("model_type", preset.aligner() ? "qwen3_forced_aligner" : "qwen3_asr_thinker");
        if (preset.aligner()) thinker.put("classify_num", preset.classifyNum());
        thinker.put("text_config", textConfig(preset.text()));
        thinker.put("user_token_id", 872);

        Map<String, Object> root = new LinkedHashMap<>();
        root.put("architectures", List.of("Qwen3ASRForConditionalGeneration"));
        root.put("dtype", "bfloat16");
        root.put("model_type", "qwen3_asr");
        root.put("support_languages", SUPPORTED_LANGUAGES);
        root.put("thinker_config", thinker);
        root.put("tie_word_embeddings", false);
        if (preset.aligner()) {
            root.put("timestamp_segment_time", TIMESTAMP_SEGMENT_MS);
            root.put("timestamp_token_id", TIMESTAMP_TOKEN_ID);
        }
        root.put("transformers_version", TRANSFORMERS_VERSION);
        return root;
    }

    private static Map<String, Object> audioConfig(AudioEncoderShape a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("activation_dropout", 0.0);
        m.put("activation_function", "gelu");
        m.put("attention_dropout", 0.0);
        m.put("conv_chunksize", a.convChunksize());
        m.put("d_model", a.dModel());
        m.put("downsample_hidden_size", a.downsampleHidden());
        m.put("dropout", 0.0);
        m.put("encoder_attention_heads", a.heads());
        m.put("encoder_ffn_dim", a.ffnDim());
        m.put("encoder_layers", a.layers());
        m.put("initializer_range", 0.02);
        m.put("max_source_positions", a.maxSourcePositions());
        m.put("model_type", "qwen3_asr_audio_encoder");
        m.put("n_window", a.nWindow());
        m.put("n_window_infer", a.nWindowInfer());
        m.put("num_mel_bins", a.numMelBins());
        m.put("output_dim", a.outputDim());
        m.put("scale_embedding", false);
        return m;
    }

    private static Map<String, Object> textConfig(TextDecoderShape t) {
        Map<String, Object> rope = new LinkedHashMap<>();
        rope.put("interleaved", true);
        rope.put("mrope_interleaved", true);
        rope.put("mrope_section", t.mropeSection());
        rope.put("rope_type", "default");

        Map<String, Object> m = new LinkedHashMap<>();
        m.put("attention_bias", false);
        m.put("attention_dropout", 0.0);
        // No "dtype" here: the reference builds the decoder in that dtype even when loaded as float32.
        m.put("head_dim", t.headDim());
        m.put("hidden_act", "silu");
        m.put("hidden_size", t.hidden());
        m.put("initializer_range", 0.02);
        m.put("intermediate_size", t.intermediate());
        m.put("max_position_embeddings", t.maxPositions());
        m.put("model_type", "qwen3_asr_text");
        m.put("num_attention_heads", t.heads());
        m.put("num_hidden_layers", t.layers());
        m.put("num_key_value_heads", t.kvHeads());
        m.put("rms_norm_eps", 1.0e-6);
        m.put("rope_scaling", rope);
        m.put("rope_theta", t.ropeTheta());
        m.put("tie_word_embeddings", false);
        m.put("use_cache", true);
        m.put("vocab_size", t.vocabSize());
        return m;
    }

    /** The Whisper feature-extractor settings of docs/model.md 2 ({@code preprocessor_config.json}). */
    public static Map<String, Object> preprocessorConfig(AudioEncoderShape a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("chunk_length", 30);
        m.put("dither", 0.0);
        m.put("feature_extractor_type", "WhisperFeatureExtractor");
        m.put("feature_size", a.numMelBins());
        m.put("hop_length", 160);
        m.put("n_fft", 400);
        m.put("n_samples", 480000);
        m.put("nb_max_frames", 3000);
        m.put("padding_side", "right");
        m.put("padding_value", 0.0);
        m.put("processor_class", "Qwen3ASRProcessor");
        m.put("return_attention_mask", true);
        m.put("sampling_rate", 16000);
        return m;
    }
}
