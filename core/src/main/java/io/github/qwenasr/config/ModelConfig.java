package io.github.qwenasr.config;

import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.json.Json;
import io.github.qwenasr.json.JsonException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The parts of config.json the engine uses (docs/model.md 1.3), read once and validated. Python class
 * defaults are never assumed for dimensions: a missing dimension is an error. The two keys whose
 * absence has defined meaning in the reference (tie_word_embeddings false) keep that meaning.
 *
 * @param audio               encoder dimensions
 * @param text                decoder dimensions
 * @param audioTokenId        id of &lt;|audio_pad|&gt;
 * @param audioStartTokenId   id of &lt;|audio_start|&gt;
 * @param audioEndTokenId     id of &lt;|audio_end|&gt;
 * @param classifyNum         aligner classes (0 for ASR models)
 * @param timestampTokenId    aligner query token (-1 for ASR models)
 * @param timestampSegmentMs  aligner class width in ms
 * @param transformersVersion top-level transformers_version or null (selects the tokenizer regex)
 */
public record ModelConfig(
        AudioConfig audio,
        TextConfig text,
        int audioTokenId,
        int audioStartTokenId,
        int audioEndTokenId,
        int classifyNum,
        int timestampTokenId,
        int timestampSegmentMs,
        String transformersVersion,
        boolean aligner) {

    /** Encoder dimensions (thinker_config.audio_config). */
    public record AudioConfig(
            int numMelBins,
            int dModel,
            int layers,
            int heads,
            int ffnDim,
            int outputDim,
            int downsampleHidden,
            int nWindow,
            int nWindowInfer,
            int maxSourcePositions) {
        public AudioConfig {
            if (dModel % heads != 0) {
                throw new QwenAsrException("config.json: audio d_model " + dModel + " is not divisible by " + heads + " heads");
            }
            if (numMelBins != 128) throw new QwenAsrException("config.json: num_mel_bins must be 128, got " + numMelBins);
            if (dModel % 2 != 0) throw new QwenAsrException("config.json: audio d_model must be even");
        }

        public int headDim() {
            return dModel / heads;
        }

        /** Mel frames per conv chunk: 2 * n_window (100 for the real models). */
        public int chunkFrames() {
            return 2 * nWindow;
        }

        /** Frequency rows after three stride-2 convs of the 128 mel bins. */
        public int convFreq() {
            int f = numMelBins;
            for (int i = 0; i < 3; i++) f = (f - 1) / 2 + 1;
            return f;
        }
    }

    /** Decoder dimensions (thinker_config.text_config). */
    public record TextConfig(
            int vocabSize,
            int hidden,
            int intermediate,
            int layers,
            int heads,
            int kvHeads,
            int headDim,
            double rmsNormEps,
            double ropeTheta,
            boolean tieWordEmbeddings) {
        public TextConfig {
            if (heads % kvHeads != 0) {
                throw new QwenAsrException("config.json: " + heads + " attention heads not divisible by " + kvHeads + " kv heads");
            }
            if (headDim % 2 != 0) throw new QwenAsrException("config.json: head_dim must be even");
        }
    }

    /** Reads and validates dir/config.json. */
    public static ModelConfig load(Path dir) {
        Path file = dir.resolve("config.json");
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new QwenAsrException("missing model file " + file);
        } catch (IOException e) {
            throw new QwenAsrException("cannot read " + file + ": " + e.getMessage(), e);
        }
        try {
            return parse(Json.parseObject(text));
        } catch (JsonException e) {
            throw new QwenAsrException("corrupt config.json in " + dir + ": " + e.getMessage());
        }
    }

    static ModelConfig parse(Map<String, Object> root) {
        Map<String, Object> thinker = Json.object(root, "thinker_config");
        if (thinker == null) throw new QwenAsrException("config.json has no thinker_config (not a Qwen3-ASR model?)");
        Map<String, Object> a = Json.object(thinker, "audio_config");
        Map<String, Object> t = Json.object(thinker, "text_config");
        if (a == null || t == null) throw new QwenAsrException("config.json: thinker_config lacks audio_config or text_config");
        AudioConfig audio = new AudioConfig(
                req(a, "num_mel_bins", "audio_config"),
                req(a, "d_model", "audio_config"),
                req(a, "encoder_layers", "audio_config"),
                req(a, "encoder_attention_heads", "audio_config"),
                req(a, "encoder_ffn_dim", "audio_config"),
                req(a, "output_dim", "audio_config"),
                req(a, "downsample_hidden_size", "audio_config"),
                req(a, "n_window", "audio_config"),
                req(a, "n_window_infer", "audio_config"),
                req(a, "max_source_positions", "audio_config"));
        int hidden = req(t, "hidden_size", "text_config");
        int heads = req(t, "num_attention_heads", "text_config");
        TextConfig textCfg = new TextConfig(
                req(t, "vocab_size", "text_config"),
                hidden,
                req(t, "intermediate_size", "text_config"),
                req(t, "num_hidden_layers", "text_config"),
                heads,
                req(t, "num_key_value_heads", "text_config"),
                (int) Json.getLong(t, "head_dim", hidden / heads),
                Json.getDouble(t, "rms_norm_eps", 1e-6),
                Json.getDouble(t, "rope_theta", 1_000_000.0),
                Json.getBoolean(t, "tie_word_embeddings", false));
        String thinkerType = Json.getString(thinker, "model_type", "");
        boolean aligner = thinkerType.contains("forced_aligner") || thinker.containsKey("classify_num");
        if (audio.outputDim() != textCfg.hidden()) {
            throw new QwenAsrException("config.json: audio output_dim " + audio.outputDim()
                    + " differs from text hidden_size " + textCfg.hidden());
        }
        return new ModelConfig(
                audio,
                textCfg,
                req(thinker, "audio_token_id", "thinker_config"),
                req(thinker, "audio_start_token_id", "thinker_config"),
                req(thinker, "audio_end_token_id", "thinker_config"),
                (int) Json.getLong(thinker, "classify_num", 0),
                (int) Json.getLong(root, "timestamp_token_id", -1),
                (int) Json.getLong(root, "timestamp_segment_time", 80),
                Json.getString(root, "transformers_version", null),
                aligner);
    }

    private static int req(Map<String, Object> obj, String key, String where) {
        if (!obj.containsKey(key)) throw new QwenAsrException("config.json: " + where + "." + key + " is missing");
        long v = Json.getLong(obj, key, 0);
        if (v <= 0 || v > Integer.MAX_VALUE) throw new QwenAsrException("config.json: " + where + "." + key + " = " + v + " is out of range");
        return (int) v;
    }

    /** Human-readable variant name for status lines (docs/model.md 1.4). */
    public String variantName() {
        if (aligner) return "Qwen3-ForcedAligner-0.6B";
        return switch (text.hidden()) {
            case 1024 -> "Qwen3-ASR-0.6B";
            case 2048 -> "Qwen3-ASR-1.7B";
            default -> "Qwen3-ASR (custom: hidden " + text.hidden() + ", " + text.layers() + " layers)";
        };
    }
}
