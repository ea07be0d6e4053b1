package io.github.qwenasr.eval;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A data set listed in a TSV file (docs/modes.md 13.2): one utterance a line, {@code path<TAB>reference},
 * split at the first tab (the reference may hold more). A relative path is resolved against the
 * folder of the TSV file. Blank lines and lines starting with {@code #} are skipped; the first other
 * line may be the header {@code path<TAB>reference}. Every audio file is checked to exist before
 * anything is transcribed.
 */
public final class TsvReader {
    private TsvReader() {
    }

    /** Reads {@code tsv}. */
    public static Dataset read(Path tsv) {
        if (Files.isDirectory(tsv)) throw new DatasetException(tsv + ": a folder, not a TSV file");
        if (!Files.exists(tsv)) throw new DatasetException("TSV file not found: " + tsv);
        Path base = tsv.toAbsolutePath().getParent();
        List<String> lines = TextFiles.lines(tsv);
        List<EvalItem> items = new ArrayList<>();
        boolean first = true;
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n);
            if (line.isBlank() || line.startsWith("#")) continue;
            String where = tsv + " line " + (n + 1);
            int tab = line.indexOf('\t');
            if (tab < 0) throw new DatasetException(where + ": expected 'path<TAB>reference', found no tab");
            String path = line.substring(0, tab).strip();
            String reference = line.substring(tab + 1).strip();
            boolean header = first && path.equalsIgnoreCase("path") && reference.equalsIgnoreCase("reference");
            first = false;
            if (header) continue;
            if (path.isEmpty()) throw new DatasetException(where + ": the audio path before the tab is empty");
            items.add(new EvalItem(path, audio(base, path, where), reference));
        }
        if (items.isEmpty()) throw new DatasetException(tsv + " lists no utterances");
        return new Dataset("TSV " + tsv + ": " + items.size() + " utterance" + (items.size() == 1 ? "" : "s"), items);
    }

    private static Path audio(Path base, String path, String where) {
        Path audio;
        try {
            audio = base.resolve(path);
        } catch (InvalidPathException e) {
            throw new DatasetException(where + ": not a valid path: " + path);
        }
        if (!Files.isRegularFile(audio)) throw new DatasetException(where + ": audio file not found: " + audio);
        return audio;
    }
}
