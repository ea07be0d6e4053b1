package io.github.qwenasr.spark;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.OptionalDouble;

/**
 * The duration a WAV file's header declares: the data chunk's size over the format's bytes per second,
 * read from a few chunk headers without decoding anything. Used to balance partitions by work; the
 * engine decides what the file really holds. RIFF and RF64 (ds64 sizes) are read; a data size that
 * runs past the end of the file (a header written before the recording ended) counts what is there.
 */
public final class WavHeader {
    private WavHeader() {
    }

    /** Seconds of audio the header of {@code file} declares, or empty when it is not a readable WAV header. */
    public static OptionalDouble seconds(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return seconds(ch);
        } catch (IOException | RuntimeException e) {
            return OptionalDouble.empty();
        }
    }

    static OptionalDouble seconds(FileChannel ch) throws IOException {
        long size = ch.size();
        ByteBuffer head = read(ch, 0, 12);
        if (head == null) return OptionalDouble.empty();
        String riff = ascii(head, 0);
        if (!(riff.equals("RIFF") || riff.equals("RF64")) || !ascii(head, 8).equals("WAVE")) return OptionalDouble.empty();
        long ds64Data = -1;
        long byteRate = 0;
        long pos = 12;
        // A bounded walk: a hostile header cannot make it loop.
        for (int chunks = 0; chunks < 10_000 && pos + 8 <= size; chunks++) {
            ByteBuffer c = read(ch, pos, 8);
            if (c == null) break;
            String id = ascii(c, 0);
            long len = Integer.toUnsignedLong(c.getInt(4));
            if (id.equals("ds64")) {
                ByteBuffer d = read(ch, pos + 8, 16);
                if (d != null) ds64Data = d.getLong(8);
            } else if (id.equals("fmt ")) {
                ByteBuffer f = read(ch, pos + 8, 16);
                if (f == null) return OptionalDouble.empty();
                int channels = Short.toUnsignedInt(f.getShort(2));
                long rate = Integer.toUnsignedLong(f.getInt(4));
                long declared = Integer.toUnsignedLong(f.getInt(8));
                int blockAlign = Short.toUnsignedInt(f.getShort(12));
                int bits = Short.toUnsignedInt(f.getShort(14));
                long computed = blockAlign > 0 ? blockAlign * rate : (long) channels * ((bits + 7) / 8) * rate;
                byteRate = computed > 0 ? computed : declared;
            } else if (id.equals("data")) {
                if (byteRate <= 0) return OptionalDouble.empty();
                long available = size - (pos + 8);
                long data = riff.equals("RF64") && len == 0xFFFFFFFFL && ds64Data >= 0 ? ds64Data : len;
                if (data <= 0 || data > available) data = available;
                return OptionalDouble.of(Math.max(0, data) / (double) byteRate);
            }
            pos += 8 + len + (len & 1);
        }
        return OptionalDouble.empty();
    }

    private static ByteBuffer read(FileChannel ch, long pos, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (ch.read(b, pos + b.position()) < 0) return null;
        }
        return b.flip();
    }

    private static String ascii(ByteBuffer b, int at) {
        byte[] id = new byte[4];
        b.get(at, id);
        return new String(id, StandardCharsets.ISO_8859_1);
    }
}
