package io.github.qwenasr.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.OptionalDouble;

/**
 * One input as the scan saw it: the sha256 of its bytes (what makes a rerun skip it, wherever the file
 * has moved), its size, and the duration its WAV header declares (what partitions are balanced by).
 *
 * @param path          the input path
 * @param sha256        hex sha256 of the file's bytes; null when it could not be read
 * @param bytes         file size; -1 when it could not be read
 * @param headerSeconds the header's duration; NaN when the header is not a readable WAV header
 * @param readError     why the file could not be read, or null
 */
public record ScannedInput(String path, String sha256, long bytes, double headerSeconds, String readError)
        implements Serializable {
    /** Weight of an input whose header gives no duration: such files fail fast in the engine. */
    static final double UNKNOWN_WEIGHT_SECONDS = 0.1;

    /** The work this input is expected to cost, in audio seconds. */
    public double weightSeconds() {
        return Double.isNaN(headerSeconds) ? UNKNOWN_WEIGHT_SECONDS : Math.max(UNKNOWN_WEIGHT_SECONDS, headerSeconds);
    }

    /** Reads the file once for its hash, and its header for its duration. Never throws for a bad file. */
    public static ScannedInput scan(String path) {
        Path p = Path.of(path);
        if (Files.isDirectory(p)) return unreadable(path, "is a directory");
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
        long size = 0;
        try (InputStream in = Files.newInputStream(p)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                sha.update(buf, 0, n);
                size += n;
            }
        } catch (java.nio.file.NoSuchFileException e) {
            return unreadable(path, "no such file");
        } catch (IOException e) {
            return unreadable(path, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
        OptionalDouble seconds = WavHeader.seconds(p);
        return new ScannedInput(path, HexFormat.of().formatHex(sha.digest()), size,
                seconds.isPresent() ? seconds.getAsDouble() : Double.NaN, null);
    }

    private static ScannedInput unreadable(String path, String reason) {
        return new ScannedInput(path, null, -1, Double.NaN, "cannot read audio file " + path + ": " + reason);
    }
}
