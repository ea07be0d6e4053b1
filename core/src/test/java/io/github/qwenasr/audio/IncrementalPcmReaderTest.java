package io.github.qwenasr.audio;

import static io.github.qwenasr.audio.WavBuilder.FLOAT;
import static io.github.qwenasr.audio.WavBuilder.PCM;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.QwenAsrException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The incremental stdin reader (docs/modes.md 2.4 with its defects fixed): bytes arriving in awkward pieces
 * (single bytes, three bytes, splits inside the header and inside samples) decode to exactly the
 * expected samples; placeholder data sizes run to the end of the stream; a real size stops there;
 * malformed input fails with one line.
 */
class IncrementalPcmReaderTest {

    /** Hands out {@code data} in pieces whose sizes cycle through {@code pieces}; counts the reads. */
    static final class ChoppedStream extends InputStream {
        private final byte[] data;
        private final int[] pieces;
        private int pos;
        private int reads;

        ChoppedStream(byte[] data, int... pieces) {
            this.data = data;
            this.pieces = pieces;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) return 0;
            if (pos >= data.length) return -1;
            int n = Math.min(Math.min(len, pieces[reads++ % pieces.length]), data.length - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }

        int position() {
            return pos;
        }
    }

    /** Everything the reader hands out, concatenated; also checks that each block is non-empty. */
    private static float[] readAll(IncrementalPcmReader r) {
        float[] all = new float[0];
        float[] block;
        while ((block = r.read()) != null) {
            assertTrue(block.length > 0, "blocks are never empty");
            float[] grown = new float[all.length + block.length];
            System.arraycopy(all, 0, grown, 0, all.length);
            System.arraycopy(block, 0, grown, all.length, block.length);
            all = grown;
        }
        assertNull(r.read(), "the end stays the end");
        return all;
    }

    private static float[] readAll(byte[] bytes, int... pieces) {
        return readAll(new IncrementalPcmReader(new ChoppedStream(bytes, pieces), 64));
    }

    private static final short[] S16 = {0, 1, -1, 32767, -32768, 12345, -23456, 7};

    private static float[] s16Expected(short... s) {
        float[] f = new float[s.length];
        for (int i = 0; i < s.length; i++) f[i] = s[i] / 32768f;
        return f;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5, 7, 1000})
    void rawS16InAnyPieceSize(int piece) {
        IncrementalPcmReader r = new IncrementalPcmReader(new ChoppedStream(WavBuilder.s16Bytes(S16), piece), 64);
        r.readHeader();
        assertFalse(r.isWav());
        assertEquals(16000, r.sampleRate());
        assertArrayEquals(s16Expected(S16), readAll(r));
        assertEquals(S16.length, r.framesRead());
    }

    @Test
    void rawTrailingOddByteIsDropped() {
        byte[] bytes = WavBuilder.s16Bytes((short) 100, (short) -200);
        byte[] odd = Arrays.copyOf(bytes, 5);
        odd[4] = 0x55;
        assertArrayEquals(s16Expected((short) 100, (short) -200), readAll(odd, 3));
    }

    @Test
    void rawWithFewerThanFourBytesIsNoData() {
        for (int n = 0; n < 4; n++) {
            byte[] few = new byte[n];
            QwenAsrException e = assertThrows(QwenAsrException.class,
                    () -> new IncrementalPcmReader(new ByteArrayInputStream(few)).read());
            assertEquals("no audio data on stdin", e.getMessage());
        }
    }

    @Test
    void rawFourBytesAreTwoSamples() {
        assertArrayEquals(s16Expected((short) 0x0201, (short) 0x0403), readAll(new byte[] {1, 2, 3, 4}, 1));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 4, 13, 44, 45})
    void wav16MonoSplitAnywhereInTheHeaderAndSamples(int piece) {
        byte[] wav = WavBuilder.pcm16(16000, 1, S16);
        IncrementalPcmReader r = new IncrementalPcmReader(new ChoppedStream(wav, piece), 64);
        assertArrayEquals(s16Expected(S16), readAll(r));
        assertTrue(r.isWav());
        assertEquals("pcm_s16le", r.format());
    }

    @Test
    void wav24StereoAtAnyRateIsAveragedAcrossSplitSamples() {
        // Frames of 6 bytes delivered 4 bytes at a time: every other read ends inside a sample.
        int[] interleaved = {8388607, -8388608, 1, 3, -4194304, 0, 100000, 100002};
        byte[] wav = WavBuilder.wav(PCM, 2, 44100, 24, WavBuilder.s24Bytes(interleaved));
        IncrementalPcmReader r = new IncrementalPcmReader(new ChoppedStream(wav, 4), 64);
        float[] got = readAll(r);
        assertEquals(44100, r.sampleRate());
        assertEquals(2, r.channels());
        float[] want = new float[interleaved.length / 2];
        for (int i = 0; i < want.length; i++) {
            want[i] = (float) ((interleaved[2 * i] + (long) interleaved[2 * i + 1]) / (2 * 8388608.0));
        }
        assertArrayEquals(want, got);
        assertEquals(-1f / 16777216f, got[0]);
        assertEquals(4f / 16777216f, got[1]);
    }

    @Test
    void wav8BitUnsigned() {
        byte[] data = {(byte) 0, (byte) 128, (byte) 255, (byte) 64};
        assertArrayEquals(new float[] {-1f, 0f, 127 / 128f, -0.5f},
                readAll(WavBuilder.wav(PCM, 1, 8000, 8, data), 1));
    }

    @Test
    void wav32BitIntegerThreeChannels() {
        int[] s = {Integer.MAX_VALUE, Integer.MIN_VALUE, 0, 3 << 20, 3 << 20, 3 << 20};
        float[] got = readAll(WavBuilder.wav(PCM, 3, 16000, 32, WavBuilder.s32Bytes(s)), 5);
        float[] want = {(float) (-1.0 / (3 * 2147483648.0)), (float) ((9 << 20) / (3 * 2147483648.0))};
        assertArrayEquals(want, got);
    }

    @Test
    void floatSamplesAreKeptAndClippedToFullScale() {
        float[] f = {0.25f, -0.75f, 1.5f, -3f, 0.1f};
        assertArrayEquals(new float[] {0.25f, -0.75f, 1f, -1f, 0.1f},
                readAll(WavBuilder.wav(FLOAT, 1, 16000, 32, WavBuilder.f32Bytes(f)), 3));
        double[] d = {0.5, -0.125, 0.3};
        assertArrayEquals(new float[] {0.5f, -0.125f, 0.3f},
                readAll(WavBuilder.wav(FLOAT, 1, 22050, 64, WavBuilder.f64Bytes(d)), 7));
    }

    @Test
    void nonFiniteFloatFails() {
        byte[] wav = WavBuilder.wav(FLOAT, 1, 16000, 32, WavBuilder.f32Bytes(0f, Float.NaN));
        QwenAsrException e = assertThrows(QwenAsrException.class, () -> readAll(wav, 100));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
    }

    @Test
    void extensibleFloatStereo() {
        byte[] data = WavBuilder.f32Bytes(0.5f, 0.25f, -1f, 1f);
        byte[] wav = WavBuilder.riff(WavBuilder.fmtExtensible(FLOAT, 2, 48000, 32, 32), WavBuilder.chunk("data", data));
        IncrementalPcmReader r = new IncrementalPcmReader(new ChoppedStream(wav, 2), 64);
        assertArrayEquals(new float[] {0.375f, 0f}, readAll(r));
        assertEquals(48000, r.sampleRate());
        assertEquals("pcm_f32le", r.format());
    }

    @Test
    void chunksBeforeDataAreSkippedWithTheirPadByte() {
        byte[] wav = WavBuilder.riff(WavBuilder.chunk("LIST", "odd".getBytes(StandardCharsets.US_ASCII)),
                WavBuilder.fmt(PCM, 1, 16000, 16), WavBuilder.chunk("fact", new byte[4]),
                WavBuilder.chunk("data", WavBuilder.s16Bytes(S16)));
        assertArrayEquals(s16Expected(S16), readAll(wav, 1));
    }

    @ParameterizedTest
    @ValueSource(longs = {0L, 0xFFFFFFFFL, 0x80000000L, 0x7FFFFFFFL})
    void placeholderDataSizeMeansUntilTheEnd(long declared) {
        byte[] wav = WavBuilder.riff(WavBuilder.fmt(PCM, 1, 16000, 16),
                WavBuilder.chunkDeclaring("data", declared, WavBuilder.s16Bytes(S16), false));
        IncrementalPcmReader r = new IncrementalPcmReader(new ChoppedStream(wav, 3), 64);
        r.readHeader();
        assertTrue(r.describe().contains("until end of stream"), r.describe());
        assertArrayEquals(s16Expected(S16), readAll(r));
    }

    @Test
    void realDataSizeStopsThereAndLeavesTheRestUnread() {
        byte[] audio = WavBuilder.s16Bytes(S16);
        byte[] wav = WavBuilder.riff(WavBuilder.fmt(PCM, 1, 16000, 16),
                WavBuilder.chunkDeclaring("data", 6, audio, false));
        ChoppedStream in = new ChoppedStream(wav, 5);
        float[] got = readAll(new IncrementalPcmReader(in, 64));
        assertArrayEquals(s16Expected(S16[0], S16[1], S16[2]), got);
        assertEquals(wav.length - audio.length + 6, in.position(), "nothing past the declared data is read");
    }

    @Test
    void declaredSizeWithAPartialFrameDropsIt() {
        byte[] wav = WavBuilder.riff(WavBuilder.fmt(PCM, 1, 16000, 16),
                WavBuilder.chunkDeclaring("data", 5, WavBuilder.s16Bytes(S16), false));
        assertArrayEquals(s16Expected(S16[0], S16[1]), readAll(wav, 64));
    }

    @Test
    void matchesTheWholeFileDecoderForRandomFormatsAndPieces() {
        Random rnd = new Random(42);
        int[][] formats = {{PCM, 8}, {PCM, 16}, {PCM, 24}, {PCM, 32}, {FLOAT, 32}, {FLOAT, 64}};
        for (int trial = 0; trial < 60; trial++) {
            int[] f = formats[trial % formats.length];
            int channels = 1 + rnd.nextInt(4);
            int frames = rnd.nextInt(500);
            byte[] data = new byte[frames * channels * f[1] / 8];
            if (f[0] == FLOAT) {
                ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < frames * channels; i++) {
                    if (f[1] == 32) b.putFloat((float) (rnd.nextDouble() * 2 - 1));
                    else b.putDouble(rnd.nextDouble() * 2 - 1);
                }
            } else {
                rnd.nextBytes(data);
            }
            byte[] wav = WavBuilder.wav(f[0], channels, 8000 + rnd.nextInt(40000), f[1], data);
            int[] pieces = {1 + rnd.nextInt(7), 1 + rnd.nextInt(300), 1 + rnd.nextInt(2)};
            float[] want = WavDecoder.decode(wav).samples();
            float[] got = readAll(new IncrementalPcmReader(new ChoppedStream(wav, pieces), 64 + rnd.nextInt(200)));
            assertArrayEquals(want, got, "trial " + trial);
        }
    }

    @Test
    void handsOverWhatHasArrivedWithoutWaitingForMore() throws IOException {
        PipedOutputStream writer = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(writer, 1 << 16);
        IncrementalPcmReader r = new IncrementalPcmReader(in);
        writer.write(WavBuilder.riff(WavBuilder.fmt(PCM, 1, 16000, 16),
                WavBuilder.chunkDeclaring("data", 0xFFFFFFFFL, new byte[0], false)));
        writer.write(WavBuilder.s16Bytes((short) 1, (short) 2, (short) 3));
        writer.write(7); // half of the next sample
        writer.flush();
        // The stream is still open: a reader waiting for a fixed block size would block here forever.
        assertArrayEquals(s16Expected((short) 1, (short) 2, (short) 3), r.read());
        writer.write(1);
        writer.write(WavBuilder.s16Bytes((short) -5));
        writer.close();
        assertArrayEquals(s16Expected((short) 0x0107, (short) -5), r.read());
        assertNull(r.read());
    }

    @Test
    void headerErrorsAreOneLine() {
        assertMessage(new byte[] {'R', 'I', 'F', 'F', 1, 0}, "truncated WAV header");
        assertMessage(WavBuilder.riff(WavBuilder.fmt(PCM, 1, 16000, 16)), "truncated WAV header",
                "ended before the 'data' chunk");
        assertMessage(Arrays.copyOf(WavBuilder.riff(WavBuilder.fmt(PCM, 1, 16000, 16)), 24),
                "ended inside the 'fmt ' chunk");
        assertMessage(Arrays.copyOf(WavBuilder.riff(WavBuilder.chunk("LIST", new byte[100])), 60),
                "ended inside the 'LIST' chunk");
        assertMessage(WavBuilder.riff(WavBuilder.chunk("data", new byte[4])), "'data' chunk before 'fmt '");
        assertMessage(WavBuilder.wav(PCM, 1, 16000, 12, new byte[6]), "unsupported WAV format", "12-bit");
        assertMessage(WavBuilder.wav(6, 1, 8000, 8, new byte[6]), "unsupported WAV format", "0x0006");
        assertMessage(WavBuilder.wav(FLOAT, 1, 16000, 16, new byte[6]), "16-bit float");
        assertMessage(WavBuilder.wav(PCM, 0, 16000, 16, new byte[6]), "0 channels");
        assertMessage(WavBuilder.wav(PCM, 1, 0, 16, new byte[6]), "sample rate 0");
        assertMessage(WavBuilder.wav(PCM, 1, 10_000_000, 16, new byte[6]), "sample rate");
        assertMessage(WavBuilder.container("RIFX", WavBuilder.fmt(PCM, 1, 16000, 16)), "RIFX");
        ByteArrayOutputStream notWave = new ByteArrayOutputStream();
        notWave.writeBytes("RIFF\u0004\0\0\0AVI LIST".getBytes(StandardCharsets.ISO_8859_1));
        assertMessage(notWave.toByteArray(), "'WAVE'");
    }

    private static void assertMessage(byte[] bytes, String... fragments) {
        QwenAsrException e = assertThrows(QwenAsrException.class, () -> readAll(bytes, 3));
        for (String f : fragments) assertTrue(e.getMessage().contains(f), () -> f + " missing: " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void readErrorsBecomeOneLineFailures() {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("Input/output error");
            }
        };
        QwenAsrException e = assertThrows(QwenAsrException.class, () -> new IncrementalPcmReader(broken).read());
        assertEquals("cannot read audio from stdin: Input/output error", e.getMessage());
    }

    /** The same lowest rate for WAV on stdin (issue 20, item 7). */
    @Test
    void sampleRatesBelowTheLowestSupportedAreRejected() {
        assertMessage(WavBuilder.wav(PCM, 1, 1, 16, new byte[600]), "unsupported sample rate on stdin: 1 Hz",
                "lowest supported: 1000 Hz");
        assertMessage(WavBuilder.wav(PCM, 1, 8, 16, new byte[600]), "8 Hz");
    }
}
