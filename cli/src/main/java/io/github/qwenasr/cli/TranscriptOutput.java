package io.github.qwenasr.cli;

import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.format.AtomicFileWriter;
import io.github.qwenasr.format.OutputFormat;
import io.github.qwenasr.format.TranscriptDocument;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
     * Fails early, before any model is loaded, when the {@code -o} file must not or cannot be written:
     * it names one of the run's {@code inputs} (whatever the spelling: symbolic links, "..", hard
     * links), is not a regular file (a FIFO, a device, a folder), or its folder does not exist or
     * does not let a file be created ({@link AtomicFileWriter#checkTarget}, repeated when writing).
     */
    void checkTarget(List<Path> inputs) {
        if (file == null) return;
        for (Path input : inputs) {
            if (sameFile(input, file)) {
                throw new QwenAsrException("-o " + file + " is the input file " + input
                        + ": writing there would destroy it; give another output file");
            }
        }
        AtomicFileWriter.checkTarget(file);
    }

    /**
     * Whether two existing paths are one file whatever their spelling (links, ".."); false when
     * either is missing or cannot be compared (an unreadable input fails later, with its own message).
     * Shared by every check that an output would replace an input.
     */
    static boolean sameFile(Path a, Path b) {
        if (!Files.exists(a) || !Files.exists(b)) return false;
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return false; // an unreadable input fails when it is read, with its own message
        }
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
