package io.github.qwenasr.hub;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The checksum the hub publishes for a file, computed incrementally over its content: SHA-256 for
 * Git LFS files (the weights), and for files kept in git itself their git blob id, the SHA-1 of
 * {@code "blob " + size + "\0"} followed by the content.
 */
final class ContentDigest {
    private final MessageDigest md;
    private final byte[] prefix;
    private final String expected;
    private final String label;

    private ContentDigest(String algorithm, byte[] prefix, String expected, String label) {
        try {
            this.md = MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is missing from this Java runtime", e);
        }
        this.prefix = prefix;
        this.expected = expected;
        this.label = label;
        reset();
    }

    /** The digest that checks {@code file}, or null when the hub gave no checksum for it. */
    static ContentDigest of(RemoteFile file) {
        if (file.sha256() != null) return new ContentDigest("SHA-256", new byte[0], file.sha256(), "sha256");
        if (file.gitBlobId() != null && file.size() >= 0) {
            byte[] header = ("blob " + file.size() + "\0").getBytes(StandardCharsets.US_ASCII);
            return new ContentDigest("SHA-1", header, file.gitBlobId(), "git blob id");
        }
        return null;
    }

    /** Forgets everything hashed so far. */
    void reset() {
        md.reset();
        md.update(prefix);
    }

    void update(byte[] bytes, int offset, int length) {
        md.update(bytes, offset, length);
    }

    void update(ByteBuffer bytes) {
        md.update(bytes);
    }

    /** Hashes the first {@code length} bytes of {@code file} (after a reset). */
    void updateFrom(Path file, long length) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            updateFrom(ch, length);
        }
    }

    void updateFrom(FileChannel ch, long length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(1 << 20);
        long pos = 0;
        while (pos < length) {
            buf.clear().limit((int) Math.min(buf.capacity(), length - pos));
            int n = ch.read(buf, pos);
            if (n < 0) throw new IOException("file shorter than expected");
            buf.flip();
            md.update(buf);
            pos += n;
        }
    }

    /** The checksum of what was hashed, as lower-case hex; the digest starts over afterwards. */
    String finishHex() {
        String hex = HexFormat.of().formatHex(md.digest());
        reset();
        return hex;
    }

    String expected() {
        return expected;
    }

    /** "sha256" or "git blob id", for messages. */
    String label() {
        return label;
    }
}
