package io.github.qwenasr.audio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class StreamingResamplerTest {

    static float[] concat(float[]... parts) {
        int n = 0;
        for (float[] p : parts) n += p.length;
        float[] out = new float[n];
        int o = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }

    private static float[] noise(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (0.3 * Math.sin(i * 0.01) + 0.2 * r.nextGaussian());
        return x;
    }

    /** Pushes x in random block sizes (including empty ones) and returns everything produced. */
    private static float[] streamInRandomBlocks(StreamingResampler s, float[] x, int maxBlock, long seed) {
        Random r = new Random(seed);
        List<float[]> parts = new ArrayList<>();
        int pos = 0;
        while (pos < x.length) {
            int len = Math.min(x.length - pos, r.nextInt(maxBlock + 1));
            parts.add(s.push(x, pos, len));
            pos += len;
        }
        parts.add(s.finish());
        return concat(parts.toArray(new float[0][]));
    }

    @ParameterizedTest
    @ValueSource(ints = {44100, 48000, 8000, 11025, 22050, 32000, 96000, 44101, 16000})
    void equalsOneShotForAnyBlocking(int rate) {
        float[] x = noise(rate + 1234, rate);
        float[] expected = Resampler.to16k(x, rate);
        for (int maxBlock : new int[] {1, 37, 1000, 20000}) {
            StreamingResampler s = StreamingResampler.to16k(rate);
            float[] got = streamInRandomBlocks(s, x, maxBlock, maxBlock);
            assertEquals(expected.length, got.length, "length, blocks up to " + maxBlock);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], got[i], 1e-6f, "sample " + i + ", blocks up to " + maxBlock);
            }
            assertEquals(x.length, s.inputCount());
            assertEquals(expected.length, s.outputCount());
        }
    }

    @Test
    void outputFollowsInputWithASmallDelay() {
        StreamingResampler s = new StreamingResampler(48000, 16000);
        float[] first = s.push(new float[4800]); // 100 ms
        // all but the last ~64 output samples (the filter half-width, 4 ms) are released
        assertTrue(first.length >= 1600 - 72 && first.length <= 1600 - 64, "released " + first.length);
        float[] rest = s.finish();
        assertEquals(1600, first.length + rest.length);
    }

    @Test
    void shortInputsAndEmptyInput() {
        StreamingResampler empty = new StreamingResampler(44100, 16000);
        assertEquals(0, empty.finish().length);
        StreamingResampler tiny = new StreamingResampler(44100, 16000);
        float[] x = {0.5f, -0.5f, 0.25f};
        float[] got = concat(tiny.push(x), tiny.finish());
        assertArrayEquals(Resampler.to16k(x, 44100), got);
        assertEquals(1, got.length);
    }

    @Test
    void finishIsFinal() {
        StreamingResampler s = new StreamingResampler(8000, 16000);
        s.push(new float[100]);
        assertEquals(200, s.outputCount() + s.finish().length);
        assertEquals(0, s.finish().length);
        assertThrows(IllegalStateException.class, () -> s.push(new float[1]));
    }

    @Test
    void passThroughAtEqualRates() {
        StreamingResampler s = new StreamingResampler(16000, 16000);
        assertArrayEquals(new float[] {1f, 2f}, s.push(new float[] {0f, 1f, 2f, 3f}, 1, 2));
        assertEquals(0, s.finish().length);
    }
}
