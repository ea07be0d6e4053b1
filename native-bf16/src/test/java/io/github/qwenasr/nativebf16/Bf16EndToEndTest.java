package io.github.qwenasr.nativebf16;

import static org.junit.jupiter.api.Assertions.*;

import io.github.qwenasr.ComputeMode;
import io.github.qwenasr.ComputeStatus;
import io.github.qwenasr.EncoderAttention;
import io.github.qwenasr.LoadOptions;
import io.github.qwenasr.QwenAsr;
import io.github.qwenasr.TranscribeOptions;
import io.github.qwenasr.audio.AudioLoader;
import io.github.qwenasr.engine.EncodedAudio;
import io.github.qwenasr.engine.EngineAccess;
import io.github.qwenasr.engine.Model;
import io.github.qwenasr.generate.DecodeSequence;
import io.github.qwenasr.prompt.PromptBuilder;
import io.github.qwenasr.tools.Preset;
import io.github.qwenasr.tools.SyntheticCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --compute bf16 end to end against exact f32 on the synthetic fixtures (tiny, and the real 0.6B
 * shapes): encoder output, first-step logits and greedy tokens of the same clips.
 */
class Bf16EndToEndTest {
    /** Greedy steps compared per clip: tiny, and the 0.6B shapes (decode itself is the same code in both modes). */
    static final int TINY_STEPS = 48;
    static final int REAL_STEPS = 16;

    static Path shared() {
        Path p = SyntheticCheckpoint.defaultSharedDir();
        if (!Files.isDirectory(p.resolve("data/audio"))) throw new IllegalStateException("shared data folder not found at " + p);
        return p;
    }

    static Path model(Preset preset) throws Exception {
        Path dir = Path.of("target", "synthetic-models", preset.cliName() + "-1234");
        SyntheticCheckpoint.ensure(preset, 1234, dir, 1, shared());
        return dir;
    }

    /** One clip through encoder, prefill and the given greedy steps. */
    record Run(float[] encoder, float[] firstLogits, int[] tokens) {}

    /** The engine's own stages on the model behind {@code asr}; no stop id, so every run has {@code steps} ids. */
    static Run run(QwenAsr asr, Path wav, int steps) throws Exception {
        Model model = EngineAccess.model(asr);
        EncodedAudio audio = model.encode(AudioLoader.load16k(wav), EncoderAttention.WINDOWED, false);
        int[] ids = PromptBuilder.ids(model.tokenizer(), "", audio.count(), null);
        float[] embeds = model.decoder().embed(ids, model.tokens().audioPad(), audio.rows(), audio.count());
        DecodeSequence s = new DecodeSequence(model.decoder(), model.pool(), id -> false);
        s.prefill(embeds, ids.length, steps);
        float[] first = s.logits().clone();
        s.run();
        return new Run(audio.rows(), first, s.tokens());
    }

    /** Agreement of one clip: tokens equal up to the first difference, max |logit diff| over the spread of logits. */
    record Agreement(String clip, int sameTokens, int samePositions, int tokens, double encoderRel, double logitsAbs,
                     double logitRange, double firstMargin) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%-44s tokens: first %2d of %2d identical (%2d positions equal), encoder %.2e rel, "
                    + "first logits max |diff| %.3f (span %.1f, exact top-2 gap %.3f)", clip, sameTokens, tokens, samePositions,
                    encoderRel, logitsAbs, logitRange, firstMargin);
        }
    }

    static Agreement compare(String clip, Run exact, Run bf16) {
        double encMax = 0, encDiff = 0;
        for (int i = 0; i < exact.encoder().length; i++) {
            encMax = Math.max(encMax, Math.abs(exact.encoder()[i]));
            encDiff = Math.max(encDiff, Math.abs(exact.encoder()[i] - bf16.encoder()[i]));
        }
        double logit = 0, lo = Double.MAX_VALUE, hi = -Double.MAX_VALUE, second = -Double.MAX_VALUE;
        for (int i = 0; i < exact.firstLogits().length; i++) {
            double v = exact.firstLogits()[i];
            logit = Math.max(logit, Math.abs(v - bf16.firstLogits()[i]));
            lo = Math.min(lo, v);
            if (v > hi) {
                second = hi;
                hi = v;
            } else if (v > second) {
                second = v;
            }
        }
        int same = 0;
        while (same < exact.tokens().length && same < bf16.tokens().length && exact.tokens()[same] == bf16.tokens()[same]) same++;
        int equal = 0;
        for (int i = 0; i < Math.min(exact.tokens().length, bf16.tokens().length); i++) if (exact.tokens()[i] == bf16.tokens()[i]) equal++;
        return new Agreement(clip, same, equal, exact.tokens().length, encDiff / encMax, logit, hi - lo, hi - second);
    }

    static List<Agreement> agreement(Preset preset, List<String> clips, int steps) throws Exception {
        Assumptions.assumeTrue(CpuFlags.bf16Missing() == null, "no bf16 GEMM on this CPU: " + CpuFlags.bf16Missing());
        Path dir = model(preset);
        LoadOptions options = LoadOptions.defaults().withThreads(2);
        try (QwenAsr exact = QwenAsr.load(dir, options);
             QwenAsr bf16 = QwenAsr.load(dir, options.withCompute(ComputeMode.BF16))) {
            assertEquals(ComputeMode.BF16, bf16.info().compute().used(), "bf16 runs here: " + bf16.info().compute().detail());
            assertTrue(bf16.info().compute().detail().startsWith("oneDNN "), bf16.info().compute().detail());
            List<Agreement> out = clips.stream().map(c -> {
                try {
                    Path wav = shared().resolve("data/audio").resolve(c);
                    return compare(c, run(exact, wav, steps), run(bf16, wav, steps));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
            out.forEach(a -> System.out.println("[" + preset.cliName() + " bf16 vs exact] " + a));
            return out;
        }
    }

    /**
     * Bounds with room for the measured differences (docs/kernels.md 10: encoder at most 6e-3 relative, logits
     * at most 2.2 % of their span): bf16 activations carry 2^-8 relative rounding into every product,
     * so the encoder output moves by about that much, while a layout or scaling bug moves it by
     * 100 %. Tokens are reported, not asserted: random weights leave near-ties at the top of the
     * logits that differences of this size flip.
     */
    static void assertClose(List<Agreement> all) {
        for (Agreement a : all) {
            assertTrue(a.encoderRel() < 0.03, a.toString());
            assertTrue(a.logitsAbs() < 0.08 * a.logitRange(), a.toString());
        }
    }

    @Test
    void tinyModelAgreesWithExact() throws Exception {
        assertClose(agreement(Preset.TINY, List.of("test_speech.wav", "jfk.wav", "notld_45s_right_through_the_billboard.wav"), TINY_STEPS));
    }

    @Test
    void realShapedModelAgreesWithExact() throws Exception {
        assertClose(agreement(Preset.ASR_0_6B, List.of("test_speech.wav", "jfk.wav"), REAL_STEPS));
    }

    @Test
    void missingLibraryFallsBackToExactWithOneReason(@TempDir Path tmp) throws Exception {
        Path dir = model(Preset.TINY);
        Path wav = shared().resolve("data/audio/jfk.wav");
        TranscribeOptions o = TranscribeOptions.defaults().withMaxNewTokens(16);
        List<Integer> exact;
        try (QwenAsr asr = QwenAsr.load(dir, 2)) {
            exact = asr.transcribe(wav, o).tokens();
        }
        String missing = tmp.resolve("libdnnl-missing.so").toString();
        try (var p = SystemProperty.set(OneDnnLibrary.LIBRARY_PROPERTY, missing);
             QwenAsr asr = QwenAsr.load(dir, LoadOptions.defaults().withThreads(2).withCompute(ComputeMode.BF16))) {
            ComputeStatus s = asr.info().compute();
            assertTrue(s.fellBack());
            assertEquals(ComputeMode.EXACT, s.used());
            String expected = CpuFlags.bf16Missing() != null ? CpuFlags.bf16Missing()
                    : "oneDNN library " + missing + " (-Dqwenasr.bf16.library) cannot be loaded: give the path of an existing "
                    + "libdnnl.so, or install oneDNN (Debian/Ubuntu: apt-get install libdnnl2)";
            assertEquals(expected, s.detail());
            assertEquals(exact, asr.transcribe(wav, o).tokens(), "the fallback is the exact path");
        }
    }
}
