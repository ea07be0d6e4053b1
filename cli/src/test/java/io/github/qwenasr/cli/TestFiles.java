package io.github.qwenasr.cli;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Locates ../shared (system property qwenasr.shared, else relative to the working directory). */
final class TestFiles {
    private TestFiles() {
    }

    static Path shared() {
        String prop = System.getProperty("qwenasr.shared");
        if (prop != null && !prop.isBlank()) return Path.of(prop);
        for (String candidate : List.of("../shared", "../../shared")) {
            Path p = Path.of(candidate);
            if (Files.isDirectory(p.resolve("data"))) return p;
        }
        throw new IllegalStateException("shared data directory not found: set -Dqwenasr.shared");
    }

    /** The 16-bit mono 16 kHz speech clip used by the end-to-end tests (must exist: a missing fixture fails). */
    static Path speechWav() {
        Path p = shared().resolve("data/audio/test_speech.wav");
        if (!Files.isRegularFile(p)) throw new IllegalStateException("missing fixture " + p);
        return p;
    }

    /** The payload of a WAV file's "data" chunk, found by walking the RIFF chunks. */
    static byte[] wavDataChunk(byte[] wav) {
        ByteBuffer b = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
        int pos = 12;
        while (pos + 8 <= wav.length) {
            String id = new String(wav, pos, 4, java.nio.charset.StandardCharsets.US_ASCII);
            int size = b.getInt(pos + 4);
            if (id.equals("data")) return Arrays.copyOfRange(wav, pos + 8, pos + 8 + size);
            pos += 8 + size + (size & 1);
        }
        throw new IllegalStateException("no data chunk");
    }
}
