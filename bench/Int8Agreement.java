import io.github.qwenasr.LoadOptions;
import io.github.qwenasr.Quantization;
import io.github.qwenasr.EncoderAttention;
import io.github.qwenasr.QwenAsr;
import io.github.qwenasr.audio.AudioLoader;
import io.github.qwenasr.decoder.KvCache;
import io.github.qwenasr.decoder.TextDecoder;
import io.github.qwenasr.engine.EngineAccess;
import io.github.qwenasr.engine.Model;
import io.github.qwenasr.generate.DecodeSequence;
import io.github.qwenasr.kernel.Ops;
import io.github.qwenasr.kernel.Parallel;
import io.github.qwenasr.mel.LogMel;
import io.github.qwenasr.prompt.PromptBuilder;
import java.nio.file.Path;
import java.util.Locale;

/**
 * How far --quantize int8 moves the decoder from the exact (bf16 weights, f32 arithmetic) path, on
 * the same encoded audio (the encoder is bf16 in both):
 * <ul>
 *   <li>free-running greedy: share of positions with the same token, and the first position that differs;</li>
 *   <li>teacher-forced on the exact tokens: share of steps whose argmax agrees, largest logit difference
 *       over all steps and the vocabulary, and at the first step; the largest logit magnitude for scale.</li>
 * </ul>
 * <pre>java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp core/target/classes \
 *     bench/Int8Agreement.java MODEL_DIR TOKENS GROUPS CLIP...</pre>
 * GROUPS: comma-separated int8 group sizes, 0 = one scale per row (the default); each is loaded with
 * the system property qwenasr.int8.group, which writes or maps its own cache file in the model folder.
 */
public final class Int8Agreement {
    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[0]);
        int tokens = Integer.parseInt(args[1]);
        String[] groups = args[2].split(",");
        try (QwenAsr exact = QwenAsr.load(model, LoadOptions.defaults().withThreads(2).withQuantization(Quantization.NONE))) {
            for (String group : groups) {
                System.setProperty("qwenasr.int8.group", group);
                try (QwenAsr int8 = QwenAsr.load(model, LoadOptions.defaults().withThreads(2).withQuantization(Quantization.INT8))) {
                    System.out.println("group " + group + ": " + int8.info().quantizationNote());
                    int same = 0, total = 0, forcedSame = 0, forcedTotal = 0;
                    double worst = 0, worstFirst = 0, scale = 0;
                    for (int c = 3; c < args.length; c++) {
                        Result r = compare(exact, int8, Path.of(args[c]), tokens);
                        System.out.println("  " + r);
                        same += r.same; total += r.length; forcedSame += r.forcedSame; forcedTotal += r.steps;
                        worst = Math.max(worst, r.maxDiff); worstFirst = Math.max(worstFirst, r.firstDiff);
                        scale = Math.max(scale, r.maxLogit);
                    }
                    System.out.printf(Locale.ROOT, "  all: free-running identical %d/%d (%.1f %%), teacher-forced argmax %d/%d (%.1f %%), "
                                    + "max |dlogit| first step %.3g, any step %.3g, max |logit| %.3g%n",
                            same, total, 100.0 * same / total, forcedSame, forcedTotal, 100.0 * forcedSame / forcedTotal,
                            worstFirst, worst, scale);
                }
            }
        }
    }

    record Result(String clip, int length, int same, int firstDiffAt, int steps, int forcedSame, double firstDiff,
                  double maxDiff, double maxLogit) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%-28s free-running %d/%d identical (first difference at %s), "
                            + "teacher-forced argmax %d/%d, max |dlogit| first %.3g all %.3g (max |logit| %.3g)",
                    clip, same, length, firstDiffAt < 0 ? "none" : String.valueOf(firstDiffAt), forcedSame, steps,
                    firstDiff, maxDiff, maxLogit);
        }
    }

    /** Exactly {@code tokens} greedy ids: no stop id ends the run. */
    static int[] greedy(Model m, float[] embeds, int rows, int tokens) {
        DecodeSequence s = new DecodeSequence(m.decoder(), m.pool(), id -> false);
        s.prefill(embeds, rows, tokens);
        return s.run().tokens();
    }

    static Result compare(QwenAsr exactAsr, QwenAsr int8Asr, Path clip, int tokens) {
        Model exact = EngineAccess.model(exactAsr), int8 = EngineAccess.model(int8Asr);
        float[] samples = AudioLoader.load16k(clip);
        LogMel.Features mel = LogMel.compute(samples);
        Parallel par = exact.pool();
        float[] audio = exact.encoder().encode(par, mel.data(), mel.frames(), EncoderAttention.WINDOWED);
        int a = exact.encoder().tokenCount(mel.frames());
        int[] ids = PromptBuilder.ids(exact.tokenizer(), "", a, null);
        float[] embeds = exact.decoder().embed(ids, exact.tokens().audioPad(), audio, a);
        int[] e = greedy(exact, embeds.clone(), ids.length, tokens);
        int[] q = greedy(int8, embeds.clone(), ids.length, tokens);
        int n = Math.min(e.length, q.length);
        int same = 0, first = -1;
        for (int i = 0; i < n; i++) {
            if (e[i] == q[i]) same++;
            else if (first < 0) first = i;
        }
        // Teacher forcing: both decoders see the exact path's tokens; compare every step's logits.
        TextDecoder de = exact.decoder(), dq = int8.decoder();
        KvCache ce = de.newCache(ids.length + tokens + 1), cq = dq.newCache(ids.length + tokens + 1);
        float[] le = de.logits(par, de.forward(par, embeds.clone(), ids.length, ce, true), 1);
        float[] lq = dq.logits(int8.pool(), dq.forward(int8.pool(), embeds.clone(), ids.length, cq, true), 1);
        double firstDiff = maxDiff(le, lq), worst = firstDiff, maxLogit = maxAbs(le);
        int forcedSame = Ops.argmax(le, le.length) == Ops.argmax(lq, lq.length) ? 1 : 0;
        int steps = 1;
        for (int i = 0; i + 1 < e.length; i++) {
            int t = e[i];
            le = de.logits(par, de.forward(par, de.embedToken(t), 1, ce, true), 1);
            lq = dq.logits(int8.pool(), dq.forward(int8.pool(), dq.embedToken(t), 1, cq, true), 1);
            worst = Math.max(worst, maxDiff(le, lq));
            maxLogit = Math.max(maxLogit, maxAbs(le));
            if (Ops.argmax(le, le.length) == Ops.argmax(lq, lq.length)) forcedSame++;
            steps++;
        }
        return new Result(clip.getFileName().toString(), n, same, first, steps, forcedSame, firstDiff, worst, maxLogit);
    }

    static double maxDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }

    static double maxAbs(float[] a) {
        double m = 0;
        for (float v : a) m = Math.max(m, Math.abs(v));
        return m;
    }
}
