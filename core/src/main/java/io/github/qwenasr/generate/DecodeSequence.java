package io.github.qwenasr.generate;

import io.github.qwenasr.TokenListener;
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
 * One sequence of greedy decoding (docs/model.md 5.5), the only decode loop of the engine: offline
 * pieces, segments and their collapse re-decodes, and every streaming step run through it.
 *
 * <pre>
 * truncate(k)          keep the first k cached positions (a streaming step's KV reuse, docs/modes.md 6.5)
 * extend(x, rows)      run prompt rows into the cache, no logits
 * prefill(x, rows, n)  run the prompt's last rows; logits of the last one; at most n ids may follow
 * step()               argmax (first index on ties), stop/limit/position/cancel checks, then feed
 *                      the chosen id through the decoder and compute the next logits
 * run()                step until finished
 * </pre>
 *
 * A stop id ends generation and counts as an iteration toward the limit, as in transformers'
 * generate; it is not kept. The prompt and the kept ids together never exceed the decoder's
 * max_position_embeddings: generation ends there as at the token limit ({@link Finish#POSITION_LIMIT}).
 * The reference has no such stop (its RoPE computes angles for any position); it keeps the decoder
 * inside the positions it was made for.
 *
 * <p>A step is split in two halves, {@link #choose()} (from the logits to the next id) and
 * {@link #feed()} (that id through the decoder into new logits), so that the model's
 * {@link DecodeScheduler} can choose for each sequence in flight and feed them as one batch:
 * {@link #run()} hands a sequence made by the model to its scheduler and returns when it has
 * ended, with the same tokens, listener calls and exceptions as a loop of its own (the listener
 * then runs on the scheduler's thread). The logits live in one buffer reused by every step. One
 * thread at a time (the scheduler's while it decodes); the cancel check may read a flag that
 * another thread sets.
 */
public final class DecodeSequence {
    /** Why generation ended. Both limits are a "length" finish: the output may be cut short. */
    public enum Finish {
        /** A stop id was chosen. */
        STOP_TOKEN,
        /** maxNewTokens ids were chosen. */
        TOKEN_LIMIT,
        /** The prompt and the output filled max_position_embeddings. */
        POSITION_LIMIT
    }

    private static final int[] NONE = new int[0];

    private final TextDecoder decoder;
    private final Parallel pool;
    private final DecodeScheduler scheduler;
    private final IntPredicate isStop;
    private final float[] logits;
    private TokenListener listener;
    private BooleanSupplier cancelled = () -> false;
    private KvCache cache;

    private int maxNewTokens;
    private int promptPositions;
    private int[] tokens = NONE;
    private int count;
    private int iterations;
    private int chosen = -1;
    private Finish finish;
    private boolean prefilled;
    private long prefillNanos;
    private long decodeNanos;

    /** A sequence that decodes on its own thread ({@link #run()} loops itself). */
    public DecodeSequence(TextDecoder decoder, Parallel pool, IntPredicate isStop) {
        this(decoder, pool, isStop, null);
    }

    /** A sequence whose {@link #run()} decodes in the scheduler's batch (none: on its own). */
    public DecodeSequence(TextDecoder decoder, Parallel pool, IntPredicate isStop, DecodeScheduler scheduler) {
        this.decoder = decoder;
        this.pool = pool;
        this.isStop = isStop;
        this.scheduler = scheduler;
        this.logits = new float[decoder.headRows()];
    }

    /** Receives each kept id as soon as it is chosen (stop ids excluded); null for none. */
    public DecodeSequence listener(TokenListener l) {
        listener = l;
        return this;
    }

    /** Checked before the prefill and before every choice; true throws {@link CancellationException}. */
    public DecodeSequence cancellation(BooleanSupplier c) {
        cancelled = c == null ? () -> false : c;
        return this;
    }

    /**
     * Makes room for about {@code positions} positions when there is no cache yet (it grows beyond
     * that when needed; capacity never changes the results).
     */
    public void reserve(int positions) {
        if (cache == null) cache = decoder.newCache(positions);
    }

    /** Positions in the cache. */
    public int length() {
        return cache == null ? 0 : cache.length();
    }

    /** Keeps the first {@code keepRows} cached positions and drops the rest (and any generation state). */
    public void truncate(int keepRows) {
        if (cache == null) {
            if (keepRows != 0) throw new IllegalArgumentException("nothing cached to keep");
            return;
        }
        cache.truncate(keepRows);
        resetGeneration();
    }

    /**
     * Fails unless a prompt of {@code positions} leaves a position for at least one generated id
     * under max_position_embeddings.
     */
    public void requireRoom(int positions) {
        int maxPositions = decoder.maxPositions();
        if (positions >= maxPositions) {
            throw new QwenAsrException("the prompt needs " + positions + " positions, leaving none of the "
                    + maxPositions + " of max_position_embeddings in config.json for the output;"
                    + " use shorter audio pieces");
        }
    }

    /** Runs {@code rows} prompt rows of embeddings after the cached ones, computing no logits. */
    public void extend(float[] embeds, int rows) {
        if (rows == 0) return;
        long t0 = System.nanoTime();
        reserve(length() + rows);
        decoder.forward(pool, embeds, rows, cache, true);
        prefillNanos += System.nanoTime() - t0;
    }

    /**
     * Runs the prompt's last {@code rows} rows after the cached ones and computes the logits of the
     * last row: the first id is chosen from them. At most {@code maxNewTokens} ids follow.
     *
     * @throws QwenAsrException      when the prompt leaves no position for the output
     * @throws CancellationException when the cancel check is true
     */
    public void prefill(float[] embeds, int rows, int maxNewTokens) {
        int prompt = length() + rows;
        requireRoom(prompt);
        checkCancelled();
        long t0 = System.nanoTime();
        // Room for a typical transcript (text runs to about a third of the audio positions); the
        // cache grows if a long output needs more. Reserving maxNewTokens up front would hold
        // ~0.2 MB per position (0.6B) that short outputs never touch.
        reserve(prompt + Math.min(Math.max(0, maxNewTokens), 64 + prompt / 2) + 1);
        float[] hidden = decoder.forward(pool, embeds, rows, cache, true);
        decoder.logitsInto(pool, hidden, 1, logits);
        resetGeneration();
        this.maxNewTokens = maxNewTokens;
        this.promptPositions = prompt;
        this.tokens = new int[Math.min(Math.max(maxNewTokens, 0), 256)];
        this.prefilled = true;
        prefillNanos += System.nanoTime() - t0;
    }

    private void resetGeneration() {
        count = 0;
        iterations = 0;
        chosen = -1;
        finish = null;
        prefilled = false;
        decodeNanos = 0;
    }

    /** Forgets the prefill time (a new step of a streaming session starts counting afresh). */
    public void resetTimings() {
        prefillNanos = 0;
        decodeNanos = 0;
    }

    /** One step: {@link #choose()}, then {@link #feed()} the chosen id. False once generation has ended. */
    public boolean step() {
        if (!choose()) return false;
        feed();
        return true;
    }

    /**
     * Steps until generation ends; returns this sequence for its results. With a scheduler the
     * steps run in its batch, together with every other sequence in flight on the model.
     */
    public DecodeSequence run() {
        if (scheduler != null) {
            if (!prefilled) throw new IllegalStateException("prefill first");
            scheduler.decode(this);
            return this;
        }
        while (step()) {
            // each step feeds the chosen id
        }
        return this;
    }

    /**
     * Chooses the next id from the current logits and applies the stop, token and position limits.
     * Returns true when the id must be fed through the decoder before the next choice, false when
     * generation has ended ({@link #finish()} says why).
     *
     * @throws CancellationException when the cancel check is true
     */
    public boolean choose() {
        if (!prefilled) throw new IllegalStateException("prefill first");
        if (finish != null) return false;
        if (chosen >= 0) throw new IllegalStateException("feed the chosen id first");
        if (iterations >= maxNewTokens) {
            finish = Finish.TOKEN_LIMIT;
            return false;
        }
        checkCancelled();
        long t0 = System.nanoTime();
        int next = Ops.argmax(logits, logits.length);
        iterations++;
        if (isStop.test(next)) {
            finish = Finish.STOP_TOKEN;
            return false;
        }
        if (count == tokens.length) tokens = Arrays.copyOf(tokens, Math.max(16, tokens.length * 2));
        tokens[count++] = next;
        if (listener != null) listener.onToken(next);
        decodeNanos += System.nanoTime() - t0;
        if (iterations == maxNewTokens) {
            finish = Finish.TOKEN_LIMIT;
            return false;
        }
        if (promptPositions + count >= decoder.maxPositions()) {
            finish = Finish.POSITION_LIMIT;
            return false;
        }
        chosen = next;
        return true;
    }

    /** Runs the chosen id through the decoder and computes the logits of the next choice. */
    public void feed() {
        if (chosen < 0) throw new IllegalStateException("nothing chosen to feed");
        long t0 = System.nanoTime();
        float[] hidden = decoder.forward(pool, decoder.embedToken(chosen), 1, cache, true);
        decoder.logitsInto(pool, hidden, 1, logits);
        chosen = -1;
        decodeNanos += System.nanoTime() - t0;
    }

    /** The id {@link #choose()} chose for the next feed (scheduler). */
    int chosenId() {
        if (chosen < 0) throw new IllegalStateException("nothing chosen to feed");
        return chosen;
    }

    /** The cache a batched step appends to (scheduler). */
    KvCache cache() {
        return cache;
    }

    /** The buffer the next logits go to (scheduler; {@link #logits()} gives a copy). */
    float[] logitsBuffer() {
        return logits;
    }

    /** The chosen id went through the decoder in a batched step that took {@code nanos} (scheduler). */
    void fedInBatch(long nanos) {
        chosen = -1;
        decodeNanos += nanos;
    }

    /** The token limit of the last prefill. */
    int maxNewTokens() {
        return maxNewTokens;
    }

    private void checkCancelled() {
        if (cancelled.getAsBoolean()) throw new CancellationException("decoding cancelled");
    }

    /** The kept ids (stop id excluded), a copy. */
    public int[] tokens() {
        return Arrays.copyOf(tokens, count);
    }

    /** Why generation ended, or null while it runs. */
    public Finish finish() {
        return finish;
    }

    /** Whether a stop id ended generation (false: a limit did, or it still runs). */
    public boolean stopped() {
        return finish == Finish.STOP_TOKEN;
    }

    /** Choices made: the kept ids plus a chosen stop id. */
    public int iterations() {
        return iterations;
    }

    /** Positions of the prompt the last prefill completed. */
    public int promptPositions() {
        return promptPositions;
    }

    /** A copy of the logits the next id will be chosen from (after the prefill: the first logits). */
    public float[] logits() {
        return logits.clone();
    }

    /** Time of the prompt rows and the first logits since the last {@link #resetTimings()}. */
    public long prefillNanos() {
        return prefillNanos;
    }

    /** Time of the choices and steps after the prefill. */
    public long decodeNanos() {
        return decodeNanos;
    }

    /** Drops the cache (the session finished or stopped); the next prompt starts from nothing. */
    public void release() {
        cache = null;
        resetGeneration();
    }
}
