package io.github.qwenasr.decoder;

/**
 * Per-utterance key/value cache (docs/model.md 4.6): for every layer and kv head, the post-RoPE keys and
 * values of each position, [position][headDim], grown by half its size when full. One array per kv
 * head keeps that head's rows contiguous, so attention streams them in order (a decode step at long
 * contexts is bound by reading the cache). Belongs to one decoding session.
 */
public final class KvCache {
    private final int layers;
    private final int kvHeads;
    private final int headDim;
    /** [layer][kv head][position * headDim + i]. */
    private final float[][][] keys;
    private final float[][][] values;
    private int length;
    /** Decode-step scratch, made on the first one-position step (see {@link LayerBuffers}). */
    private LayerBuffers stepBuffers;

    KvCache(int layers, int kvHeads, int headDim, int initialCapacity) {
        this.layers = layers;
        this.kvHeads = kvHeads;
        this.headDim = headDim;
        this.keys = new float[layers][kvHeads][initialCapacity * headDim];
        this.values = new float[layers][kvHeads][initialCapacity * headDim];
    }

    /** Positions stored. */
    public int length() {
        return length;
    }

    /**
     * Appends n positions to one layer from k and v, [n][kvHeads*headDim]; the length advances when
     * the last layer has appended.
     */
    void append(int layer, float[] k, float[] v, int n) {
        float[][] lk = keys[layer];
        float[][] lv = values[layer];
        int need = (length + n) * headDim;
        if (lk[0].length < need) {
            // Grow by half: the cache is the largest heap object of a long decode.
            int cap = Math.max(need, lk[0].length + lk[0].length / 2);
            for (int h = 0; h < kvHeads; h++) {
                lk[h] = java.util.Arrays.copyOf(lk[h], cap);
                lv[h] = java.util.Arrays.copyOf(lv[h], cap);
            }
        }
        int kvDim = kvHeads * headDim;
        for (int t = 0; t < n; t++) {
            for (int h = 0; h < kvHeads; h++) {
                System.arraycopy(k, t * kvDim + h * headDim, lk[h], (length + t) * headDim, headDim);
                System.arraycopy(v, t * kvDim + h * headDim, lv[h], (length + t) * headDim, headDim);
            }
        }
        if (layer == layers - 1) length += n;
    }

    LayerBuffers stepBuffers(io.github.qwenasr.config.ModelConfig.TextConfig cfg, boolean int8) {
        if (stepBuffers == null || stepBuffers.int8 != int8) stepBuffers = new LayerBuffers(cfg, 1, int8);
        return stepBuffers;
    }

    /** Keys of one kv head of one layer, [position][headDim]; replaced when an append grows the cache. */
    float[] keys(int layer, int kvHead) {
        return keys[layer][kvHead];
    }

    /** Values of one kv head of one layer, [position][headDim]; replaced when an append grows the cache. */
    float[] values(int layer, int kvHead) {
        return values[layer][kvHead];
    }

    /** Drops positions from the end (prefix rollback); keeps capacity. */
    public void truncate(int newLength) {
        if (newLength < 0 || newLength > length) throw new IllegalArgumentException("bad cache length " + newLength);
        length = newLength;
    }
}
