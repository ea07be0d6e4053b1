package io.github.qwenasr.config;

/** Every tensor name of the checkpoint in one place (docs/model.md 1.5). */
public final class TensorNames {
    private TensorNames() {}

    public static final String ENC = "thinker.audio_tower.";
    public static final String CONV1_W = ENC + "conv2d1.weight";
    public static final String CONV1_B = ENC + "conv2d1.bias";
    public static final String CONV2_W = ENC + "conv2d2.weight";
    public static final String CONV2_B = ENC + "conv2d2.bias";
    public static final String CONV3_W = ENC + "conv2d3.weight";
    public static final String CONV3_B = ENC + "conv2d3.bias";
    public static final String CONV_OUT_W = ENC + "conv_out.weight";
    public static final String LN_POST_W = ENC + "ln_post.weight";
    public static final String LN_POST_B = ENC + "ln_post.bias";
    public static final String PROJ1_W = ENC + "proj1.weight";
    public static final String PROJ1_B = ENC + "proj1.bias";
    public static final String PROJ2_W = ENC + "proj2.weight";
    public static final String PROJ2_B = ENC + "proj2.bias";

    /** Encoder layer tensor: e.g. encLayer(3, "self_attn.q_proj.weight"). */
    public static String encLayer(int i, String suffix) {
        return ENC + "layers." + i + "." + suffix;
    }

    public static final String DEC = "thinker.model.";
    public static final String EMBED = DEC + "embed_tokens.weight";
    public static final String FINAL_NORM = DEC + "norm.weight";
    public static final String LM_HEAD = "thinker.lm_head.weight";

    /** Decoder layer tensor: e.g. decLayer(3, "mlp.up_proj.weight"). */
    public static String decLayer(int l, String suffix) {
        return DEC + "layers." + l + "." + suffix;
    }
}
