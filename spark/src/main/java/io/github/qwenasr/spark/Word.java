package io.github.qwenasr.spark;

import java.io.Serializable;

/** A timed word (or CJK character) of a transcript, in seconds on the recording. */
public record Word(String text, double start, double end) implements Serializable {
}
