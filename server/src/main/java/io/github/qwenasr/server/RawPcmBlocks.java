package io.github.qwenasr.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Headerless mono PCM from a byte stream: signed 16-bit or 32-bit float, little-endian. A sample
 * split across two WebSocket frames is decoded once both halves have arrived.
 */
final class RawPcmBlocks implements PcmBlocks {
    /** Bytes taken from the stream per block at most. */
    private static final int BLOCK_BYTES = 16384;

    private final InputStream in;
    private final int sampleRate;
    private final boolean float32;
    private final byte[] buffer = new byte[BLOCK_BYTES];
    private int pending;

    RawPcmBlocks(InputStream in, int sampleRate, boolean float32) {
        this.in = in;
        this.sampleRate = sampleRate;
        this.float32 = float32;
    }

    @Override
    public float[] next() {
        int width = float32 ? 4 : 2;
        try {
            while (pending < width) {
                int n = in.read(buffer, pending, buffer.length - pending);
                if (n < 0) return null; // a trailing partial sample is dropped
                pending += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int count = pending / width;
        float[] out = new float[count];
        ByteBuffer b = ByteBuffer.wrap(buffer, 0, count * width).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            float v = float32 ? b.getFloat() : b.getShort() / 32768f;
            if (!Float.isFinite(v)) throw new Engine.Failure("the audio holds NaN or infinite samples");
            out[i] = Math.max(-1f, Math.min(1f, v));
        }
        int used = count * width;
        System.arraycopy(buffer, used, buffer, 0, pending - used);
        pending -= used;
        return out;
    }

    @Override
    public int sampleRate() {
        return sampleRate;
    }
}
