package io.github.qwenasr.spark;

import java.io.Serializable;
import java.util.List;

/**
 * The work of one partition, longest item first.
 *
 * @param index   the partition's number (its part file is named after it)
 * @param items   the transcriptions to do
 * @param seconds the items' total weight in audio seconds
 */
public record Bin(int index, List<WorkItem> items, double seconds) implements Serializable {
    public Bin {
        items = List.copyOf(items);
    }
}
