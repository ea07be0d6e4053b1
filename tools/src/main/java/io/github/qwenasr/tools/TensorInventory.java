package io.github.qwenasr.tools;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The complete tensor list of an ASR or forced-aligner checkpoint (docs/model.md 1.5; the aligner's head
 * has one row per class, 7.1), with the initialisation of each
 * tensor chosen by {@link InitScales} (docs/model.md 1.8). Names are sorted, which fixes the byte layout of the
 * safetensors files.
 */
public final class TensorInventory {
    private final InitScales scales;
    private final List<TensorSpec> specs = new ArrayList<>();

    private TensorInventory(InitScales scales) {
        this.scales = scales;
    }

    /** All tensors of the preset, sorted by name. */
    public static List<TensorSpec> of(Preset preset) {
        TensorInventory inv = new TensorInventory(preset.scales());
        inv.addEncoder(preset.audio());
        inv.addDecoder(preset.text(), preset.headRows());
        inv.specs.sort(Comparator.comparing(TensorSpec::name));
        return List.copyOf(inv.specs);
    }

    private void addEncoder(AudioEncoderShape a) {
        String p = "thinker.audio_tower.";
        int c = a.downsampleHidden();
        conv(p + "conv2d1", c, 1);
        conv(p + "conv2d2", c, c);
        conv(p + "conv2d3", c, c);
        weight(p + "conv_out.weight", a.dModel(), a.convOutInputs());
        int d = a.dModel();
        for (int i = 0; i < a.layers(); i++) {
            String l = p + "layers." + i + ".";
            linear(l + "self_attn.q_proj", d, d);
            linear(l + "self_attn.k_proj", d, d);
            linear(l + "self_attn.v_proj", d, d);
            linear(l + "self_attn.out_proj", d, d);
            layerNorm(l + "self_attn_layer_norm", d);
            linear(l + "fc1", a.ffnDim(), d);
            linear(l + "fc2", d, a.ffnDim());
            layerNorm(l + "final_layer_norm", d);
        }
        layerNorm(p + "ln_post", d);
        linear(p + "proj1", d, d);
        linear(p + "proj2", a.outputDim(), d);
    }

    private void addDecoder(TextDecoderShape t, int headRows) {
        String p = "thinker.model.";
        int h = t.hidden();
        add(p + "embed_tokens.weight", new long[] {t.vocabSize(), h}, 0, scales.embedStd());
        int qWidth = t.heads() * t.headDim();
        int kvWidth = t.kvHeads() * t.headDim();
        for (int i = 0; i < t.layers(); i++) {
            String l = p + "layers." + i + ".";
            rmsNorm(l + "input_layernorm.weight", h);
            weight(l + "self_attn.q_proj.weight", qWidth, h);
            weight(l + "self_attn.k_proj.weight", kvWidth, h);
            weight(l + "self_attn.v_proj.weight", kvWidth, h);
            weight(l + "self_attn.o_proj.weight", h, qWidth);
            // Sharp decoder attention (docs/model.md 1.8): constant, not jittered, so the gain is exact.
            double gain = scales.qkNormGainOfLayer(i);
            add(l + "self_attn.q_norm.weight", new long[] {t.headDim()}, gain, 0);
            add(l + "self_attn.k_norm.weight", new long[] {t.headDim()}, gain, 0);
            rmsNorm(l + "post_attention_layernorm.weight", h);
            weight(l + "mlp.gate_proj.weight", t.intermediate(), h);
            weight(l + "mlp.up_proj.weight", t.intermediate(), h);
            weight(l + "mlp.down_proj.weight", h, t.intermediate());
        }
        rmsNorm(p + "norm.weight", h);
        add("thinker.lm_head.weight", new long[] {headRows, h}, 0, scales.headGain() / Math.sqrt(h));
    }

    private void conv(String prefix, int out, int in) {
        add(prefix + ".weight", new long[] {out, in, 3, 3}, 0, scales.linearGain() / Math.sqrt(in * 9.0));
        add(prefix + ".bias", new long[] {out}, 0, scales.biasStd());
    }

    private void linear(String prefix, int out, int in) {
        weight(prefix + ".weight", out, in);
        add(prefix + ".bias", new long[] {out}, 0, scales.biasStd());
    }

    private void weight(String name, int out, int in) {
        add(name, new long[] {out, in}, 0, scales.linearGain() / Math.sqrt(in));
    }

    private void layerNorm(String prefix, int width) {
        add(prefix + ".weight", new long[] {width}, 1, scales.normJitter());
        add(prefix + ".bias", new long[] {width}, 0, scales.biasStd());
    }

    private void rmsNorm(String name, int width) {
        add(name, new long[] {width}, 1, scales.normJitter());
    }

    private void add(String name, long[] shape, double center, double std) {
        specs.add(new TensorSpec(name, shape, center, std));
    }
}
