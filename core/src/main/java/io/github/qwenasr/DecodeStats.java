package io.github.qwenasr;

import java.util.List;

/**
 * What the decode batch of a loaded model is doing (docs/modes.md 14): every transcription and
 * streaming step on one {@link QwenAsr} decodes in one shared batch; a server shows these figures
 * as metrics. A snapshot: the counters are read one after another while decoding goes on.
 *
 * @param active          sequences in the batch now
 * @param waiting         prefilled sequences waiting to join it (batch full or KV budget used)
 * @param batchLimit      sequences the batch may hold
 * @param steps           decoder passes run (each one token for every sequence in the batch)
 * @param rows            tokens those passes computed: the sum of the batch sizes
 * @param finished        sequences that have left the batch (ended, failed or cancelled)
 * @param largestBatch    the most sequences one pass has computed
 * @param stepsByBatchSize steps run with b sequences at index b (index 0 is always 0)
 */
public record DecodeStats(int active, int waiting, int batchLimit, long steps, long rows, long finished,
                          int largestBatch, List<Long> stepsByBatchSize) {
    public DecodeStats {
        stepsByBatchSize = List.copyOf(stepsByBatchSize);
    }

    /** Sequences in flight: in the batch or waiting to join it. */
    public int inFlight() {
        return active + waiting;
    }

    /** Mean sequences per decoder pass so far (0 before the first). */
    public double meanBatch() {
        return steps == 0 ? 0 : rows / (double) steps;
    }
}
