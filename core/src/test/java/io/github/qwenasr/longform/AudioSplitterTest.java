package io.github.qwenasr.longform;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AudioSplitterTest {
    @Test
    void shortAudioIsOneUnpaddedPiece() {
        float[] x = new float[1000];
        List<AudioSplitter.Piece> p = AudioSplitter.split(x, 10);
        assertEquals(1, p.size());
        assertSame(x, p.get(0).samples());
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
        List<AudioSplitter.Piece> pieces = AudioSplitter.split(x, 10);
        assertTrue(pieces.size() >= 3);
        int firstCut = pieces.get(1).offsetSamples();
        assertTrue(firstCut >= quietStart && firstCut < quietStart + 3200, "cut at " + firstCut);
        int pos = 0;
        for (AudioSplitter.Piece p : pieces) {
            assertEquals(pos, p.offsetSamples());
            for (int i = 0; i < Math.min(p.samples().length, n - pos); i++) assertEquals(x[pos + i], p.samples()[i]);
            pos += p.samples().length;
        }
        assertEquals(n, pos);
    }

    @Test
    void shortTailPieceIsPaddedToHalfASecond() {
        float[] x = new float[16000 * 10 + 100];
        java.util.Arrays.fill(x, 0.1f);
        // Uniform signal: every window ties, so the first window in the region wins: cut = target - 5 s.
        List<AudioSplitter.Piece> p = AudioSplitter.split(x, 10);
        assertEquals(2, p.size());
        assertEquals(16000 * 5, p.get(1).offsetSamples());
        // Loud everywhere except the last 100 ms: the cut lands there and leaves a 1600-sample tail.
        int n = 16000 * 10 + 2000;
        float[] y = new float[n];
        java.util.Arrays.fill(y, 0, n - 1600, 0.5f);
        List<AudioSplitter.Piece> q = AudioSplitter.split(y, 10.0);
        assertEquals(2, q.size());
        assertEquals(n - 1600, q.get(1).offsetSamples());
        assertEquals(8000, q.get(1).samples().length, "pieces under 0.5 s are zero-padded to 0.5 s");
    }
}
