package io.github.qwenasr.format;

/**
 * One unbreakable piece of subtitle text (a word with its punctuation, or a CJK character), whether a
 * space separates it from the previous piece, and its span in milliseconds.
 */
record SubtitleWord(String text, boolean spaceBefore, long startMs, long endMs) {
}
