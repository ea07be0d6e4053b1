package io.github.qwenasr.hub;

import io.github.qwenasr.json.Json;
import io.github.qwenasr.json.JsonException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The note a finished download leaves in its model directory ({@value #FILE_NAME}): which repository
 * and commit the files came from and each file's verified size and checksum. Its presence, with
 * every listed file still there at its size, is what makes a model count as downloaded; it is
 * removed before a download changes any file, so an interrupted update never looks complete.
 *
 * @param repoId   hub repository id
 * @param revision the revision asked for (branch, tag or commit)
 * @param commit   the commit it resolved to, or null when the hub did not say
 * @param files    the verified files
 */
record CompletionRecord(String repoId, String revision, String commit, List<Entry> files) {
    static final String FILE_NAME = ".download-complete.json";

    /** One verified file: its name in the model directory, size and sha256 (null when the hub gave none). */
    record Entry(String path, long size, String sha256) {
    }

    /** Whether {@code dir} holds a record whose files are all present with their recorded sizes. */
    static boolean isComplete(Path dir) {
        Optional<CompletionRecord> record = read(dir);
        if (record.isEmpty() || record.get().files().isEmpty()) return false;
        for (Entry e : record.get().files()) {
            Path f = dir.resolve(e.path());
            try {
                if (!Files.isRegularFile(f) || Files.size(f) != e.size()) return false;
            } catch (IOException ex) {
                return false;
            }
        }
        return true;
    }

    /** The record in {@code dir}; empty when there is none or it cannot be read (then it does not count). */
    static Optional<CompletionRecord> read(Path dir) {
        try {
            Map<String, Object> root = Json.parseObject(Files.readString(dir.resolve(FILE_NAME), StandardCharsets.UTF_8));
            List<Entry> files = new ArrayList<>();
            if (!(root.get("files") instanceof List<?> list)) return Optional.empty();
            for (Object o : list) {
                if (!(o instanceof Map<?, ?>)) return Optional.empty();
                @SuppressWarnings("unchecked")
                Map<String, Object> f = (Map<String, Object>) o;
                String path = Json.getString(f, "path", null);
                long size = Json.getLong(f, "size", -1);
                if (path == null || size < 0 || !ModelFiles.isPlainFileName(path)) return Optional.empty();
                files.add(new Entry(path, size, Json.getString(f, "sha256", null)));
            }
            return Optional.of(new CompletionRecord(Json.getString(root, "repo", ""), Json.getString(root, "revision", ""),
                    Json.getString(root, "commit", null), List.copyOf(files)));
        } catch (IOException | JsonException e) {
            return Optional.empty();
        }
    }

    /** Writes the record into {@code dir}, atomically so a reader never sees half of it. */
    void write(Path dir) throws IOException {
        StringBuilder sb = new StringBuilder("{\n");
        sb.append("  \"repo\": ").append(Json.quote(repoId)).append(",\n");
        sb.append("  \"revision\": ").append(Json.quote(revision)).append(",\n");
        if (commit != null) sb.append("  \"commit\": ").append(Json.quote(commit)).append(",\n");
        sb.append("  \"files\": [");
        for (int i = 0; i < files.size(); i++) {
            Entry e = files.get(i);
            sb.append(i == 0 ? "\n" : ",\n").append("    {\"path\": ").append(Json.quote(e.path()))
                    .append(", \"size\": ").append(e.size());
            if (e.sha256() != null) sb.append(", \"sha256\": ").append(Json.quote(e.sha256()));
            sb.append('}');
        }
        sb.append("\n  ]\n}\n");
        Path tmp = dir.resolve(FILE_NAME + ".tmp");
        Files.writeString(tmp, sb, StandardCharsets.UTF_8);
        try {
            Files.move(tmp, dir.resolve(FILE_NAME), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, dir.resolve(FILE_NAME), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Removes the record of {@code dir}, if any: the model stops counting as downloaded. */
    static void remove(Path dir) throws IOException {
        try {
            Files.delete(dir.resolve(FILE_NAME));
        } catch (NoSuchFileException e) {
            // Nothing to remove.
        }
    }
}
