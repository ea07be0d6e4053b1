package io.github.qwenasr.stream;

import io.github.qwenasr.decoder.TextDecoder;
import io.github.qwenasr.generate.DecodeSequence;
import java.util.Arrays;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * Prefill with KV reuse and greedy decoding of one streaming step (docs/modes.md 6.5, 6.2 step 6),
 * on the engine's one decode loop ({@link DecodeSequence}); this class keeps only the row-identity
 * bookkeeping of the reuse.
 *
 * <p>The previous step's prefill rows (all input rows but the last) are remembered by identity;
 * the longest common run from the start is kept in the KV cache, which is truncated there, and
 * only the remaining rows are prefilled at their own positions. The last input row then runs as a
 * single-token pass, as it does whatever the reuse, and at most {@code maxNew} ids are chosen
 * greedily, stopping on a stop id (which counts as an iteration) or when the input and the ids fill
 * max_position_embeddings. The cancel flag is checked before the prefill and before every choice.
 * One instance per session.
 */
final class StepDecoder implements TokenGenerator {
    private final TextDecoder decoder;
    private final int audioTokenId;
    private final DecodeSequence sequence;
    private long[] previousRows = new long[0];
    private boolean reuseEnabled = true;

    StepDecoder(TextDecoder decoder, DecodeSequence sequence, int audioTokenId) {
        this.decoder = decoder;
        this.sequence = sequence;
        this.audioTokenId = audioTokenId;
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
        sequence.release();
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
        sequence.requireRoom(n);
        int h = decoder.config().hidden();
        int prefillRows = n - 1;
        int reuse = reuseEnabled ? commonRows(previousRows, previousRows.length, in.rowIds(), prefillRows) : 0;
        if (sequence.length() < reuse) reuse = 0;
        if (cancelled.getAsBoolean()) throw new CancellationException("stream cancelled");
        long t0 = System.nanoTime();
        sequence.cancellation(cancelled);
        sequence.reserve(n + maxNew + 1);
        sequence.truncate(reuse);
        // Embeddings of the rows to compute only: the id and audio rows from position `reuse` on.
        int audioBefore = 0;
        for (int i = 0; i < reuse; i++) if (in.ids()[i] == audioTokenId) audioBefore++;
        int[] ids = Arrays.copyOfRange(in.ids(), reuse, n);
        int audioRows = in.audioRows() - audioBefore;
        float[] audio = in.audioRows() == 0 ? in.audio()
                : Arrays.copyOfRange(in.audio(), audioBefore * h, in.audioRows() * h);
        float[] x = decoder.embed(ids, audioTokenId, audio, audioRows);
        int batch = prefillRows - reuse;
        if (batch > 0) sequence.extend(Arrays.copyOfRange(x, 0, batch * h), batch);
        sequence.prefill(Arrays.copyOfRange(x, batch * h, (batch + 1) * h), 1, maxNew);
        previousRows = Arrays.copyOf(in.rowIds(), prefillRows);
        long t1 = System.nanoTime();
        sequence.run();
        return new Output(sequence.tokens(), sequence.iterations(),
                sequence.finish() == DecodeSequence.Finish.POSITION_LIMIT, reuse, n - reuse, t1 - t0,
                System.nanoTime() - t1);
    }
}
