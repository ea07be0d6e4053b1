package io.github.qwenasr.hub;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The {@code <file>.part} a download writes into: appends at its end, restarts it from zero, and
 * keeps the checksum of its content up to date so that a finished download is verified without
 * reading it again. Bytes already in the file from an earlier run are hashed when it is opened.
 */
final class PartFile implements Closeable {
    private final Path path;
    private final FileChannel channel;
    private final ContentDigest digest;
    private long length;

    private PartFile(Path path, FileChannel channel, ContentDigest digest) {
        this.path = path;
        this.channel = channel;
        this.digest = digest;
    }

    /** Opens (or creates) {@code path}; {@code digest} may be null when there is no checksum. */
    static PartFile open(Path path, ContentDigest digest) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        PartFile p = new PartFile(path, ch, digest);
        try {
            p.rehash();
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        return p;
    }

    Path path() {
        return path;
    }

    /** Bytes held (and hashed) so far. */
    long length() {
        return length;
    }

    /** Empties the file: the next bytes are the file's first. */
    void restart() throws IOException {
        channel.truncate(0);
        length = 0;
        if (digest != null) digest.reset();
    }

    /** Appends bytes at the end and hashes them. */
    void append(byte[] bytes, int offset, int count) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(bytes, offset, count);
        long pos = length;
        while (buf.hasRemaining()) pos += channel.write(buf, pos);
        if (digest != null) digest.update(bytes, offset, count);
        length += count;
    }

    /** Re-reads the file when its size no longer matches what was hashed (a failed write, another writer). */
    void resync() throws IOException {
        if (channel.size() != length) rehash();
    }

    /** The checksum of the content, or null without a digest. */
    String checksumHex() {
        return digest == null ? null : digest.finishHex();
    }

    /** Flushes the content to the disk, so the renamed file survives a crash. */
    void force() throws IOException {
        channel.force(true);
    }

    private void rehash() throws IOException {
        long size = channel.size();
        if (digest != null) {
            digest.reset();
            digest.updateFrom(channel, size);
        }
        length = size;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
