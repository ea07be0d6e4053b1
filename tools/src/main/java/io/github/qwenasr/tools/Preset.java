package io.github.qwenasr.tools;

import java.util.List;
import java.util.Locale;

/**
 * Model shapes a synthetic checkpoint can take (docs/model.md 1.3, 1.8).
 *
 * <ul>
 *   <li>{@link #TINY}: a few-million-parameter model (plus the full 151 936-row vocabulary) that runs in
 *       seconds; encoder heads stay 64 wide so the fixed 0.125 attention scale holds, and the decoder's
 *       head width (32) differs from hidden / heads (16) so an engine must read {@code head_dim}.</li>
 *   <li>{@link #ASR_0_6B}, {@link #ASR_1_7B}: the real Qwen3-ASR shapes, untied output head.</li>
 *   <li>{@link #TINY_ALIGNER}: the tiny shapes (with the aligner's 152 064 embedding rows) and a
 *       5000-class head, configured as a Qwen3-ForcedAligner (docs/model.md 1.3, 7.1).</li>
 *   <li>{@link #ALIGNER}: the real Qwen3-ForcedAligner-0.6B shapes (docs/model.md 1.3).</li>
 * </ul>
 *
 * <p>q/k-norm weights (docs/model.md 1.8): 4.0 in the first two decoder layers (every layer of the tiny
 * model), 1.5 in the later ones. With 4.0 in all 28 layers of the full-size decoder, float32 rounding is
 * amplified until the first-step logits differ from a float64 run by ~1e-2 and greedy tokens diverge at
 * near-ties; with this split the difference stays ~2e-5 while the first token still changes when the
 * audio is reversed (same length, same prompt).
 */
public enum Preset {
    TINY("tiny",
            new AudioEncoderShape(128, 128, 2, 2, 256, 32, 50, 800, 500, 64, 1500),
            new TextDecoderShape(151936, 64, 2, 4, 2, 32, 128, 1_000_000L, List.of(8, 4, 4), 65536),
            new InitScales(1.0, 0.1, 0.1, 1.0, 4.0, 2, 1.5, 1.0)),
    ASR_0_6B("0.6b",
            new AudioEncoderShape(128, 896, 18, 14, 3584, 480, 50, 800, 500, 1024, 1500),
            new TextDecoderShape(151936, 1024, 28, 16, 8, 128, 3072, 1_000_000L, List.of(24, 20, 20), 65536),
            new InitScales(1.0, 0.1, 0.1, 1.0, 4.0, 2, 1.5, 1.0)),
    ASR_1_7B("1.7b",
            new AudioEncoderShape(128, 1024, 24, 16, 4096, 480, 50, 800, 500, 2048, 1500),
            new TextDecoderShape(151936, 2048, 28, 16, 8, 128, 6144, 1_000_000L, List.of(24, 20, 20), 65536),
            new InitScales(1.0, 0.1, 0.1, 1.0, 4.0, 2, 1.5, 1.0)),
    TINY_ALIGNER("tiny-aligner",
            new AudioEncoderShape(128, 128, 2, 2, 256, 32, 50, 800, 500, 64, 1500),
            new TextDecoderShape(152064, 64, 2, 4, 2, 32, 128, 1_000_000L, List.of(8, 4, 4), 65536),
            new InitScales(1.0, 0.1, 0.1, 1.0, 4.0, 2, 1.5, 1.0),
            5000),
    ALIGNER("aligner",
            new AudioEncoderShape(128, 1024, 24, 16, 4096, 480, 50, 800, 500, 1024, 1500),
            new TextDecoderShape(152064, 1024, 28, 16, 8, 128, 3072, 1_000_000L, List.of(24, 20, 20), 65536),
            new InitScales(1.0, 0.1, 0.1, 1.0, 4.0, 2, 1.5, 1.0),
            5000);

    private final String cliName;
    private final AudioEncoderShape audio;
    private final TextDecoderShape text;
    private final InitScales scales;
    private final int classifyNum;

    Preset(String cliName, AudioEncoderShape audio, TextDecoderShape text, InitScales scales) {
        this(cliName, audio, text, scales, 0);
    }

    Preset(String cliName, AudioEncoderShape audio, TextDecoderShape text, InitScales scales, int classifyNum) {
        this.cliName = cliName;
        this.audio = audio;
        this.text = text;
        this.scales = scales;
        this.classifyNum = classifyNum;
    }

    /** Classes of the forced aligner's output head (docs/model.md 7.1); 0 for a speech recognition model. */
    public int classifyNum() {
        return classifyNum;
    }

    /** Whether this preset is a Qwen3-ForcedAligner (5000-row head, aligner config keys, 1.8). */
    public boolean aligner() {
        return classifyNum > 0;
    }

    /** Rows of {@code thinker.lm_head.weight}: the class count for an aligner, else the vocabulary. */
    public int headRows() {
        return aligner() ? classifyNum : text.vocabSize();
    }

    /** The name used on the command line and in golden manifests ({@code tiny}, {@code 0.6b}, {@code 1.7b}). */
    public String cliName() {
        return cliName;
    }

    public AudioEncoderShape audio() {
        return audio;
    }

    public TextDecoderShape text() {
        return text;
    }

    public InitScales scales() {
        return scales;
    }

    /** Looks a preset up by its command-line name (case-insensitive). */
    public static Preset fromName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (Preset p : values()) {
            if (p.cliName.equals(n)) return p;
        }
        throw new IllegalArgumentException("unknown preset '" + name + "' (expected tiny, 0.6b, 1.7b, tiny-aligner or aligner)");
    }
}
