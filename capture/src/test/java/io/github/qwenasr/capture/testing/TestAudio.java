package io.github.qwenasr.capture.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The shared speech clips (../shared/data/audio; a missing one fails) and WAV bytes made for tests. */
public final class TestAudio {
    private TestAudio() {
    }

    /** A clip of ../shared/data/audio (system property qwenasr.shared, else ../shared or ../../shared). */
    public static Path clip(String name) {
        String prop = System.getProperty("qwenasr.shared");
        List<String> roots = prop != null && !prop.isBlank() ? List.of(prop) : List.of("../shared", "../../shared");
        for (String root : roots) {
            Path p = Path.of(root, "data", "audio", name);
            if (Files.isRegularFile(p)) return p;
        }
        throw new IllegalStateException("missing fixture " + name + " (set -Dqwenasr.shared); tried " + roots);
    }

    /** The payload of a WAV file's data chunk. */
    public static byte[] pcm(Path wav) throws IOException {
        byte[] b = Files.readAllBytes(wav);
        ByteBuffer le = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        for (int pos = 12; pos + 8 <= b.length; ) {
            String id = new String(b, pos, 4, StandardCharsets.US_ASCII);
            int size = le.getInt(pos + 4);
            if (id.equals("data")) return Arrays.copyOfRange(b, pos + 8, pos + 8 + size);
            pos += 8 + size + (size & 1);
        }
        throw new IllegalStateException("no data chunk in " + wav);
    }

    /** A canonical 16-bit PCM WAV file of {@code samples} (interleaved) at {@code rate} with {@code channels}. */
    public static byte[] wavS16(short[] samples, int rate, int channels) {
        ByteBuffer b = ByteBuffer.allocate(44 + 2 * samples.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + 2 * samples.length)
                .put("WAVE".getBytes(StandardCharsets.US_ASCII)).put("fmt ".getBytes(StandardCharsets.US_ASCII))
                .putInt(16).putShort((short) 1).putShort((short) channels).putInt(rate).putInt(rate * 2 * channels)
                .putShort((short) (2 * channels)).putShort((short) 16).put("data".getBytes(StandardCharsets.US_ASCII))
                .putInt(2 * samples.length);
        for (short s : samples) b.putShort(s);
        return b.array();
    }

    /** Little-endian bytes of 16-bit samples. */
    public static byte[] s16le(short[] samples) {
        ByteBuffer b = ByteBuffer.allocate(2 * samples.length).order(ByteOrder.LITTLE_ENDIAN);
        for (short s : samples) b.putShort(s);
        return b.array();
    }

    /** 16-bit samples of little-endian bytes. */
    public static short[] shorts(byte[] s16le) {
        short[] out = new short[s16le.length / 2];
        ByteBuffer.wrap(s16le).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(out);
        return out;
    }
}
