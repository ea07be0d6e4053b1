package io.github.qwenasr.cli;

import io.github.qwenasr.QwenAsrException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The inputs of a run over many files (docs/modes.md 1.9), in input order: each {@code -i} file as
 * given, each {@code -i} folder as its audio files (by extension, sorted by name; sub-folders with
 * {@code --recursive}), then the paths of {@code --input-list}. A path that does not exist stays in
 * (its line gets the error); a path given twice is transcribed once, at its first place.
 */
final class InputFiles {
    /** File name extensions a folder's audio files have (any case): WAV and what ffmpeg usually reads. */
    static final String EXTENSIONS_1 = "wav wave mp3 m4a m4b aac flac ogg oga opus webm weba mka";
    /** The rest of them (two constants, so that the help text can show them on two lines). */
    static final String EXTENSIONS_2 = "mkv mp4 mov aif aiff aifc wma amr 3gp caf ac3 w64";
    static final List<String> AUDIO_EXTENSIONS = List.of((EXTENSIONS_1 + " " + EXTENSIONS_2).split(" "));

    /**
     * One input.
     *
     * @param name how output and messages name it: the path as given, or the folder as given joined
     *             with the file's path inside it
     * @param path the file to read
     */
    record Input(String name, Path path) {}

    private InputFiles() {
    }

    /**
     * The inputs of {@code many}; folders without audio files are reported through {@code log}.
     *
     * @throws QwenAsrException when a folder or the list cannot be read, a list line is not a path, or
     *                          nothing is left to transcribe
     */
    static List<Input> collect(CliRequest.Many many, Log log) {
        List<Input> out = new ArrayList<>();
        Set<Path> seen = new HashSet<>();
        List<String> empty = new ArrayList<>();
        for (Path given : many.inputs()) {
            if (Files.isDirectory(given)) {
                List<Input> found = folder(given, many.recursive());
                if (found.isEmpty()) empty.add(given.toString());
                for (Input in : found) add(out, seen, in);
            } else {
                add(out, seen, new Input(given.toString(), given));
            }
        }
        if (many.inputList() != null) {
            for (Input in : listed(many.inputList())) add(out, seen, in);
        }
        String none = "no audio files in " + String.join(", ", empty) + " (by extension; see --help)";
        if (out.isEmpty()) {
            List<String> why = new ArrayList<>();
            if (!empty.isEmpty()) why.add(none);
            if (many.inputList() != null) why.add("the list " + many.inputList() + " names none");
            throw new QwenAsrException("no inputs to transcribe: " + String.join("; ", why));
        }
        if (!empty.isEmpty()) log.info("Warning: " + none);
        return out;
    }

    private static void add(List<Input> out, Set<Path> seen, Input in) {
        if (seen.add(in.path().toAbsolutePath().normalize())) out.add(in);
    }

    /** Whether a file name has one of {@link #AUDIO_EXTENSIONS} and is not hidden. */
    static boolean isAudioName(String fileName) {
        if (fileName.startsWith(".")) return false;
        int dot = fileName.lastIndexOf('.');
        return dot > 0 && AUDIO_EXTENSIONS.contains(fileName.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** The folder's audio files, sorted by their path inside it ('/' between names). */
    private static List<Input> folder(Path dir, boolean recursive) {
        record Found(String relative, Path path) {}
        List<Found> found = new ArrayList<>();
        try (Stream<Path> entries = recursive ? Files.walk(dir) : Files.list(dir)) {
            entries.forEach(p -> {
                if (p.equals(dir) || !isAudioName(p.getFileName().toString()) || !Files.isRegularFile(p)) return;
                Path rel = dir.relativize(p);
                if (hiddenFolder(rel)) return;
                StringBuilder name = new StringBuilder();
                for (Path part : rel) name.append(name.isEmpty() ? "" : "/").append(part);
                found.add(new Found(name.toString(), p));
            });
        } catch (IOException | UncheckedIOException e) {
            throw new QwenAsrException("cannot list the folder " + dir + ": " + cause(e));
        }
        found.sort((a, b) -> a.relative().compareTo(b.relative()));
        return found.stream().map(f -> new Input(f.path().toString(), f.path())).toList();
    }

    /** Whether a file lies in a hidden sub-folder (".git", ".cache"): skipped like hidden files. */
    private static boolean hiddenFolder(Path relative) {
        for (int i = 0; i < relative.getNameCount() - 1; i++) {
            if (relative.getName(i).toString().startsWith(".")) return true;
        }
        return false;
    }

    /** The paths of an --input-list file: one per line, blank lines and # comments skipped. */
    private static List<Input> listed(Path list) {
        String text;
        try {
            byte[] bytes = Files.readAllBytes(list);
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new QwenAsrException("--input-list " + list + " is not UTF-8 text");
        } catch (IOException e) {
            throw new QwenAsrException("cannot read --input-list " + list + ": " + cause(e));
        }
        if (text.startsWith("\uFEFF")) text = text.substring(1);
        List<Input> out = new ArrayList<>();
        int n = 0;
        for (String line : text.split("\\R", -1)) {
            n++;
            String entry = line.strip();
            if (entry.isEmpty() || entry.startsWith("#")) continue;
            try {
                out.add(new Input(entry, Path.of(entry)));
            } catch (InvalidPathException e) {
                throw new QwenAsrException("line " + n + " of --input-list " + list + " is not a path: " + entry);
            }
        }
        return out;
    }

    private static String cause(Exception e) {
        Throwable t = e instanceof UncheckedIOException u ? u.getCause() : e;
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : " " + m);
    }
}
