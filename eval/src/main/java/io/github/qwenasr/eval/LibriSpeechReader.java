package io.github.qwenasr.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A data set in the LibriSpeech layout (docs/modes.md 13.2): transcript files named
 * {@code *.trans.txt} anywhere under the root (LibriSpeech puts them in
 * {@code <speaker>/<chapter>/<speaker>-<chapter>.trans.txt}), each line {@code UTTERANCE-ID TEXT},
 * the audio {@code UTTERANCE-ID.flac} beside it ({@code .wav} is taken when there is no FLAC, for
 * copies converted beforehand). Transcripts are read in path order, lines in file order; every audio
 * file is checked to exist before anything is transcribed.
 */
public final class LibriSpeechReader {
    private static final String TRANSCRIPT_SUFFIX = ".trans.txt";

    private LibriSpeechReader() {
    }

    /** Reads every transcript under {@code root}. */
    public static Dataset read(Path root) {
        if (!Files.isDirectory(root)) throw new DatasetException("LibriSpeech folder not found: " + root);
        List<Path> transcripts = transcripts(root);
        if (transcripts.isEmpty()) {
            throw new DatasetException("no LibriSpeech transcripts (*" + TRANSCRIPT_SUFFIX + ") under " + root);
        }
        List<EvalItem> items = new ArrayList<>();
        Map<String, Path> seen = new HashMap<>();
        for (Path transcript : transcripts) {
            List<String> lines = TextFiles.lines(transcript);
            for (int n = 0; n < lines.size(); n++) {
                String line = lines.get(n).strip();
                if (line.isEmpty()) continue;
                String where = transcript + " line " + (n + 1);
                int space = firstWhitespace(line);
                if (space < 0) throw new DatasetException(where + ": expected 'UTTERANCE-ID TEXT', got no text");
                String id = line.substring(0, space);
                Path before = seen.putIfAbsent(id, transcript);
                if (before != null) {
                    throw new DatasetException(where + ": utterance " + id + " is listed twice (also in " + before + ")");
                }
                items.add(new EvalItem(id, audio(transcript.getParent(), id, where), line.substring(space + 1).strip()));
            }
        }
        if (items.isEmpty()) throw new DatasetException("the LibriSpeech transcripts under " + root + " list no utterances");
        return new Dataset("LibriSpeech " + root + ": " + items.size() + " utterance" + (items.size() == 1 ? "" : "s"),
                items);
    }

    private static List<Path> transcripts(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.getFileName().toString().endsWith(TRANSCRIPT_SUFFIX) && Files.isRegularFile(p))
                    .sorted()
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            throw new DatasetException("cannot list " + root + ": " + e.getMessage(), e);
        }
    }

    private static Path audio(Path folder, String id, String where) {
        Path flac = folder.resolve(id + ".flac");
        if (Files.isRegularFile(flac)) return flac;
        Path wav = folder.resolve(id + ".wav");
        if (Files.isRegularFile(wav)) return wav;
        throw new DatasetException(where + ": audio file not found: " + flac);
    }

    private static int firstWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) return i;
        }
        return -1;
    }
}
