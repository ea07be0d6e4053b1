package io.github.qwenasr.longform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.audio.AudioSource;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Segmented mode's split points (docs/modes.md 4.1-4.2) on synthetic noise with silent gaps. */
class SegmenterTest {
    private static final int RATE = 16000;

    private static float[] noise(double seconds, long seed) {
        Random r = new Random(seed);
        float[] x = new float[(int) Math.round(seconds * RATE)];
        for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextGaussian() * 0.3);
        return x;
    }

    private static void silence(float[] x, double fromSeconds, double toSeconds) {
        Arrays.fill(x, (int) Math.round(fromSeconds * RATE), (int) Math.round(toSeconds * RATE), 0f);
    }

    private static void assertContiguous(List<Segmenter.Range> ranges, int n) {
        assertEquals(0, ranges.get(0).start());
        assertEquals(n, ranges.get(ranges.size() - 1).end());
        for (int i = 1; i < ranges.size(); i++) {
            assertEquals(ranges.get(i - 1).end(), ranges.get(i).start(), "gap or overlap at segment " + i);
            assertTrue(ranges.get(i).length() > 0);
        }
    }

    @Test
    void cutsLandInTheSilentGapsNearEachTarget() {
        float[] x = noise(35, 1);
        double[][] gaps = {{9.5, 9.7}, {19.2, 19.4}, {28.9, 29.1}};
        for (double[] g : gaps) silence(x, g[0], g[1]);
        List<Segmenter.Range> ranges = Segmenter.split(AudioSource.of(x), 10, 3);
        // Targets 10 s after each cut, +-3 s: each reaches exactly one gap; the cut after 28.9 s
        // leaves less than 10 + 3 s, so no fourth cut.
        assertEquals(4, ranges.size());
        assertContiguous(ranges, x.length);
        for (int i = 0; i < gaps.length; i++) {
            double cut = ranges.get(i).endSeconds();
            // The window centre of a fully silent 100 ms window lies at least 50 ms inside the gap.
            assertTrue(cut >= gaps[i][0] + 0.05 - 1e-9 && cut <= gaps[i][1] - 0.05 + 1e-9, "cut " + i + " at " + cut);
        }
        // Earliest of the equally silent windows: window starts step 800 from the search start (6.5... s).
        int lo = 7 * RATE;
        int firstSilentStart = lo + (int) Math.ceil((9.5 * RATE - lo) / 800.0) * 800;
        assertEquals(firstSilentStart + 800, ranges.get(0).end());
    }

    @Test
    void segmentsConcatenateBackToTheInput() {
        float[] x = noise(47.3, 2);
        List<Segmenter.Range> ranges = Segmenter.split(AudioSource.of(x), 10, 3);
        assertContiguous(ranges, x.length);
        float[] joined = new float[0];
        for (Segmenter.Range r : ranges) {
            float[] part = Arrays.copyOfRange(x, r.start(), r.end());
            int old = joined.length;
            joined = Arrays.copyOf(joined, old + part.length);
            System.arraycopy(part, 0, joined, old, part.length);
        }
        assertArrayEquals(x, joined);
    }

    @Test
    void noSplitUpToTargetPlusMargin() {
        assertEquals(1, Segmenter.split(AudioSource.of(new float[13 * RATE]), 10, 3).size());
        assertEquals(2, Segmenter.split(AudioSource.of(new float[13 * RATE + 1]), 10, 3).size());
        // The margin is min(W, S/2): W = 100 counts as 5 s for S = 10.
        assertEquals(1, Segmenter.split(AudioSource.of(new float[15 * RATE]), 10, 100).size());
        assertEquals(2, Segmenter.split(AudioSource.of(new float[15 * RATE + 1]), 10, 100).size());
        assertEquals(1, Segmenter.split(AudioSource.of(new float[100 * RATE]), 0, 3).size());
    }

    @Test
    void searchIsCappedAtHalfTheSegment() {
        float[] x = noise(12, 3);
        silence(x, 0.4, 0.8); // 1.6 s before the first 2 s target: outside +-1 s
        List<Segmenter.Range> ranges = Segmenter.split(AudioSource.of(x), 2, 100);
        double first = ranges.get(0).endSeconds();
        assertTrue(first >= 1 && first <= 3, "first cut at " + first);
    }

    @Test
    void noSegmentCap() {
        float[] x = noise(300, 4);
        // W = 0: no window fits the empty search range, so every cut is the target itself.
        List<Segmenter.Range> ranges = Segmenter.split(AudioSource.of(x), 1, 0);
        assertEquals(300, ranges.size());
        for (int i = 0; i < ranges.size(); i++) assertEquals(i * RATE, ranges.get(i).start());
        assertContiguous(ranges, x.length);
    }

    @Test
    void shortSegmentsArePaddedForDecodingOnly() {
        float[] x = noise(2, 5);
        Segmenter.Range r = new Segmenter.Range(100, 300);
        // A segment is decoded as one of several ranges: shorter than 0.5 s, it is zero-padded.
        List<Segmenter.Range> two = List.of(r, new Segmenter.Range(300, 300 + RATE));
        float[] d = AudioSplitter.pieceSamples(AudioSource.of(x), two, 0);
        assertEquals(Segmenter.MIN_DECODE_SAMPLES, d.length);
        assertArrayEquals(Arrays.copyOfRange(x, 100, 300), Arrays.copyOf(d, 200));
        for (int i = 200; i < d.length; i++) assertEquals(0f, d[i]);
        assertEquals(RATE, AudioSplitter.pieceSamples(AudioSource.of(x), two, 1).length);
    }
}
