package io.github.qwenasr.format;

import io.github.qwenasr.QwenAsrException;
import java.io.IOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes an output file all at once or not at all: the content goes to a temporary file in the
 * target's directory, is flushed to disk, then renamed over the target (atomically where the file
 * system allows). On any failure the temporary file is deleted and the target is left as it was.
 */
public final class AtomicFileWriter {
    private AtomicFileWriter() {
    }

    /** Something that writes the content; it may fail halfway. */
    @FunctionalInterface
    public interface Content {
        void writeTo(Writer out) throws IOException;
    }

    /** Writes {@code content} as UTF-8 to {@code target}. */
    public static void write(Path target, String content) {
        write(target, out -> out.write(content));
    }

    /** Writes what {@code content} produces, as UTF-8, to {@code target}. */
    public static void write(Path target, Content content) {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        if (dir == null || absolute.getFileName() == null) {
            throw new QwenAsrException("not a file path for the output: " + target);
        }
        if (!Files.exists(dir)) throw new QwenAsrException("output directory does not exist: " + dir);
        if (!Files.isDirectory(dir)) throw new QwenAsrException("output directory is not a directory: " + dir);
        if (Files.isDirectory(absolute)) throw new QwenAsrException("output path is a directory: " + target);

        Path temp = createTemp(dir, absolute.getFileName().toString(), target);
        boolean done = false;
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                // Replacement instead of an error for unpaired surrogates: a stray character must not lose the output.
                Writer out = Channels.newWriter(channel, StandardCharsets.UTF_8.newEncoder()
                        .onMalformedInput(CodingErrorAction.REPLACE)
                        .onUnmappableCharacter(CodingErrorAction.REPLACE), -1);
                content.writeTo(out);
                out.flush();
                channel.force(true);
            }
            move(temp, absolute);
            done = true;
        } catch (IOException e) {
            throw new QwenAsrException("cannot write " + target + ": " + describe(e), e);
        } finally {
            if (!done) deleteQuietly(temp);
        }
        syncDirectory(dir);
    }

    private static Path createTemp(Path dir, String name, Path target) {
        for (int attempt = 0; ; attempt++) {
            String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
            Path temp = dir.resolve("." + name + "." + suffix + ".tmp");
            try {
                // Created with the default permissions, unlike Files.createTempFile's owner-only ones.
                return Files.createFile(temp);
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 10) throw new QwenAsrException("cannot create a temporary file next to " + target, e);
            } catch (IOException e) {
                throw new QwenAsrException("cannot write to the output directory " + dir + ": " + describe(e), e);
            }
        }
    }

    private static void move(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Makes the rename durable where the platform allows opening a directory; best effort. */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | RuntimeException ignored) {
            // Not supported everywhere (Windows); the file itself is already on disk.
        }
    }

    private static void deleteQuietly(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // Nothing more to do; the original failure is the one to report.
        }
    }

    private static String describe(IOException e) {
        String kind = e.getClass().getSimpleName();
        String msg = e.getMessage();
        return msg == null ? kind : kind + " (" + msg.replace('\n', ' ') + ")";
    }
}
