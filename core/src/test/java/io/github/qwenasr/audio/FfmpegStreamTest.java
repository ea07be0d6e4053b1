package io.github.qwenasr.audio;

import static io.github.qwenasr.audio.FfmpegFixtures.ffmpeg;
import static io.github.qwenasr.audio.FfmpegFixtures.make;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.QwenAsrException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live decoding: samples come out while the input is still arriving, they equal the file decode's,
 * and a damaged stream fails at its end instead of ending quietly.
 */
class FfmpegStreamTest {
    @TempDir
    Path dir;

    private static float[] readAll(IncrementalPcmReader reader) {
        float[] all = new float[0];
        float[] b;
        while ((b = reader.read()) != null) {
            int old = all.length;
            all = Arrays.copyOf(all, old + b.length);
            System.arraycopy(b, 0, all, old, b.length);
        }
        return all;
    }

    @Test
    void aFlacStreamGivesTheWavsSamplesAsTheyArrive() throws Exception {
        Path wav = SharedAudio.clip("notld_20s_no_authentic_way_for_us_to_say.wav");
        byte[] flac = Files.readAllBytes(make(dir.resolve("s.flac"), "-i", wav.toString()));
        float[] expected;
        try (WavFileSource s = WavFileSource.open(wav)) {
            expected = s.readAll();
        }
        SlowInput in = new SlowInput();
        try (FfmpegStream stream = FfmpegStream.decode(in, "stdin", InputFormat.FLAC, ffmpeg())) {
            IncrementalPcmReader reader = new IncrementalPcmReader(stream);
            in.offer(Arrays.copyOf(flac, flac.length / 2));
            // Half the bytes are there: the first samples come out before the rest is sent.
            float[] first = assertTimeoutPreemptively(Duration.ofSeconds(30), reader::read);
            assertEquals(16_000, reader.sampleRate());
            assertTrue(first.length > 0);
            in.offer(Arrays.copyOfRange(flac, flac.length / 2, flac.length));
            in.end();
            float[] rest = readAll(reader);
            float[] all = Arrays.copyOf(first, first.length + rest.length);
            System.arraycopy(rest, 0, all, first.length, rest.length);
            assertArrayEquals(expected, all);
        }
    }

    @Test
    void aDamagedStreamFailsAtItsEnd() throws Exception {
        byte[] flac = Files.readAllBytes(make(dir.resolve("s.flac"), "-i", SharedAudio.clip("jfk.wav").toString()));
        byte[] cut = Arrays.copyOf(flac, flac.length * 2 / 3);
        try (FfmpegStream stream = FfmpegStream.decode(new ByteArrayInputStream(cut), "stdin", InputFormat.FLAC, ffmpeg())) {
            IncrementalPcmReader reader = new IncrementalPcmReader(stream);
            QwenAsrException e = assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> assertThrows(QwenAsrException.class, () -> readAll(reader)));
            assertTrue(e.getMessage().startsWith("stdin: damaged FLAC audio"), e.getMessage());
        }
    }

    @Test
    void closingStopsFfmpegWhileTheInputIsStillOpen() throws Exception {
        SlowInput in = new SlowInput();
        FfmpegStream stream = FfmpegStream.decode(in, "stdin", InputFormat.MP3, ffmpeg());
        assertTimeoutPreemptively(Duration.ofSeconds(10), stream::close);
        assertEquals(-1, stream.read(new byte[10], 0, 10));
    }

    /** An input stream fed by the test, block by block; read blocks until a block or the end arrives. */
    private static final class SlowInput extends InputStream {
        private static final byte[] END = new byte[0];
        private final BlockingQueue<byte[]> blocks = new ArrayBlockingQueue<>(16);
        private byte[] current = new byte[0];
        private int pos;
        private boolean ended;

        void offer(byte[] b) throws InterruptedException {
            blocks.put(b);
        }

        void end() throws InterruptedException {
            blocks.put(END);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (ended) return -1;
            try {
                while (pos == current.length) {
                    current = blocks.take();
                    pos = 0;
                    if (current == END) {
                        ended = true;
                        return -1;
                    }
                }
            } catch (InterruptedException e) {
                throw new IOException("interrupted");
            }
            int n = Math.min(len, current.length - pos);
            System.arraycopy(current, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
