package io.github.qwenasr.spark;

import java.io.Serializable;

/**
 * What one partition of a batch run did.
 *
 * @param partition    its number
 * @param rows         rows written (one per input path)
 * @param errors       rows with an error
 * @param audioSeconds audio transcribed, from the engine's own count (error rows count nothing)
 * @param millis       wall time of the partition, model load included when it loaded it
 */
public record PartitionReport(int partition, int rows, int errors, double audioSeconds, long millis)
        implements Serializable {
}
