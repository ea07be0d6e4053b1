package io.github.qwenasr.spark;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The inputs of a batch run: the WAV files under a folder (every {@code *.wav}, any case, in sub-folders
 * too, symbolic links followed), or the paths listed in a text file, one per line (blank lines and lines
 * starting with {@code #} are skipped; relative paths are taken from the working directory, as a shell
 * would). Paths come out absolute and normalised, sorted for a folder and in list order otherwise,
 * each once. A listed path that does not exist stays in: it gets its error row.
 */
public final class InputListing {
    private InputListing() {
    }

    /**
     * @throws QwenAsrSparkException when {@code input} is neither a folder nor a readable list, or lists nothing
     */
    public static List<String> list(Path input) {
        if (Files.isDirectory(input)) return folder(input);
        if (!Files.isRegularFile(input)) {
            throw new QwenAsrSparkException("--input " + input + " is neither a folder nor a list file");
        }
        if (looksLikeWav(input)) {
            throw new QwenAsrSparkException("--input " + input + " is a WAV file; give a folder of WAV files or a text "
                    + "file listing them, one path per line");
        }
        return listFile(input);
    }

    private static List<String> folder(Path dir) {
        List<String> out;
        try (Stream<Path> walk = Files.walk(dir, FileVisitOption.FOLLOW_LINKS)) {
            out = walk.filter(p -> p.getFileName() != null
                            && p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".wav")
                            && !Files.isDirectory(p))
                    .map(p -> p.toAbsolutePath().normalize().toString())
                    .sorted()
                    .distinct()
                    .toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new QwenAsrSparkException("cannot list the folder " + dir + ": " + e.getMessage(), e);
        }
        if (out.isEmpty()) throw new QwenAsrSparkException("no .wav files in " + dir);
        return out;
    }

    private static List<String> listFile(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new QwenAsrSparkException("cannot read the input list " + file + ": " + e.getMessage(), e);
        }
        Set<String> out = new LinkedHashSet<>();
        int n = 0;
        for (String line : lines) {
            n++;
            String s = line.strip();
            if (s.isEmpty() || s.startsWith("#")) continue;
            try {
                out.add(Path.of(s).toAbsolutePath().normalize().toString());
            } catch (InvalidPathException e) {
                throw new QwenAsrSparkException("line " + n + " of " + file + " is not a path: " + e.getMessage(), e);
            }
        }
        if (out.isEmpty()) throw new QwenAsrSparkException("the input list " + file + " names no files");
        return new ArrayList<>(out);
    }

    private static boolean looksLikeWav(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            String head = new String(in.readNBytes(4), StandardCharsets.ISO_8859_1);
            return head.equals("RIFF") || head.equals("RF64");
        } catch (IOException e) {
            return false;
        }
    }
}
