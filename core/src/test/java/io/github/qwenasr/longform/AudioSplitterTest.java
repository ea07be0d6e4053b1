package io.github.qwenasr.longform;

import static org.junit.jupiter.api.Assertions.*;

import io.github.qwenasr.audio.AudioSource;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AudioSplitterTest {
    private static List<Segmenter.Range> ranges(float[] x, double maxSeconds) {
        return AudioSplitter.ranges(AudioSource.of(x), maxSeconds);
    }

    @Test
    void shortAudioIsOneUnpaddedPiece() {
        float[] x = new float[1000];
        List<Segmenter.Range> p = ranges(x, 10);
        assertEquals(List.of(new Segmenter.Range(0, 1000)), p);
        assertArrayEquals(x, AudioSplitter.pieceSamples(AudioSource.of(x), p, 0));
    }

    @Test
    void cutsAtTheQuietestWindowAndConcatenatesBack() {
        Random r = new Random(5);
        int n = 16000 * 25;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (r.nextGaussian() * 0.3);
        // A silent stretch 2 s after the 10 s target: the cut must land inside it.
        int quietStart = 16000 * 12;
        for (int i = quietStart; i < quietStart + 3200; i++) x[i] = 0f;
        List<Segmenter.Range> pieces = ranges(x, 10);
        assertTrue(pieces.size() >= 3);
        int firstCut = pieces.get(1).start();
        assertTrue(firstCut >= quietStart && firstCut < quietStart + 3200, "cut at " + firstCut);
        int pos = 0;
        for (int k = 0; k < pieces.size(); k++) {
            assertEquals(pos, pieces.get(k).start());
            float[] samples = AudioSplitter.pieceSamples(AudioSource.of(x), pieces, k);
            for (int i = 0; i < pieces.get(k).length(); i++) assertEquals(x[pos + i], samples[i]);
            pos = pieces.get(k).end();
        }
        assertEquals(n, pos);
    }

    @Test
    void shortTailPieceIsPaddedToHalfASecond() {
        float[] x = new float[16000 * 10 + 100];
        java.util.Arrays.fill(x, 0.1f);
        // Uniform signal: every window ties, so the first window in the region wins: cut = target - 5 s.
        List<Segmenter.Range> p = ranges(x, 10);
        assertEquals(2, p.size());
        assertEquals(16000 * 5, p.get(1).start());
        // Loud everywhere except the last 100 ms: the cut lands there and leaves a 1600-sample tail.
        int n = 16000 * 10 + 2000;
        float[] y = new float[n];
        java.util.Arrays.fill(y, 0, n - 1600, 0.5f);
        List<Segmenter.Range> q = ranges(y, 10.0);
        assertEquals(2, q.size());
        assertEquals(n - 1600, q.get(1).start());
        assertEquals(8000, AudioSplitter.pieceSamples(AudioSource.of(y), q, 1).length,
                "pieces under 0.5 s are zero-padded to 0.5 s");
    }
}
