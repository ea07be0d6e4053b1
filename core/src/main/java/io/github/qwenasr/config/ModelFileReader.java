package io.github.qwenasr.config;

import io.github.qwenasr.QwenAsrException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads the files of a model directory (config, tokenizer, index) with one-line errors that say
 * why: the JDK's own messages for these failures are often just the path ("cannot read X: X"),
 * and a folder where a file should be fails later with an unrelated reason ("No such device"
 * from mapping it).
 */
public final class ModelFileReader {
    private ModelFileReader() {}

    /**
     * The whole file. {@code what} names its role in the messages, e.g. "model file" or
     * "tokenizer file".
     *
     * @throws QwenAsrException "missing WHAT F", "WHAT F is a directory, not a file" or
     *                          "cannot read WHAT F: reason"
     */
    public static byte[] readBytes(Path file, String what) {
        requireFile(file, what);
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw failure(file, what, e);
        }
    }

    /** The whole file as UTF-8 text (malformed UTF-8 is an error, as the reference's JSON reader makes it). */
    public static String readText(Path file, String what) {
        byte[] bytes = readBytes(file, what);
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new QwenAsrException("cannot read " + what + " " + file + ": not valid UTF-8 text", e);
        }
    }

    /**
     * Fails unless {@code file} is a regular file (symbolic links followed) before anyone opens or
     * maps it: a folder cannot be read, and a FIFO or device would block or never end. Whether it
     * can be read is found when it is opened ({@link #failure}).
     */
    public static void requireFile(Path file, String what) {
        if (Files.isDirectory(file)) throw new QwenAsrException(what + " " + file + " is a directory, not a file");
        if (!Files.exists(file)) throw new QwenAsrException("missing " + what + " " + file);
        if (!Files.isRegularFile(file)) {
            throw new QwenAsrException(what + " " + file + " is not a regular file (a device, FIFO or socket)");
        }
    }

    /** The one-line error for an I/O failure on a model file. */
    public static QwenAsrException failure(Path file, String what, IOException e) {
        if (e instanceof NoSuchFileException) return new QwenAsrException("missing " + what + " " + file, e);
        return new QwenAsrException("cannot read " + what + " " + file + ": " + reason(e), e);
    }

    /**
     * A short reason for an I/O failure: {@link FileSystemException}s carry the path as their
     * message and the reason separately (or, for access denied, not at all).
     */
    public static String reason(IOException e) {
        if (e instanceof NoSuchFileException) return "no such file";
        if (e instanceof AccessDeniedException) return "permission denied";
        if (e instanceof FileSystemException fs) {
            if (fs.getReason() != null) return fs.getReason();
            return e.getClass().getSimpleName();
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
