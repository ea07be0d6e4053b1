package io.github.qwenasr.spark;

import java.io.Serializable;

/**
 * One row of a batch run's output: an input path, its content hash and what it became.
 *
 * @param sha256 null for an input that could not be read
 */
public record ResultRow(String path, String sha256, Outcome outcome) implements Serializable {
}
