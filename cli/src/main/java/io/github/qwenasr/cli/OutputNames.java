package io.github.qwenasr.cli;

import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.format.AtomicFileWriter;
import io.github.qwenasr.format.OutputFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The file each input's transcript goes to under {@code --output-dir} (docs/modes.md 1.9):
 * {@code <name>.<ext>}, the input's file name without its extension and the format's extension.
 * Names that clash (ignoring case, so that the result is the same on every file system) get
 * {@code -2}, {@code -3}, ... in input order, so the same inputs always get the same files; a
 * name that is one of the inputs themselves is never used.
 */
final class OutputNames {
    private final List<Path> targets;

    private OutputNames(List<Path> targets) {
        this.targets = targets;
    }

    /**
     * Creates {@code dir} if needed and names a file there for every input.
     *
     * @throws QwenAsrException when {@code dir} is not a folder, cannot be created, or a target cannot be written
     */
    static OutputNames assign(Path dir, OutputFormat format, List<InputFiles.Input> inputs) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new QwenAsrException("--output-dir " + dir + " is not a folder");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new QwenAsrException("cannot create --output-dir " + dir + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
        Set<String> taken = new HashSet<>();
        List<Path> targets = new ArrayList<>();
        for (InputFiles.Input in : inputs) {
            String base = stem(in.path());
            String ext = "." + format.extension();
            Path target = null;
            for (int n = 1; target == null; n++) {
                String name = (n == 1 ? base : base + "-" + n) + ext;
                Path candidate = dir.resolve(name);
                if (taken.contains(name.toLowerCase(Locale.ROOT)) || isAnInput(candidate, inputs)) continue;
                taken.add(name.toLowerCase(Locale.ROOT));
                target = candidate;
            }
            AtomicFileWriter.checkTarget(target);
            targets.add(target);
        }
        return new OutputNames(targets);
    }

    /** The file of input {@code index}. */
    Path target(int index) {
        return targets.get(index);
    }

    /** The file name without its last extension ("talk.part1.mp3" gives "talk.part1"). */
    static String stem(Path file) {
        Path name = file.getFileName();
        String s = name == null ? "input" : name.toString();
        int dot = s.lastIndexOf('.');
        return dot > 0 ? s.substring(0, dot) : s;
    }

    private static boolean isAnInput(Path candidate, List<InputFiles.Input> inputs) {
        for (InputFiles.Input in : inputs) {
            if (TranscriptOutput.sameFile(candidate, in.path())) return true;
        }
        return false;
    }
}
