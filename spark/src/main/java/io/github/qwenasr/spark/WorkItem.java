package io.github.qwenasr.spark;

import java.io.Serializable;
import java.util.List;

/**
 * One transcription to do: the content (by hash) and every input path that holds it (copies are
 * transcribed once and get a row each). An unreadable input is a work item of its own, with its
 * read error and no hash: it becomes an error row without reaching the engine.
 *
 * @param sha256    hex sha256 of the bytes; null for an unreadable input
 * @param paths     the inputs with this content, the first is the one transcribed
 * @param weight    expected work in audio seconds (from the header)
 * @param readError why the input could not be read, or null
 */
public record WorkItem(String sha256, List<String> paths, double weight, String readError) implements Serializable {
    public WorkItem {
        paths = List.copyOf(paths);
        if (paths.isEmpty()) throw new IllegalArgumentException("a work item needs a path");
    }
}
