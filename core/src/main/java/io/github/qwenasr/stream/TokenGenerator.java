package io.github.qwenasr.stream;

import java.util.function.BooleanSupplier;

/**
 * What a streaming step needs from the decoder (docs/modes.md 6.2 step 6): greedy tokens for one
 * step's input, with whatever state it keeps between steps (the KV cache of {@link StepDecoder}).
 */
interface TokenGenerator {
    /**
     * @param tokens       generated ids, stop id excluded
     * @param iterations   decode iterations run (a chosen stop id included)
     * @param positionLimited whether the ids stopped because input and output filled
     *                     max_position_embeddings (before {@code maxNew} iterations)
     * @param reusedRows   prefill rows kept from the previous step
     * @param prefilled    rows computed by this step's prefill (the last input row included)
     * @param prefillNanos time of the prefill and the first logits
     * @param decodeNanos  time of the decode iterations after the first
     */
    record Output(int[] tokens, int iterations, boolean positionLimited, int reusedRows, int prefilled,
                  long prefillNanos, long decodeNanos) {}

    /**
     * Generates at most {@code maxNew} ids after the step's input.
     *
     * @throws java.util.concurrent.CancellationException when {@code cancelled} turns true
     */
    Output run(StreamPrompt.Layout in, int maxNew, BooleanSupplier cancelled);

    /** Forgets the previous step's rows (after a re-anchor, 6.8): the next step prefills everything. */
    void invalidate();

    /** Releases per-session memory (session finished or stopped). */
    void release();

    /** Test switch: false recomputes every row each step (a full prefill). */
    void setReuseEnabled(boolean on);
}
