package io.github.qwenasr.longform;

import io.github.qwenasr.audio.AudioSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Segmented mode's split (docs/modes.md 4.2) for audio that arrives over time: a segment is cut as soon
 * as the audio reaches past its whole search window, at the very point {@link Segmenter#split} picks
 * for the complete recording, so the segments are the same however the audio arrives. Holds only the
 * audio since the last cut (at most the target, the search margin and one block). Not thread-safe.
 */
public final class QuietPointCutter {
    private final long target;
    private final long margin;
    private float[] buffer = new float[16_000];
    private int length;
    private boolean cut;

    /** Segments of about {@code segmentSeconds} (> 0), cuts searched within min(searchSeconds, S/2). */
    public QuietPointCutter(double segmentSeconds, double searchSeconds) {
        if (!(segmentSeconds > 0)) throw new IllegalArgumentException("segment length must be > 0");
        double search = Math.max(0, Math.min(searchSeconds, segmentSeconds / 2));
        this.target = Math.max(1, Math.round(segmentSeconds * AudioSplitter.SAMPLE_RATE));
        this.margin = Math.round(search * AudioSplitter.SAMPLE_RATE);
    }

    /** The longest segment it can hand out: target plus search margin, in samples. */
    public long maxSegmentSamples() {
        return target + margin;
    }

    /** Takes the next samples and returns the segments that were cut (their samples, unpadded), in order. */
    public List<float[]> push(float[] samples16k, int offset, int count) {
        java.util.Objects.checkFromIndexSize(offset, count, samples16k.length);
        if (length + count > buffer.length) buffer = Arrays.copyOf(buffer, Math.max(length + count, 2 * buffer.length));
        System.arraycopy(samples16k, offset, buffer, length, count);
        length += count;
        List<float[]> out = List.of();
        // Segmenter.split's loop condition, p + target + margin < n, with p = 0 at the last cut.
        while (target + margin < length) {
            int at = Math.max(1, Segmenter.bestCut(view(), (int) target, (int) margin));
            if (out.isEmpty()) out = new ArrayList<>(1);
            out.add(Arrays.copyOf(buffer, at));
            System.arraycopy(buffer, at, buffer, 0, length - at);
            length -= at;
            cut = true;
        }
        return out;
    }

    /** The audio after the last cut (the last segment; may be empty), and a fresh start. */
    public float[] finish() {
        float[] rest = Arrays.copyOf(buffer, length);
        length = 0;
        return rest;
    }

    /** Whether a segment has been cut since this cutter was made (else the audio so far is one piece). */
    public boolean cutAny() {
        return cut;
    }

    private AudioSource view() {
        float[] b = buffer;
        int n = length;
        return new AudioSource() {
            @Override
            public int length() {
                return n;
            }

            @Override
            public void read(int start, float[] dst, int off, int count) {
                java.util.Objects.checkFromIndexSize(start, count, n);
                System.arraycopy(b, start, dst, off, count);
            }
        };
    }
}
