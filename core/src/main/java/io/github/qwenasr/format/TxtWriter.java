package io.github.qwenasr.format;

/** Plain-text output: the transcript followed by one newline. */
final class TxtWriter {
    private TxtWriter() {
    }

    public static String render(TranscriptDocument doc) {
        return doc.text() + "\n";
    }
}
