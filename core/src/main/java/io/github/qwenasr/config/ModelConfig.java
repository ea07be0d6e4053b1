package io.github.qwenasr.config;

import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.json.Json;
import io.github.qwenasr.json.JsonException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The parts of config.json the engine uses (docs/model.md 1.3), read once and validated. Python class
 * defaults are never assumed for dimensions: a missing dimension is an error. The two keys whose
 * absence has defined meaning in the reference (tie_word_embeddings false) keep that meaning.
 *
 * <p>Every count and size must lie within a sanity bound far above any published model of the
 * family ({@link #MAX_LAYERS}, {@link #MAX_WIDTH}, ...): the loaders size arrays and products of
 * int arithmetic from these values, so a hostile file must fail here with the key's name, not later
 * with an overflow or an out-of-memory error. The decoder and encoder then check each value against
 * the tensors that are actually stored before they allocate anything.
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

    /** Most layers of either stack (the published models have 18-28). */
    public static final int MAX_LAYERS = 1024;
    /**
     * Widest hidden or feed-forward dimension (the published models reach 6144). With it, a width
     * times the positions of a 1200 s piece still fits an int.
     */
    public static final int MAX_WIDTH = 1 << 16;
    /** Widest attention head (the published models use 64 and 128). */
    public static final int MAX_HEAD_DIM = 1024;
    /** Most aligner classes (the published aligner has 5000). */
    public static final int MAX_CLASSES = 1 << 16;
    /** Most attention heads (the published models have 8-16). */
    public static final int MAX_HEADS = 1024;
    /** Largest vocabulary or token id (ids index dense arrays; the published models use 151 936). */
    public static final int MAX_VOCAB = 1 << 24;
    /** Largest encoder window setting (the published models use 50 and 800). */
    public static final int MAX_WINDOW = 1 << 16;
    /**
     * The decoder's position limit when text_config has no max_position_embeddings: the default
     * of the official package's Qwen3ASRTextConfig.
     */
    public static final int DEFAULT_MAX_POSITIONS = 128_000;

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
            boolean tieWordEmbeddings,
            int maxPositions) {
        public TextConfig {
            if (heads % kvHeads != 0) {
                throw new QwenAsrException("config.json: " + heads + " attention heads not divisible by " + kvHeads + " kv heads");
            }
            if (headDim % 2 != 0) throw new QwenAsrException("config.json: head_dim must be even");
            if (!(rmsNormEps >= 0) || Double.isInfinite(rmsNormEps)) {
                throw new QwenAsrException("config.json: text_config.rms_norm_eps = " + rmsNormEps + " is out of range");
            }
            if (!(ropeTheta > 0) || Double.isInfinite(ropeTheta)) {
                throw new QwenAsrException("config.json: text_config.rope_theta = " + ropeTheta + " is out of range");
            }
        }
    }

    /** Reads and validates dir/config.json. */
    public static ModelConfig load(Path dir) {
        Path file = dir.resolve("config.json");
        String text = ModelFileReader.readText(file, "model file");
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
                req(a, "num_mel_bins", "audio_config", MAX_WIDTH),
                req(a, "d_model", "audio_config", MAX_WIDTH),
                req(a, "encoder_layers", "audio_config", MAX_LAYERS),
                req(a, "encoder_attention_heads", "audio_config", MAX_HEADS),
                req(a, "encoder_ffn_dim", "audio_config", MAX_WIDTH),
                req(a, "output_dim", "audio_config", MAX_WIDTH),
                req(a, "downsample_hidden_size", "audio_config", MAX_WIDTH),
                req(a, "n_window", "audio_config", MAX_WINDOW),
                req(a, "n_window_infer", "audio_config", MAX_WINDOW),
                req(a, "max_source_positions", "audio_config", MAX_WINDOW));
        int hidden = req(t, "hidden_size", "text_config", MAX_WIDTH);
        int heads = req(t, "num_attention_heads", "text_config", MAX_HEADS);
        TextConfig textCfg = new TextConfig(
                req(t, "vocab_size", "text_config", MAX_VOCAB),
                hidden,
                req(t, "intermediate_size", "text_config", MAX_WIDTH),
                req(t, "num_hidden_layers", "text_config", MAX_LAYERS),
                heads,
                req(t, "num_key_value_heads", "text_config", MAX_HEADS),
                opt(t, "head_dim", "text_config", Math.max(1, hidden / heads), 1, MAX_HEAD_DIM),
                Json.getDouble(t, "rms_norm_eps", 1e-6),
                Json.getDouble(t, "rope_theta", 1_000_000.0),
                Json.getBoolean(t, "tie_word_embeddings", false),
                opt(t, "max_position_embeddings", "text_config", DEFAULT_MAX_POSITIONS, 1, Integer.MAX_VALUE));
        String thinkerType = Json.getString(thinker, "model_type", "");
        boolean aligner = thinkerType.contains("forced_aligner") || thinker.containsKey("classify_num");
        if (audio.outputDim() != textCfg.hidden()) {
            throw new QwenAsrException("config.json: audio output_dim " + audio.outputDim()
                    + " differs from text hidden_size " + textCfg.hidden());
        }
        return new ModelConfig(
                audio,
                textCfg,
                req(thinker, "audio_token_id", "thinker_config", MAX_VOCAB - 1),
                req(thinker, "audio_start_token_id", "thinker_config", MAX_VOCAB - 1),
                req(thinker, "audio_end_token_id", "thinker_config", MAX_VOCAB - 1),
                opt(thinker, "classify_num", "thinker_config", 0, 0, MAX_CLASSES),
                opt(root, "timestamp_token_id", "", -1, -1, MAX_VOCAB - 1),
                opt(root, "timestamp_segment_time", "", 80, 1, 1_000_000),
                Json.getString(root, "transformers_version", null),
                aligner);
    }

    /** A required positive integer of at most {@code max}; {@code where} is the enclosing object's key. */
    private static int req(Map<String, Object> obj, String key, String where, int max) {
        if (!obj.containsKey(key)) throw new QwenAsrException("config.json: " + where + "." + key + " is missing");
        return opt(obj, key, where, 0, 1, max);
    }

    /**
     * An optional integer in [min, max], {@code dflt} when absent; never narrowed to int silently.
     * {@code where} is the enclosing object's key, "" at the top level.
     */
    private static int opt(Map<String, Object> obj, String key, String where, int dflt, int min, int max) {
        long v = Json.getLong(obj, key, dflt);
        if (v < min || v > max) {
            throw new QwenAsrException("config.json: " + (where.isEmpty() ? "" : where + ".") + key + " = " + v
                    + " is out of range (" + min + ".." + max + ")");
        }
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
