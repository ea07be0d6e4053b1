package io.github.qwenasr.spark;

import io.github.qwenasr.QwenAsrException;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Owner-only temporary copies of audio bytes that must be decoded from a file (ffmpeg seeks in its
 * input), in {@code java.io.tmpdir}.
 */
final class TemporaryAudio {
    private TemporaryAudio() {
    }

    /** Writes {@code bytes} to a new temporary file readable by this user only. */
    static Path write(byte[] bytes) {
        try {
            Path file = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                    ? Files.createTempFile("qwen-asr-spark-", ".audio",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                    : Files.createTempFile("qwen-asr-spark-", ".audio");
            try {
                Files.write(file, bytes);
            } catch (IOException e) {
                delete(file);
                throw e;
            }
            return file;
        } catch (IOException e) {
            throw new QwenAsrException("cannot write a temporary copy of the input: " + e.getMessage(), e);
        }
    }

    /** Deletes a copy made by {@link #write}; a failure leaves it for the system's cleaning. */
    static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // nothing more to do: it is in the temporary folder
        }
    }
}
