package io.github.qwenasr.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.QwenAsrException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file read in pieces must give exactly what decoding the whole file in memory gives
 * ({@link AudioLoader#load16k(byte[])}: {@link WavDecoder} on the bytes, the one-shot
 * {@link Resampler}, the peak guard over the whole signal), for every encoding and for any range.
 */
class WavFileSourceTest {
    @TempDir
    Path dir;

    /** 5 s of a chirp plus noise (more than one 65536-frame read block at every rate used). */
    private static double[] signal(int frames, int rate, double gain, long seed) {
        Random r = new Random(seed);
        double[] x = new double[frames];
        for (int i = 0; i < frames; i++) {
            double t = i / (double) rate;
            x[i] = gain * (0.6 * Math.sin(2 * Math.PI * (200 + 300 * t) * t) + 0.3 * (r.nextDouble() * 2 - 1));
        }
        return x;
    }

    private static byte[] encode(int tag, int bits, int channels, int rate, double seconds, double gain) {
        int frames = (int) (seconds * rate);
        double[][] ch = new double[channels][];
        for (int c = 0; c < channels; c++) ch[c] = signal(frames, rate, gain, 17 + c);
        int bytes = bits / 8;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(frames * channels * bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < frames; i++) {
            for (int c = 0; c < channels; c++) {
                double v = ch[c][i];
                if (tag == WavBuilder.FLOAT) {
                    if (bits == 32) b.putFloat((float) v); else b.putDouble(v);
                } else {
                    double clipped = Math.max(-1, Math.min(1, v));
                    switch (bits) {
                        case 8 -> b.put((byte) (Math.round(clipped * 127) + 128));
                        case 16 -> b.putShort((short) Math.round(clipped * 32767));
                        case 24 -> {
                            int s = (int) Math.round(clipped * 8388607);
                            b.put((byte) s).put((byte) (s >> 8)).put((byte) (s >> 16));
                        }
                        default -> b.putInt((int) Math.round(clipped * 2147483647.0));
                    }
                }
            }
        }
        return WavBuilder.wav(tag, channels, rate, bits, b.array());
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, bytes);
        return f;
    }

    private void assertSameAsInMemory(String name, byte[] wav) throws IOException {
        float[] expected = AudioLoader.load16k(wav);
        Path f = write(name, wav);
        try (WavFileSource source = WavFileSource.open(f)) {
            assertEquals(expected.length, source.length(), name + ": length");
            assertArrayEquals(expected, source.readAll(), name + ": samples");
            Random r = new Random(name.hashCode());
            for (int k = 0; k < 40; k++) {
                int start = r.nextInt(expected.length);
                int count = r.nextInt(Math.min(expected.length - start, 70_000) + 1);
                assertArrayEquals(Arrays.copyOfRange(expected, start, start + count), source.read(start, count),
                        name + ": range " + start + "+" + count);
            }
            // The edges, where the resampler reads past the file.
            assertArrayEquals(Arrays.copyOfRange(expected, 0, 7), source.read(0, 7), name + ": head");
            int n = expected.length;
            assertArrayEquals(Arrays.copyOfRange(expected, n - 7, n), source.read(n - 7, 7), name + ": tail");
        }
    }

    @Test
    void integerPcmAt16kHz() throws IOException {
        assertSameAsInMemory("s16.wav", encode(WavBuilder.PCM, 16, 1, 16000, 5, 0.8));
        assertSameAsInMemory("u8-stereo.wav", encode(WavBuilder.PCM, 8, 2, 16000, 5, 0.8));
    }

    @Test
    void resampledFormats() throws IOException {
        assertSameAsInMemory("s16-44k-stereo.wav", encode(WavBuilder.PCM, 16, 2, 44100, 5, 0.9));
        assertSameAsInMemory("s24-22k.wav", encode(WavBuilder.PCM, 24, 1, 22050, 5, 0.9));
        assertSameAsInMemory("s32-8k.wav", encode(WavBuilder.PCM, 32, 3, 8000, 5, 0.9));
        assertSameAsInMemory("f64-48k.wav", encode(WavBuilder.FLOAT, 64, 1, 48000, 5, 0.5));
    }

    @Test
    void loudFloatIsScaledByTheWholeFilesPeak() throws IOException {
        byte[] wav = encode(WavBuilder.FLOAT, 32, 1, 16000, 5, 3.0);
        assertSameAsInMemory("loud-f32.wav", wav);
        try (WavFileSource source = WavFileSource.open(write("loud2.wav", wav))) {
            float max = 0;
            for (float v : source.readAll()) max = Math.max(max, Math.abs(v));
            assertEquals(1f, max, "the loudest sample ends at full scale");
        }
    }

    @Test
    void describesTheFile() throws IOException {
        try (WavFileSource source = WavFileSource.open(write("d.wav", encode(WavBuilder.PCM, 24, 2, 22050, 1, 0.5)))) {
            assertEquals(22050, source.nativeSampleRate());
            assertEquals(2, source.channels());
            assertEquals("pcm_s24le", source.encoding());
        }
    }

    @Test
    void badFilesFailWithOneLineNamingTheFile() throws IOException {
        Path empty = write("empty.wav", WavBuilder.wav(WavBuilder.PCM, 1, 16000, 16, new byte[0]));
        assertMessage(empty, "audio is empty");
        Path nan = write("nan.wav", WavBuilder.wav(WavBuilder.FLOAT, 1, 16000, 32, WavBuilder.f32Bytes(
                new float[] {0.1f, Float.NaN, 0.2f, 0, 0, 0, 0, 0, 0, 0})));
        assertMessage(nan, "NaN");
        Path shortFile = write("short.wav", WavBuilder.pcm16(16000, 1, new short[100]));
        assertMessage(shortFile, "audio too short");
        byte[] full = encode(WavBuilder.PCM, 16, 1, 16000, 1, 0.5);
        assertMessage(write("cut.wav", Arrays.copyOf(full, full.length - 1000)), "truncated WAV file");
        assertMessage(write("x.mp3", new byte[] {'I', 'D', '3', 4, 0, 0, 0, 0, 0, 0, 0, 0}), "looks like MP3");
        assertMessage(dir.resolve("missing.wav"), "no such file");
        assertMessage(write("fast.wav", WavBuilder.pcm16(800_000, 1, new short[1000])), "unsupported sample rate");
    }

    private static void assertMessage(Path file, String part) {
        QwenAsrException e = assertThrows(QwenAsrException.class, () -> WavFileSource.open(file).close());
        assertTrue(e.getMessage().contains(part), e.getMessage());
        assertTrue(e.getMessage().contains(file.toString()), "names the file: " + e.getMessage());
        assertEquals(-1, e.getMessage().indexOf('\n'), "one line");
    }

    /** The same lowest rate for files read in pieces (issue 20, item 7). */
    @Test
    void sampleRatesBelowTheLowestSupportedAreRejected() throws IOException {
        assertMessage(write("one-hz.wav", WavBuilder.pcm16(1, 1, new short[300])), "unsupported sample rate: 1 Hz");
        assertMessage(write("eight-hz.wav", WavBuilder.pcm16(8, 1, new short[300])), "lowest supported: 1000 Hz");
        try (WavFileSource s = WavFileSource.open(write("slow.wav", WavBuilder.pcm16(1000, 1, new short[300])))) {
            assertEquals(4800, s.length());
        }
    }
}
