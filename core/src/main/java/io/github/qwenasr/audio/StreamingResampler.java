package io.github.qwenasr.audio;

import java.util.Arrays;
import java.util.Objects;

/**
 * Stateful version of {@link Resampler} for audio that arrives in blocks of any size (live capture,
 * incremental stdin; docs/modes.md 2.2 explains why resampling each block on its own is wrong).
 *
 * <p>The concatenation of everything {@link #push} and {@link #finish} return is identical to
 * {@code Resampler.resample} of the concatenated input. An output sample is released as soon as all
 * input samples its filter row covers have arrived, so output lags input by about the filter
 * half-width (64 samples at the lower rate, 4 ms at 16 kHz); {@link #finish} releases the rest,
 * treating the input as followed by silence. Not thread-safe.
 */
public final class StreamingResampler {
    private static final float[] EMPTY = new float[0];

    private final PolyphaseFilter filter;
    private final boolean passThrough;
    /** Pending input samples; buffer[0] is input number bufferStart (negative indices are leading zeros). */
    private float[] buffer;
    private long bufferStart;
    private int bufferLength;
    private long inputCount;
    private long outputCount;
    private boolean finished;

    /**
     * @throws IllegalArgumentException for rates below 1 or a reduction beyond {@link Resampler#MAX_DOWNSAMPLING}
     */
    public StreamingResampler(int rateIn, int rateOut) {
        Resampler.checkRates(rateIn, rateOut);
        passThrough = rateIn == rateOut;
        filter = passThrough ? null : PolyphaseFilter.of(rateIn, rateOut);
        if (passThrough) {
            buffer = EMPTY;
        } else {
            bufferStart = filter.firstInput(0);
            bufferLength = (int) -bufferStart; // the zeros before input 0
            buffer = new float[Math.max(1024, 4 * filter.stride)];
        }
    }

    /** Convenience for {@code new StreamingResampler(rateIn, 16000)}. */
    public static StreamingResampler to16k(int rateIn) {
        return new StreamingResampler(rateIn, Resampler.TARGET_RATE);
    }

    /** Adds a block of input and returns the output samples that became complete (possibly none). */
    public float[] push(float[] samples) {
        return push(samples, 0, samples.length);
    }

    /** Adds {@code samples[offset … offset+length)} and returns the output samples that became complete. */
    public float[] push(float[] samples, int offset, int length) {
        if (finished) throw new IllegalStateException("push after finish");
        Objects.checkFromIndexSize(offset, length, samples.length);
        inputCount += length;
        if (passThrough) {
            outputCount += length;
            return Arrays.copyOfRange(samples, offset, offset + length);
        }
        append(samples, offset, length);
        return emit(filter.outputsReadyBelow(inputCount));
    }

    /** Ends the input and returns the remaining output samples. Further calls return nothing. */
    public float[] finish() {
        if (finished) return EMPTY;
        finished = true;
        if (passThrough) return EMPTY;
        long total = filter.outputLength(inputCount);
        if (total <= outputCount) return EMPTY;
        long needEnd = filter.firstInput(total - 1) + filter.stride;
        int zeros = (int) Math.max(0, needEnd - (bufferStart + bufferLength));
        append(new float[zeros], 0, zeros);
        return emit(total);
    }

    /** Input samples received so far. */
    public long inputCount() {
        return inputCount;
    }

    /** Output samples returned so far. */
    public long outputCount() {
        return outputCount;
    }

    private float[] emit(long upTo) {
        if (upTo <= outputCount) return EMPTY;
        float[] out = new float[Math.toIntExact(upTo - outputCount)];
        filter.run(outputCount, upTo, buffer, bufferStart, out, 0);
        outputCount = upTo;
        discardBefore(filter.firstInput(outputCount));
        return out;
    }

    private void append(float[] samples, int offset, int length) {
        if (bufferLength + length > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(bufferLength + length, 2 * buffer.length));
        }
        System.arraycopy(samples, offset, buffer, bufferLength, length);
        bufferLength += length;
    }

    /** Drops inputs that no future output reads. */
    private void discardBefore(long index) {
        int drop = (int) Math.min(bufferLength, Math.max(0, index - bufferStart));
        if (drop == 0) return;
        System.arraycopy(buffer, drop, buffer, 0, bufferLength - drop);
        bufferLength -= drop;
        bufferStart += drop;
    }
}
