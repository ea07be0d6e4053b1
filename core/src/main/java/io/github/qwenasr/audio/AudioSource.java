package io.github.qwenasr.audio;

import java.util.Objects;

/**
 * Model input (mono, 16 kHz, already resampled and peak-guarded: docs/model.md 2.1) that can be read
 * in pieces, so that a long recording is never held whole: the offline, segmented and
 * silence-skipping paths read only the stretch they are working on ({@link WavFileSource} reads a
 * file that way). Reads of the same range always give the same samples.
 */
public interface AudioSource extends AutoCloseable {
    /** Number of samples at 16 kHz. */
    int length();

    /** Copies samples {@code [start, start + count)} into {@code dst[offset…]}; the range must lie inside. */
    void read(int start, float[] dst, int offset, int count);

    /** Samples {@code [start, start + count)} in a new array. */
    default float[] read(int start, int count) {
        float[] out = new float[count];
        read(start, out, 0, count);
        return out;
    }

    /** Every sample, in a new array. */
    default float[] readAll() {
        return read(0, length());
    }

    /** Releases what the source holds open (a file); reads are not allowed afterwards. */
    @Override
    default void close() {
    }

    /** Samples already in memory (used as they are: no resampling or peak guard). */
    static AudioSource of(float[] samples) {
        Objects.requireNonNull(samples, "samples");
        return new AudioSource() {
            @Override
            public int length() {
                return samples.length;
            }

            @Override
            public void read(int start, float[] dst, int offset, int count) {
                Objects.checkFromIndexSize(start, count, samples.length);
                System.arraycopy(samples, start, dst, offset, count);
            }
        };
    }

    /**
     * {@code input} without its long pauses (docs/modes.md 5, {@code --skip-silence}): voiced audio and
     * the first 0.6 s of every pause, concatenated; read from {@code input} when asked, after one
     * pass that finds the kept runs. Offline transcription does this itself with
     * {@code TranscribeOptions.withSkipSilence}; this is for callers that feed audio elsewhere
     * (a stream of a file).
     */
    static AudioSource withoutLongPauses(AudioSource input) {
        return io.github.qwenasr.longform.SilenceCompactor.compact(input).audio();
    }
}
