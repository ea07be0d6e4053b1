package io.github.qwenasr.decoder;

/**
 * Per-utterance key/value cache (MODEL.md 4.6): for every layer, post-RoPE keys and values of
 * each position, [position][kvHeads*headDim], grown by half its size when full. Belongs to one decoding session.
 */
public final class KvCache {
    private final int layers;
    private final int kvDim;
    private final float[][] keys;
    private final float[][] values;
    private int length;
    /** Decode-step scratch, made on the first one-position step (see {@link LayerBuffers}). */
    private LayerBuffers stepBuffers;

    KvCache(int layers, int kvDim, int initialCapacity) {
        this.layers = layers;
        this.kvDim = kvDim;
        this.keys = new float[layers][initialCapacity * kvDim];
        this.values = new float[layers][initialCapacity * kvDim];
    }

    /** Positions stored. */
    public int length() {
        return length;
    }

    /** Appends n positions to one layer; the length advances when the last layer has appended. */
    void append(int layer, float[] k, float[] v, int n) {
        int need = (length + n) * kvDim;
        if (keys[layer].length < need) {
            // Grow by half: the cache is the largest heap object of a long decode.
            int cap = Math.max(need, keys[layer].length + keys[layer].length / 2);
            keys[layer] = java.util.Arrays.copyOf(keys[layer], cap);
            values[layer] = java.util.Arrays.copyOf(values[layer], cap);
        }
        System.arraycopy(k, 0, keys[layer], length * kvDim, n * kvDim);
        System.arraycopy(v, 0, values[layer], length * kvDim, n * kvDim);
        if (layer == layers - 1) length += n;
    }

    LayerBuffers stepBuffers(io.github.qwenasr.config.ModelConfig.TextConfig cfg) {
        if (stepBuffers == null) stepBuffers = new LayerBuffers(cfg, 1);
        return stepBuffers;
    }

    float[] keys(int layer) {
        return keys[layer];
    }

    float[] values(int layer) {
        return values[layer];
    }

    /** Drops positions from the end (prefix rollback); keeps capacity. */
    public void truncate(int newLength) {
        if (newLength < 0 || newLength > length) throw new IllegalArgumentException("bad cache length " + newLength);
        length = newLength;
    }
}
