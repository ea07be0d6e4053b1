package io.github.qwenasr.cli;

import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.format.AtomicFileWriter;
import io.github.qwenasr.format.OutputFormat;
import io.github.qwenasr.format.TranscriptDocument;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the result of a run in the requested format: to the {@code -o} file through
 * {@link AtomicFileWriter} (so a failure never leaves a partial file, and nothing goes to stdout),
 * otherwise to stdout as UTF-8. Plain text is the transcript as one line, as without this option.
 */
final class TranscriptOutput {
    private final OutputFormat format;
    private final Path file;
    private final PrintStream out;

    TranscriptOutput(OutputFormat format, Path file, PrintStream out) {
        this.format = format;
        this.file = file;
        this.out = out;
    }

    /**
     * Fails early, before any model is loaded, when the {@code -o} file clearly cannot be written
     * (the same checks the writer repeats at the end).
     */
    void checkTarget() {
        if (file == null) return;
        Path absolute = file.toAbsolutePath();
        Path dir = absolute.getParent();
        if (dir == null || absolute.getFileName() == null) throw new QwenAsrException("not a file path for -o: " + file);
        if (!Files.isDirectory(dir)) {
            throw new QwenAsrException("cannot write " + file + ": " + dir
                    + (Files.exists(dir) ? " is not a directory" : " does not exist"));
        }
        if (Files.isDirectory(absolute)) throw new QwenAsrException("cannot write " + file + ": it is a directory");
    }

    /** Renders and writes {@code doc}; {@code audioSeconds} spans the single cue of untimed subtitles. */
    void write(TranscriptDocument doc, double audioSeconds) {
        String rendered = format == OutputFormat.TXT ? TranscriptLine.of(doc.text()) : format.render(doc, audioSeconds);
        if (file != null) {
            AtomicFileWriter.write(file, rendered);
            return;
        }
        byte[] bytes = rendered.getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
        out.flush();
        if (out.checkError()) throw new QwenAsrException("cannot write the output to stdout");
    }
}
