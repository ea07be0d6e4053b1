package io.github.qwenasr.generate;

import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.decoder.KvCache;
import io.github.qwenasr.decoder.TextDecoder;
import io.github.qwenasr.kernel.Ops;
import io.github.qwenasr.kernel.Parallel;
import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * Greedy decoding (docs/model.md 5.5): prefill the prompt in one pass, then feed back the argmax over
 * every head row (first index on ties) until a stop id or maxNewTokens generated ids. The stop id
 * counts toward the limit, as in transformers' generate, and is not returned.
 *
 * <p>The prompt and the generated ids together never exceed the decoder's max_position_embeddings:
 * generation ends there as it does at maxNewTokens ({@link Finish#POSITION_LIMIT}). The reference
 * has no such stop (its RoPE computes angles for any position), so this only matters for a config
 * whose limit is below what a piece needs; it keeps the decoder inside the positions it was made for.
 */
public final class GreedyDecoder {
    private GreedyDecoder() {}

    /** Why generation ended. Both limits are a "length" finish: the output may be cut short. */
    public enum Finish {
        /** A stop id was chosen. */
        STOP_TOKEN,
        /** maxNewTokens ids were generated. */
        TOKEN_LIMIT,
        /** The prompt and the output filled max_position_embeddings. */
        POSITION_LIMIT
    }

    /**
     * @param tokens       generated ids, stop id excluded
     * @param finish       why generation ended
     * @param firstLogits  logits at the last prompt position (kept for diagnostics and tests)
     * @param prefillNanos time of the prompt pass and first argmax
     * @param decodeNanos  time of the remaining steps
     */
    public record Result(int[] tokens, Finish finish, float[] firstLogits, long prefillNanos, long decodeNanos) {
        /** Whether a stop id ended generation (false: a limit did). */
        public boolean stopped() {
            return finish == Finish.STOP_TOKEN;
        }
    }

    /**
     * @throws QwenAsrException when the prompt alone leaves no position for a generated id
     */
    public static Result run(Parallel par, TextDecoder dec, float[] promptEmbeds, int promptLen, int maxNewTokens,
                             IntPredicate isStop, TokenListener listener) {
        int maxPositions = dec.maxPositions();
        if (promptLen >= maxPositions) {
            throw new QwenAsrException("the prompt needs " + promptLen + " positions, leaving none of the "
                    + maxPositions + " of max_position_embeddings in config.json for the output; use shorter audio pieces");
        }
        long t0 = System.nanoTime();
        // Room for a typical transcript (text runs to about a third of the audio positions); the
        // cache grows if a long output needs more. Reserving maxNewTokens up front would hold
        // ~0.2 MB per position (0.6B) that short outputs never touch.
        int reserve = Math.min(Math.max(0, maxNewTokens), 64 + promptLen / 2);
        KvCache cache = dec.newCache(promptLen + reserve + 1);
        float[] hidden = dec.forward(par, promptEmbeds, promptLen, cache, true);
        float[] logits = dec.logits(par, hidden, 1);
        float[] first = logits;
        // Later steps reuse one buffer: `first` stays as returned for the caller.
        float[] stepLogits = new float[logits.length];
        long t1 = System.nanoTime();
        int[] out = new int[Math.min(Math.max(maxNewTokens, 0), 1 << 16)];
        int count = 0;
        Finish finish = Finish.TOKEN_LIMIT;
        int generated = 0;
        while (generated < maxNewTokens) {
            int next = Ops.argmax(logits, logits.length);
            generated++;
            if (isStop.test(next)) {
                finish = Finish.STOP_TOKEN;
                break;
            }
            if (count == out.length) out = Arrays.copyOf(out, out.length * 2);
            out[count++] = next;
            if (listener != null) listener.onToken(next);
            if (generated == maxNewTokens) break;
            if (promptLen + count >= maxPositions) {
                finish = Finish.POSITION_LIMIT;
                break;
            }
            float[] x = dec.embedToken(next);
            hidden = dec.forward(par, x, 1, cache, true);
            dec.logitsInto(par, hidden, 1, stepLogits);
            logits = stepLogits;
        }
        long t2 = System.nanoTime();
        return new Result(Arrays.copyOf(out, count), finish, first, t1 - t0, t2 - t1);
    }
}
