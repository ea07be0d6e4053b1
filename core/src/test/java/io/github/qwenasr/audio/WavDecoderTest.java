package io.github.qwenasr.audio;

import io.github.qwenasr.QwenAsrException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static io.github.qwenasr.audio.WavBuilder.*;
import static org.junit.jupiter.api.Assertions.*;

class WavDecoderTest {

    @Test
    void pcm8IsUnsignedAroundOneTwentyEight() {
        byte[] data = {(byte) 128, (byte) 192, 0, (byte) 255, 64};
        DecodedAudio a = WavDecoder.decode(wav(PCM, 1, 8000, 8, data));
        assertArrayEquals(new float[] {0f, 0.5f, -1f, 127f / 128, -0.5f}, a.samples());
        assertEquals(8000, a.sampleRate());
        assertEquals(8, a.bitsPerSample());
        assertEquals("pcm_u8", a.format());
    }

    @Test
    void pcm16IsScaledBy32768() {
        DecodedAudio a = WavDecoder.decode(pcm16(16000, 1, (short) 0, (short) 16384, (short) -32768, (short) 32767, (short) -1));
        assertArrayEquals(new float[] {0f, 0.5f, -1f, 32767f / 32768, -1f / 32768}, a.samples());
        assertEquals("pcm_s16le", a.format());
        assertEquals(1, a.channels());
    }

    @Test
    void pcm24IsSignExtendedAndScaledBy2To23() {
        byte[] data = s24Bytes(0, 0x400000, -0x800000, 0x7FFFFF, -1, -0x200000);
        DecodedAudio a = WavDecoder.decode(wav(PCM, 1, 48000, 24, data));
        assertArrayEquals(new float[] {0f, 0.5f, -1f, (float) (8388607 / 8388608.0), (float) (-1 / 8388608.0), -0.25f},
                a.samples());
        assertEquals("pcm_s24le", a.format());
    }

    @Test
    void pcm32IsScaledBy2To31() {
        DecodedAudio a = WavDecoder.decode(wav(PCM, 1, 16000, 32, s32Bytes(0, 1 << 30, Integer.MIN_VALUE, -(1 << 29))));
        assertArrayEquals(new float[] {0f, 0.5f, -1f, -0.25f}, a.samples());
        assertEquals("pcm_s32le", a.format());
    }

    @Test
    void floatSamplesAreKeptAsStored() {
        DecodedAudio f32 = WavDecoder.decode(wav(FLOAT, 1, 16000, 32, f32Bytes(0.25f, -1.5f, 1e-3f)));
        assertArrayEquals(new float[] {0.25f, -1.5f, 1e-3f}, f32.samples());
        assertEquals("pcm_f32le", f32.format());
        DecodedAudio f64 = WavDecoder.decode(wav(FLOAT, 1, 22050, 64, f64Bytes(0.125, -0.1, 2.0)));
        assertArrayEquals(new float[] {0.125f, (float) -0.1, 2f}, f64.samples());
        assertEquals(64, f64.bitsPerSample());
        assertEquals("pcm_f64le", f64.format());
    }

    @Test
    void channelsAreAveraged() {
        // stereo frames (0.5, -0.25) and (1.0 - 1/32768, -1)
        DecodedAudio a = WavDecoder.decode(pcm16(44100, 2, (short) 16384, (short) -8192, (short) 32767, (short) -32768));
        assertArrayEquals(new float[] {0.125f, (float) ((32767 - 32768) / 2.0 / 32768)}, a.samples());
        assertEquals(2, a.channels());
        assertEquals(44100, a.sampleRate());
        // 3 float channels
        DecodedAudio b = WavDecoder.decode(wav(FLOAT, 3, 16000, 32, f32Bytes(0.3f, 0.6f, 0.9f, -3f, 0f, 0f)));
        assertEquals(0.6f, b.samples()[0], 1e-7);
        assertEquals(-1f, b.samples()[1], 0f);
        // 8-bit stereo
        DecodedAudio c = WavDecoder.decode(wav(PCM, 2, 8000, 8, new byte[] {(byte) 192, 64}));
        assertArrayEquals(new float[] {0f}, c.samples());
    }

    @Test
    void extensibleCarriesPcmOrFloatInItsGuid() {
        byte[] pcm24 = riff(fmtExtensible(1, 2, 48000, 24, 24), chunk("data", s24Bytes(0x400000, 0x200000)));
        DecodedAudio a = WavDecoder.decode(pcm24);
        assertArrayEquals(new float[] {0.375f}, a.samples());
        assertEquals("pcm_s24le", a.format());
        byte[] pcm16 = riff(fmtExtensible(1, 1, 16000, 16, 16), chunk("data", s16Bytes((short) -16384)));
        assertArrayEquals(new float[] {-0.5f}, WavDecoder.decode(pcm16).samples());
        byte[] f32 = riff(fmtExtensible(3, 1, 96000, 32, 32), chunk("data", f32Bytes(0.75f)));
        DecodedAudio b = WavDecoder.decode(f32);
        assertArrayEquals(new float[] {0.75f}, b.samples());
        assertEquals(96000, b.sampleRate());
        assertEquals("pcm_f32le", b.format());
    }

    @Test
    void extensibleWithForeignGuidIsRejected() {
        byte[] file = riff(fmtExtensible(1, 1, 16000, 16, 16), chunk("data", s16Bytes((short) 1)));
        file[12 + 8 + 26 + 13] ^= 0x55; // corrupt the GUID tail
        assertError("sub-format", file);
    }

    @Test
    void unknownAndOddSizedChunksAreSkipped() {
        byte[] file = riff(chunk("JUNK", new byte[] {1, 2, 3}), fmt(PCM, 1, 16000, 16),
                chunk("LIST", "INFOISFT\u0005\0\0\0abcd\0".getBytes()), chunk("data", s16Bytes((short) 8192, (short) -8192)),
                chunk("id3 ", new byte[7]));
        assertArrayEquals(new float[] {0.25f, -0.25f}, WavDecoder.decode(file).samples());
    }

    @Test
    void fmtAfterDataIsAccepted() {
        byte[] file = riff(chunk("data", s16Bytes((short) 16384)), fmt(PCM, 1, 16000, 16));
        assertArrayEquals(new float[] {0.5f}, WavDecoder.decode(file).samples());
    }

    @Test
    void oddLengthDataAndPartialFramesAreHandled() {
        // 8-bit mono, 3 bytes: the pad byte is not a sample
        byte[] eight = riff(fmt(PCM, 1, 8000, 8), chunk("data", new byte[] {(byte) 128, (byte) 192, 64}));
        assertArrayEquals(new float[] {0f, 0.5f, -0.5f}, WavDecoder.decode(eight).samples());
        // 16-bit stereo with 6 bytes: one whole frame, the partial one is ignored
        byte[] stereo = wav(PCM, 2, 16000, 16, s16Bytes((short) 16384, (short) 16384, (short) 100));
        assertArrayEquals(new float[] {0.5f}, WavDecoder.decode(stereo).samples());
    }

    @Test
    void truncatedDataChunkIsAClearError() {
        byte[] file = riff(fmt(PCM, 1, 16000, 16), chunkDeclaring("data", 1000, s16Bytes(new short[5]), false));
        QwenAsrException e = assertThrows(QwenAsrException.class, () -> WavDecoder.decode(file));
        assertEquals("truncated WAV file: data chunk declares 1000 bytes, only 10 present", e.getMessage());
    }

    @Test
    void truncatedHeaderChunkIsAClearError() {
        byte[] full = riff(chunkDeclaring("LIST", 500, new byte[20], false));
        assertError("truncated WAV file: 'LIST' chunk declares 500 bytes, only 20 present", full);
    }

    @Test
    void streamingPlaceholderSizesUseTheBytesPresent() {
        byte[] samples = s16Bytes((short) 16384, (short) -16384, (short) 8192);
        for (long placeholder : new long[] {0xFFFFFFFFL, 0x7FFFFFFFL, 0x80000000L, 0}) {
            byte[] file = riff(fmt(PCM, 1, 16000, 16), chunkDeclaring("data", placeholder, samples, false));
            assertArrayEquals(new float[] {0.5f, -0.5f, 0.25f}, WavDecoder.decode(file).samples(), "size " + placeholder);
        }
    }

    @Test
    void emptyDataChunkFollowedByAChunkStaysEmpty() {
        byte[] file = riff(fmt(PCM, 1, 16000, 16), chunk("data", new byte[0]), chunk("LIST", new byte[4]));
        assertEquals(0, WavDecoder.decode(file).samples().length);
    }

    @Test
    void truncatedTrailingMetadataAfterTheAudioIsIgnored() {
        byte[] file = riff(fmt(PCM, 1, 16000, 16), chunk("data", s16Bytes((short) 16384)),
                chunkDeclaring("LIST", 4000, new byte[10], false));
        assertArrayEquals(new float[] {0.5f}, WavDecoder.decode(file).samples());
    }

    @Test
    void rf64UsesTheDs64DataSize() {
        byte[] samples = s16Bytes((short) 16384, (short) -8192);
        ByteBuffer ds64 = ByteBuffer.allocate(28).order(ByteOrder.LITTLE_ENDIAN);
        ds64.putLong(0).putLong(samples.length).putLong(2).putInt(0);
        byte[] file = container("RF64", chunk("ds64", ds64.array()), fmt(PCM, 1, 16000, 16),
                chunkDeclaring("data", 0xFFFFFFFFL, samples, false), chunk("LIST", new byte[4]));
        assertArrayEquals(new float[] {0.5f, -0.25f}, WavDecoder.decode(file).samples());
    }

    @Test
    void wrongMagicIsRejected() {
        assertError("not a WAV file (no RIFF header)", "OggS\0\0\0\0\0\0\0\0\0\0\0\0".getBytes());
        assertError("not a WAV file: only 3 bytes", new byte[] {'R', 'I', 'F'});
        byte[] avi = pcm16(16000, 1, (short) 1);
        avi[8] = 'A';
        avi[9] = 'V';
        avi[10] = 'I';
        avi[11] = ' ';
        assertError("RIFF type is 'AVI '", avi);
        byte[] rifx = pcm16(16000, 1, (short) 1);
        rifx[3] = 'X';
        assertError("big-endian WAV (RIFX) is not supported", rifx);
    }

    @Test
    void unsupportedEncodingsAreRejected() {
        assertError("A-law (format tag 0x0006)", wav(6, 1, 8000, 8, new byte[4]));
        assertError("mu-law (format tag 0x0007)", wav(7, 1, 8000, 8, new byte[4]));
        assertError("Microsoft ADPCM", wav(2, 1, 8000, 4, new byte[4]));
        assertError("MP3", wav(0x55, 1, 8000, 0, new byte[4]));
        assertError("unsupported WAV bit depth: 12-bit integer PCM", wav(PCM, 1, 16000, 12, new byte[4]));
        assertError("unsupported WAV bit depth: 16-bit float", wav(FLOAT, 1, 16000, 16, new byte[4]));
        assertError("unsupported WAV bit depth: 20-bit integer PCM",
                riff(fmtExtensible(1, 1, 16000, 20, 20), chunk("data", new byte[6])));
    }

    @Test
    void impossibleHeadersAreRejected() {
        assertError("invalid WAV file: 0 channels", wav(PCM, 0, 16000, 16, new byte[4]));
        assertError("invalid WAV file: sample rate 0", wav(PCM, 1, 0, 16, new byte[4]));
        assertError("invalid WAV file: no 'fmt ' chunk", riff(chunk("data", new byte[4])));
        assertError("invalid WAV file: no 'data' chunk", riff(fmt(PCM, 1, 16000, 16)));
        assertError("'fmt ' chunk is only 14 bytes", riff(chunk("fmt ", new byte[14]), chunk("data", new byte[2])));
        byte[] shortExt = riff(chunk("fmt ", Arrays.copyOfRange(fmtExtensible(1, 1, 16000, 16, 16), 8, 8 + 18)),
                chunk("data", new byte[2]));
        assertError("WAVE_FORMAT_EXTENSIBLE 'fmt ' chunk is only 18 bytes", shortExt);
    }

    @Test
    void decodesFilesAndNamesThemInErrors(@TempDir Path dir) throws Exception {
        Path good = dir.resolve("good.wav");
        Files.write(good, pcm16(22050, 1, (short) 16384, (short) -16384));
        DecodedAudio a = WavDecoder.decode(good);
        assertArrayEquals(new float[] {0.5f, -0.5f}, a.samples());
        assertEquals(22050, a.sampleRate());

        Path bad = dir.resolve("bad.wav");
        Files.write(bad, wav(6, 1, 8000, 8, new byte[4]));
        QwenAsrException e = assertThrows(QwenAsrException.class, () -> WavDecoder.decode(bad));
        assertTrue(e.getMessage().startsWith(bad + ": unsupported WAV encoding: A-law"), e.getMessage());

        Path missing = dir.resolve("missing.wav");
        e = assertThrows(QwenAsrException.class, () -> WavDecoder.decode(missing));
        assertEquals("cannot read audio file " + missing + ": no such file", e.getMessage());

        e = assertThrows(QwenAsrException.class, () -> WavDecoder.decode(dir));
        assertEquals("cannot read audio file " + dir + ": is a directory", e.getMessage());

        Path empty = dir.resolve("empty.wav");
        Files.write(empty, new byte[0]);
        e = assertThrows(QwenAsrException.class, () -> WavDecoder.decode(empty));
        assertEquals(empty + ": not a WAV file: only 0 bytes", e.getMessage());
    }

    @Test
    void sharedClipMatchesTheJdkWavReader() throws Exception {
        Path jfk = SharedAudio.clip("jfk.wav");
        DecodedAudio ours = WavDecoder.decode(jfk);
        assertEquals(16000, ours.sampleRate());
        assertEquals(1, ours.channels());
        assertEquals(176000, ours.samples().length);
        try (AudioInputStream in = AudioSystem.getAudioInputStream(new ByteArrayInputStream(Files.readAllBytes(jfk)))) {
            assertEquals(16, in.getFormat().getSampleSizeInBits());
            assertFalse(in.getFormat().isBigEndian());
            byte[] pcm = in.readAllBytes();
            ByteBuffer b = ByteBuffer.wrap(pcm).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(ours.samples().length, pcm.length / 2);
            for (int i = 0; i < ours.samples().length; i++) {
                assertEquals(b.getShort(2 * i) / 32768f, ours.samples()[i], 0f, "sample " + i);
            }
        }
    }

    private static void assertError(String expectedPart, byte[] file) {
        QwenAsrException e = assertThrows(QwenAsrException.class, () -> WavDecoder.decode(file));
        assertTrue(e.getMessage().contains(expectedPart), "message was: " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    /** A header claiming 1 or 8 Hz would turn a few kilobytes into hours of audio (issue 20, item 7). */
    @Test
    void sampleRatesBelowTheLowestSupportedAreRejected() {
        for (int rate : new int[] {1, 8, 999}) {
            assertError("unsupported sample rate: " + rate + " Hz (lowest supported: 1000 Hz)",
                    wav(PCM, 1, rate, 16, new byte[32_000]));
        }
        assertEquals(1000, WavDecoder.decode(wav(PCM, 1, 1000, 16, new byte[400])).sampleRate());
    }
}
