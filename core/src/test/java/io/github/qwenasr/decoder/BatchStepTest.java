package io.github.qwenasr.decoder;

import static org.junit.jupiter.api.Assertions.*;

import io.github.qwenasr.QwenAsr;
import io.github.qwenasr.engine.EngineAccess;
import io.github.qwenasr.equivalence.TestModels;
import io.github.qwenasr.kernel.Ops;
import io.github.qwenasr.kernel.Parallel;
import io.github.qwenasr.tools.Preset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A batched decode step gives every sequence the logits it gets decoded alone (the same bits once
 * the kernels are compiled; within 1e-5 of the largest logit in any case) while sequences of different prompt lengths
 * join and leave the batch between steps.
 */
class BatchStepTest {
    /** One sequence decoded twice: alone (reference) and in the batch. */
    private static final class Pair {
        final KvCache alone;
        final KvCache batched;
        final int[] next;
        int step;

        Pair(KvCache alone, KvCache batched, int[] next) {
            this.alone = alone;
            this.batched = batched;
            this.next = next;
        }
    }

    @Test
    void everySequenceGetsItsSoloLogitsWhileTheBatchChanges() throws Exception {
        Path dir = TestModels.model(Preset.TINY, 1234, null);
        for (int threads : new int[] {1, 2}) {
            try (QwenAsr asr = QwenAsr.load(dir, threads)) {
                TextDecoder dec = EngineAccess.model(asr).decoder();
                Parallel par = EngineAccess.model(asr).pool();
                int h = dec.config().hidden();
                int vocab = dec.headRows();
                Random random = new Random(5);
                // Eight sequences: prompts of 3..40 positions, 4..12 steps each.
                List<Pair> pairs = new ArrayList<>();
                for (int s = 0; s < 8; s++) {
                    int prompt = 3 + random.nextInt(38);
                    float[] x = new float[prompt * h];
                    for (int p = 0; p < prompt; p++) System.arraycopy(dec.embedToken(random.nextInt(150_000)), 0, x, p * h, h);
                    KvCache alone = dec.newCache(4);
                    KvCache batched = dec.newCache(4);
                    dec.forward(par, x.clone(), prompt, alone, true);
                    dec.forward(par, x.clone(), prompt, batched, true);
                    int[] next = new int[4 + random.nextInt(9)];
                    for (int i = 0; i < next.length; i++) next[i] = random.nextInt(150_000);
                    pairs.add(new Pair(alone, batched, next));
                }
                // Sequence s joins at step s / 2 and leaves after its own steps.
                int sizes = 0;
                int rowSteps = 0;
                int differing = 0;
                double worst = 0;
                double largest = 0;
                boolean[] seen = new boolean[9];
                for (int round = 0; ; round++) {
                    List<Pair> active = new ArrayList<>();
                    for (int s = 0; s < pairs.size(); s++) {
                        Pair p = pairs.get(s);
                        if (s / 2 <= round && p.step < p.next.length) active.add(p);
                    }
                    if (active.isEmpty() && round > 4) break;
                    if (active.isEmpty()) continue;
                    int b = active.size();
                    seen[b] = true;
                    float[][] rows = new float[b][];
                    KvCache[] caches = new KvCache[b];
                    float[][] logits = new float[b][vocab];
                    for (int j = 0; j < b; j++) {
                        Pair p = active.get(j);
                        rows[j] = dec.embedToken(p.next[p.step]);
                        caches[j] = p.batched;
                    }
                    dec.forwardBatch(par, rows, caches, b, logits);
                    for (int j = 0; j < b; j++) {
                        Pair p = active.get(j);
                        float[] expect = new float[vocab];
                        dec.logitsInto(par, dec.forward(par, dec.embedToken(p.next[p.step]), 1, p.alone, true), 1, expect);
                        assertEquals(p.alone.length(), p.batched.length());
                        assertTrue(expect[0] != 0 || expect[vocab - 1] != 0, "logits are zero");
                        rowSteps++;
                        double scale = 1;
                        for (float v : expect) scale = Math.max(scale, Math.abs(v));
                        largest = Math.max(largest, scale);
                        if (!Arrays.equals(expect, logits[j])) {
                            differing++;
                            for (int i = 0; i < vocab; i++) worst = Math.max(worst, Math.abs(expect[i] - logits[j][i]) / scale);
                        }
                        assertEquals(Ops.argmax(expect, vocab), Ops.argmax(logits[j], vocab),
                                "threads " + threads + " round " + round + " batch of " + b + " row " + j + ": another token");
                        assertTrue(worst <= 1e-5, "threads " + threads + " round " + round + " batch of " + b + " row " + j
                                + ": logits differ from the solo step by up to " + worst + " of the largest logit");
                        p.step++;
                    }
                    sizes++;
                }
                assertTrue(sizes > 5, "too few batched steps: " + sizes);
                // Compiled code gives identical bits (every row runs the solo operations); a step
                // that ran partly interpreted may round a lane reduction of the attention differently.
                System.out.printf("batched vs solo, %d threads: %d of %d row-steps bit-identical, max |diff| %.3g"
                        + " of the largest |logit| (up to %.1f)%n", threads, rowSteps - differing, rowSteps, worst, largest);
                int distinct = 0;
                for (int b = 2; b <= 8; b++) if (seen[b]) distinct++;
                assertTrue(distinct >= 4, "the batch size should vary, saw " + Arrays.toString(seen));
            }
        }
    }

    @Test
    void refusesOneCacheTwice() throws Exception {
        try (QwenAsr asr = QwenAsr.load(TestModels.model(Preset.TINY, 1234, null), 1)) {
            TextDecoder dec = EngineAccess.model(asr).decoder();
            KvCache c = dec.newCache(4);
            dec.forward(EngineAccess.model(asr).pool(), dec.embedToken(1), 1, c, true);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> dec.forwardBatch(EngineAccess.model(asr).pool(), new float[][] {dec.embedToken(2), dec.embedToken(3)},
                            new KvCache[] {c, c}, 2, new float[2][dec.headRows()]));
            assertTrue(e.getMessage().contains("one cache twice"), e.getMessage());
        }
    }
}
