package io.github.qwenasr.equivalence;

import io.github.qwenasr.engine.EngineAccess;
import static io.github.qwenasr.equivalence.GoldenManifest.*;
import static org.junit.jupiter.api.Assertions.*;

import io.github.qwenasr.QwenAsr;
import io.github.qwenasr.audio.AudioLoader;
import io.github.qwenasr.EncoderAttention;
import io.github.qwenasr.engine.Model;
import io.github.qwenasr.generate.DecodeSequence;
import io.github.qwenasr.mel.LogMel;
import io.github.qwenasr.prompt.OutputParser;
import io.github.qwenasr.prompt.PromptBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs one golden clip through the engine stage by stage and compares each stage with what the
 * official package produced on the same checkpoint: mel (abs), encoder output (relative to its
 * largest magnitude), first-step logits (abs), greedy ids, parsed (language, text).
 */
final class EquivalenceCheck {
    /**
     * Mel: the official features come from torch's float32 FFT, which is itself up to 2.4e-5 away
     * from the exact (float64) spectrum in quiet bins; ours is within 1e-5 of the exact one
     * (LogMelTest). Against the official values the bound is therefore 3e-5, not 1e-5.
     */
    static final double MEL_ABS = 3e-5;
    /** Encoder 1e-3 relative and logits 1e-3 abs, as the issue asks. */
    static final double ENCODER_REL = 1e-3;
    static final double LOGITS_ABS = 1e-3;
    /** Resampled input cannot be bit-identical to soxr (docs/model.md 2.1): looser front-end bounds. */
    static final double RESAMPLED_MEL_ABS = 0.05;
    static final double RESAMPLED_ENCODER_REL = ENCODER_REL;
    static final double RESAMPLED_LOGITS_ABS = LOGITS_ABS;

    /** Measured differences, reported by the tests. */
    record Report(String clip, String attention, double melAbs, double encoderRel, double logitsAbs, int tokens) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%-16s %-8s mel %.2e  encoder %.2e rel  logits %.2e  %d ids equal",
                    clip, attention, melAbs, encoderRel, logitsAbs, tokens);
        }
    }

    static List<Report> run(QwenAsr asr, GoldenManifest g, Map<String, Object> clip, Path shared) throws IOException {
        Model model = EngineAccess.model(asr);
        String name = (String) clip.get("name");
        Path audioPath = input(clip, shared);
        float[] samples = AudioLoader.load16k(audioPath);
        int sourceRate = ((Number) obj(clip, "input").get("source_sample_rate")).intValue();
        boolean resampled = sourceRate != 16000;
        int expectSamples = ((Number) clip.get("samples")).intValue();
        if (resampled) {
            assertEquals(expectSamples, samples.length, 1, name + ": resampled length");
        } else {
            assertEquals(expectSamples, samples.length, name + ": sample count");
        }

        LogMel.Features mel = LogMel.compute(samples);
        assertEquals(((Number) clip.get("mel_frames")).intValue(), mel.frames(), name + ": mel frames");
        double melDiff = compareMel(g, clip, mel);
        assertTrue(melDiff <= (resampled ? RESAMPLED_MEL_ABS : MEL_ABS), name + ": mel max abs diff " + melDiff);

        int a = model.encoder().tokenCount(mel.frames());
        assertEquals(((Number) clip.get("audio_tokens")).intValue(), a, name + ": audio tokens");
        int[] ids = PromptBuilder.ids(model.tokenizer(), g.context(), a, g.language());
        assertArrayEquals(ints(clip.get("input_ids")), ids, name + ": prompt ids");

        List<Report> reports = new ArrayList<>();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> runs = (List<Map<String, Object>>) clip.get("runs");
        for (Map<String, Object> run : runs) {
            EncoderAttention mode = EncoderAttention.valueOf((String) run.get("attention"));
            String what = name + " " + mode;
            float[] audio = model.encoder().encode(model.pool(), mel.data(), mel.frames(), mode);
            double encRel = compareRows(g, obj(run, "encoder_output"), audio, model.config().audio().outputDim());
            assertTrue(encRel <= (resampled ? RESAMPLED_ENCODER_REL : ENCODER_REL), what + ": encoder relative diff " + encRel);

            float[] embeds = model.decoder().embed(ids, model.tokens().audioPad(), audio, a);
            // The engine's decode loop, ended by <|im_end|> and <|endoftext|>; its first logits are the prefill's.
            DecodeSequence r = model.newSequence();
            r.prefill(embeds, ids.length, g.maxNewTokens());
            double logitDiff = compareLogits(g, obj(run, "first_logits"), r.logits());
            r.run();
            System.out.printf(Locale.ROOT, "%s: mel %.2e encoder %.2e logits %.2e%n", what, melDiff, encRel, logitDiff);
            assertTrue(logitDiff <= (resampled ? RESAMPLED_LOGITS_ABS : LOGITS_ABS), what + ": first-step logits diff " + logitDiff);

            int[] expectIds = ints(run.get("generated_ids"));
            assertTrue(expectIds.length >= 64 || !"max_new_tokens".equals(run.get("stop")), what + ": golden too short");
            assertArrayEquals(expectIds, r.tokens(), what + ": greedy ids");
            String raw = model.tokenizer().decode(r.tokens(), true);
            assertEquals(run.get("raw_decoded"), raw, what + ": decoded output");
            OutputParser.Parsed parsed = OutputParser.parse(raw, g.language());
            assertEquals(run.get("language"), parsed.language(), what + ": language");
            assertEquals(run.get("text"), parsed.text(), what + ": text");
            reports.add(new Report(name, mode.name(), melDiff, encRel, logitDiff, r.tokens().length));
        }
        return reports;
    }

    /** Max abs difference over the stored frames of the [128][T] mel. */
    static double compareMel(GoldenManifest g, Map<String, Object> clip, LogMel.Features mel) throws IOException {
        Map<String, Object> m = obj(clip, "mel");
        int[] frames = ints(m.get("frames"));
        float[] ref = g.tensor((String) m.get("file"));
        int bins = ints(m.get("shape"))[0];
        assertEquals(bins * frames.length, ref.length, "mel fixture size");
        double max = 0;
        for (int b = 0; b < bins; b++) {
            for (int i = 0; i < frames.length; i++) {
                double d = Math.abs(ref[b * frames.length + i] - mel.data()[b * mel.frames() + frames[i]]);
                max = Math.max(max, d);
            }
        }
        return max;
    }

    /** Max abs difference over the stored rows, divided by the largest reference magnitude. */
    static double compareRows(GoldenManifest g, Map<String, Object> spec, float[] got, int width) throws IOException {
        int[] rows = ints(spec.get("rows"));
        float[] ref = g.tensor((String) spec.get("file"));
        assertEquals(rows.length * width, ref.length, "encoder fixture size");
        double max = 0, scale = 0;
        for (int i = 0; i < rows.length; i++) {
            for (int c = 0; c < width; c++) {
                float r = ref[i * width + c];
                scale = Math.max(scale, Math.abs(r));
                max = Math.max(max, Math.abs(r - got[rows[i] * width + c]));
            }
        }
        return max / scale;
    }

    /** Max abs difference over the strided sample and the top entries of the first-step logits. */
    static double compareLogits(GoldenManifest g, Map<String, Object> spec, float[] got) throws IOException {
        float[] ref = g.tensor((String) spec.get("file"));
        int start = ((Number) spec.get("index_start")).intValue();
        int step = ((Number) spec.get("index_step")).intValue();
        assertEquals(((Number) spec.get("vocab_size")).intValue(), got.length, "logits width");
        double max = 0;
        for (int i = 0; i < ref.length; i++) max = Math.max(max, Math.abs(ref[i] - got[start + i * step]));
        int[] topIds = ints(spec.get("top_ids"));
        float[] topValues = floats(spec.get("top_values"));
        for (int i = 0; i < topIds.length; i++) max = Math.max(max, Math.abs(topValues[i] - got[topIds[i]]));
        return max;
    }
}
