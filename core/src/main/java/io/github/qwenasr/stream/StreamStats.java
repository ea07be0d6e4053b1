package io.github.qwenasr.stream;

/**
 * Cumulative cost of a streaming session (docs/modes.md 1.5 definitions): what the CLI's stats lines
 * and benchmarks report.
 *
 * @param steps           decoding steps run
 * @param encodeMillis    mel + encoder time over all steps
 * @param prefillMillis   prompt passes (reused rows skipped) over all steps
 * @param decodeMillis    greedy generation after each prefill, over all steps
 * @param stepMillis      wall time of all steps (the three above plus bookkeeping)
 * @param generated       tokens generated over all steps (re-decoded rollback tails included)
 * @param committedTokens text tokens committed (the streaming "text tokens")
 */
public record StreamStats(int steps, double encodeMillis, double prefillMillis, double decodeMillis,
                         double stepMillis, long generated, long committedTokens) {}
