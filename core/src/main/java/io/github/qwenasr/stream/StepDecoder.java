package io.github.qwenasr.stream;

import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.decoder.KvCache;
import io.github.qwenasr.decoder.TextDecoder;
import io.github.qwenasr.kernel.Ops;
import io.github.qwenasr.kernel.Parallel;
import java.util.Arrays;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.IntPredicate;

/**
 * Prefill with KV reuse and greedy decoding of one streaming step (docs/modes.md 6.5, 6.2 step 6).
 *
 * <p>The previous step's prefill rows (all input rows but the last) are remembered by identity;
 * the longest common run from the start is kept in the KV cache, which is truncated there, and
 * only the remaining rows are prefilled at their own positions. The last input row then runs as a
 * single-token step, as in a full prefill, and at most {@code maxNew} ids are chosen greedily,
 * stopping on a stop id (which counts as an iteration) or when the input and the ids fill
 * max_position_embeddings. The cancel flag is checked before the
 * prefill and before every decode iteration. One instance per session.
 */
final class StepDecoder implements TokenGenerator {
    private final TextDecoder decoder;
    private final Parallel pool;
    private final int audioTokenId;
    private final IntPredicate isStop;
    private KvCache cache;
    private long[] previousRows = new long[0];
    private boolean reuseEnabled = true;

    StepDecoder(TextDecoder decoder, Parallel pool, int audioTokenId, IntPredicate isStop) {
        this.decoder = decoder;
        this.pool = pool;
        this.audioTokenId = audioTokenId;
        this.isStop = isStop;
    }

    @Override
    public void setReuseEnabled(boolean on) {
        reuseEnabled = on;
        invalidate();
    }

    @Override
    public void invalidate() {
        previousRows = new long[0];
    }

    @Override
    public void release() {
        cache = null;
        invalidate();
    }

    /** Length of the common prefix of two row-identity lists. */
    static int commonRows(long[] a, int aLen, long[] b, int bLen) {
        int n = Math.min(aLen, bLen);
        for (int i = 0; i < n; i++) {
            if (a[i] != b[i]) return i;
        }
        return n;
    }

    @Override
    public Output run(StreamPrompt.Layout in, int maxNew, BooleanSupplier cancelled) {
        int n = in.ids().length;
        int maxPositions = decoder.maxPositions();
        if (n >= maxPositions) {
            throw new QwenAsrException("the streaming prompt needs " + n + " positions, leaving none of the "
                    + maxPositions + " of max_position_embeddings in config.json for the output");
        }
        int h = decoder.config().hidden();
        int prefillRows = n - 1;
        int reuse = reuseEnabled ? commonRows(previousRows, previousRows.length, in.rowIds(), prefillRows) : 0;
        if (cache == null || cache.length() < reuse) {
            reuse = 0;
        }
        if (cancelled.getAsBoolean()) throw new CancellationException("stream cancelled");
        long t0 = System.nanoTime();
        if (cache == null) cache = decoder.newCache(n + maxNew + 1);
        cache.truncate(reuse);
        // Embeddings of the rows to compute only: the id and audio rows from position `reuse` on.
        int audioBefore = 0;
        for (int i = 0; i < reuse; i++) if (in.ids()[i] == audioTokenId) audioBefore++;
        int[] ids = Arrays.copyOfRange(in.ids(), reuse, n);
        int audioRows = in.audioRows() - audioBefore;
        float[] audio = in.audioRows() == 0 ? in.audio()
                : Arrays.copyOfRange(in.audio(), audioBefore * h, in.audioRows() * h);
        float[] x = decoder.embed(ids, audioTokenId, audio, audioRows);
        int batch = prefillRows - reuse;
        if (batch > 0) decoder.forward(pool, Arrays.copyOfRange(x, 0, batch * h), batch, cache, true);
        float[] hidden = decoder.forward(pool, Arrays.copyOfRange(x, batch * h, (batch + 1) * h), 1, cache, true);
        previousRows = Arrays.copyOf(in.rowIds(), prefillRows);
        float[] logits = decoder.logits(pool, hidden, 1);
        long t1 = System.nanoTime();
        int[] out = new int[Math.min(maxNew, 256)];
        int count = 0;
        int iterations = 0;
        boolean positionLimited = false;
        while (iterations < maxNew) {
            if (cancelled.getAsBoolean()) throw new CancellationException("stream cancelled");
            int next = Ops.argmax(logits, logits.length);
            iterations++;
            if (isStop.test(next)) break;
            if (count == out.length) out = Arrays.copyOf(out, out.length * 2);
            out[count++] = next;
            if (iterations == maxNew) break;
            // As in GreedyDecoder: input and output together stay within max_position_embeddings.
            if (n + count >= maxPositions) {
                positionLimited = true;
                break;
            }
            hidden = decoder.forward(pool, decoder.embedToken(next), 1, cache, true);
            logits = decoder.logits(pool, hidden, 1);
        }
        return new Output(Arrays.copyOf(out, count), iterations, positionLimited, reuse, n - reuse, t1 - t0,
                System.nanoTime() - t1);
    }
}
