package io.github.qwenasr.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Durations of WAV files built here with known frame counts, read from their headers alone. */
class WavHeaderTest {
    @TempDir
    Path tmp;

    private double seconds(byte[] wav) throws IOException {
        Path f = Files.write(tmp.resolve("f" + System.nanoTime() + ".wav"), wav);
        return WavHeader.seconds(f).orElse(Double.NaN);
    }

    private static byte[] wav(int tag, int channels, int rate, int bits, int frames, byte[] extraChunk) {
        int data = frames * channels * bits / 8;
        int extra = extraChunk.length;
        ByteBuffer b = ByteBuffer.allocate(44 + extra + data).order(ByteOrder.LITTLE_ENDIAN);
        b.put(ascii("RIFF")).putInt(36 + extra + data).put(ascii("WAVE"));
        b.put(ascii("fmt ")).putInt(16).putShort((short) tag).putShort((short) channels).putInt(rate)
                .putInt(rate * channels * bits / 8).putShort((short) (channels * bits / 8)).putShort((short) bits);
        b.put(extraChunk);
        b.put(ascii("data")).putInt(data);
        return b.array();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void pcmFloatAndMultichannelFiles() throws IOException {
        assertEquals(1.5, seconds(wav(1, 1, 16000, 16, 24000, new byte[0])), 1e-12);
        assertEquals(2.0, seconds(wav(1, 2, 44100, 16, 88200, new byte[0])), 1e-12);
        assertEquals(0.25, seconds(wav(3, 1, 48000, 32, 12000, new byte[0])), 1e-12);
        assertEquals(1.0, seconds(wav(1, 6, 8000, 24, 8000, new byte[0])), 1e-12);
    }

    @Test
    void chunksBeforeTheDataAreSkippedWithTheirPadding() throws IOException {
        // A LIST chunk of odd size 5 is followed by one pad byte.
        ByteBuffer list = ByteBuffer.allocate(14).order(ByteOrder.LITTLE_ENDIAN);
        list.put(ascii("LIST")).putInt(5).put(ascii("INFOx")).put((byte) 0);
        assertEquals(0.5, seconds(wav(1, 1, 16000, 16, 8000, list.array())), 1e-12);
    }

    @Test
    void aDataSizeBeyondTheFileCountsWhatIsThere() throws IOException {
        byte[] w = wav(1, 1, 16000, 16, 16000, new byte[0]);
        ByteBuffer.wrap(w).order(ByteOrder.LITTLE_ENDIAN).putInt(40, 0x7FFFFFF0);
        assertEquals(1.0, seconds(w), 1e-12);
        byte[] cut = Arrays.copyOf(wav(1, 1, 16000, 16, 16000, new byte[0]), 44 + 8000);
        assertEquals(0.25, seconds(cut), 1e-12);
    }

    @Test
    void rf64TakesTheDataSizeFromDs64() throws IOException {
        int frames = 4000;
        int data = frames * 2;
        ByteBuffer b = ByteBuffer.allocate(12 + 36 + 24 + 8 + data).order(ByteOrder.LITTLE_ENDIAN);
        b.put(ascii("RF64")).putInt(-1).put(ascii("WAVE"));
        b.put(ascii("ds64")).putInt(28).putLong(0).putLong(data).putLong(frames).putInt(0);
        b.put(ascii("fmt ")).putInt(16).putShort((short) 1).putShort((short) 1).putInt(16000).putInt(32000)
                .putShort((short) 2).putShort((short) 16);
        b.put(ascii("data")).putInt(-1);
        assertEquals(0.25, seconds(b.array()), 1e-12);
    }

    @Test
    void notAWavHeaderGivesNothing() throws IOException {
        assertTrue(Double.isNaN(seconds(new byte[0])));
        assertTrue(Double.isNaN(seconds(ascii("RIFF\0\0\0\0WAVEdata"))));
        assertTrue(Double.isNaN(seconds(ascii("ID3 and then some mp3 frames"))));
        assertTrue(WavHeader.seconds(tmp.resolve("missing.wav")).isEmpty());
    }
}
