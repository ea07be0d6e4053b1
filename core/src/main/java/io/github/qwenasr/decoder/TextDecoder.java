package io.github.qwenasr.decoder;

import static io.github.qwenasr.config.TensorNames.*;

import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.config.ModelConfig.TextConfig;
import io.github.qwenasr.kernel.MatMul;
import io.github.qwenasr.kernel.MatVecBatch;
import io.github.qwenasr.kernel.MatVecInput;
import io.github.qwenasr.kernel.Ops;
import io.github.qwenasr.kernel.Parallel;
import io.github.qwenasr.weights.Int8Matrix;
import io.github.qwenasr.weights.Tensor;
import io.github.qwenasr.weights.WeightStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Qwen3 text decoder (docs/model.md 4): token embeddings with the audio splice, 28 pre-norm layers,
 * final RMSNorm, output head. Immutable; per-utterance state lives in a {@link KvCache}.
 *
 * <p>Output head (docs/model.md 1.6): embed_tokens when tie_word_embeddings is true, otherwise the
 * stored thinker.lm_head.weight (mandatory then).
 *
 * <p>{@link #withInt8} gives the same decoder with its layers' linear weights in int8; embeddings,
 * norms and the output head stay as stored.
 */
public final class TextDecoder {
    private final TextConfig cfg;
    private final Tensor embed;
    private final Tensor head;
    private final float[] finalNorm;
    private final DecoderLayer[] layers;
    private final Rope rope;
    private final boolean int8;

    public TextDecoder(TextConfig cfg, WeightStore w, int headRows) {
        this.cfg = cfg;
        // Before anything is sized by the count: fewer layers than stored would run a different
        // model silently, more would fail only after allocating for all of them.
        int stored = w.layerCount(DEC);
        if (stored != cfg.layers()) {
            throw new QwenAsrException("config.json: text_config.num_hidden_layers is " + cfg.layers()
                    + " but the weights hold " + stored + " decoder layers");
        }
        this.embed = w.require(EMBED, cfg.vocabSize(), cfg.hidden());
        if (cfg.tieWordEmbeddings()) {
            this.head = embed;
        } else {
            if (!w.contains(LM_HEAD)) {
                throw new QwenAsrException("missing tensor " + LM_HEAD + " (config.json says tie_word_embeddings is false)");
            }
            this.head = w.require(LM_HEAD, headRows, cfg.hidden());
        }
        this.finalNorm = w.require(FINAL_NORM, cfg.hidden()).toFloatArray();
        this.layers = new DecoderLayer[cfg.layers()];
        for (int l = 0; l < layers.length; l++) layers[l] = new DecoderLayer(cfg, w, l);
        this.rope = new Rope(cfg.headDim(), cfg.ropeTheta());
        this.int8 = false;
    }

    private TextDecoder(TextDecoder from, Map<String, Int8Matrix> int8) {
        this.cfg = from.cfg;
        this.embed = from.embed;
        this.head = from.head;
        this.finalNorm = from.finalNorm;
        this.rope = from.rope;
        this.layers = new DecoderLayer[from.layers.length];
        for (int l = 0; l < layers.length; l++) layers[l] = from.layers[l].withInt8(int8);
        this.int8 = layers.length > 0 && layers[0].int8();
        for (DecoderLayer layer : layers) {
            if (layer.int8() != this.int8) throw new IllegalArgumentException("int8 weights for some decoder layers only");
        }
    }

    /** The checkpoint tensors of every layer's seven linear layers, in layer order (what int8 replaces). */
    public List<Tensor> linearTensors() {
        List<Tensor> out = new ArrayList<>();
        for (DecoderLayer layer : layers) out.addAll(layer.linearTensors());
        return out;
    }

    /** This decoder with the linear weights named in {@code int8} (all layers' or none) in int8. */
    public TextDecoder withInt8(Map<String, Int8Matrix> int8) {
        return new TextDecoder(this, int8);
    }

    /** Whether the layers' linear weights are int8. */
    public boolean int8() {
        return int8;
    }

    /** A fresh cache sized for about `expectedPositions` positions. */
    public KvCache newCache(int expectedPositions) {
        return new KvCache(cfg.layers(), cfg.kvHeads(), cfg.headDim(), Math.max(16, expectedPositions));
    }

    /** Bytes one cached position takes in a {@link KvCache}: a key and a value per layer and kv head. */
    public long kvBytesPerPosition() {
        return (long) cfg.layers() * cfg.kvHeads() * cfg.headDim() * 2 * Float.BYTES;
    }

    /** Rows of the output head (vocabulary size, or the aligner's class count). */
    public int headRows() {
        return head.rows();
    }

    /**
     * Input embeddings for ids, with the rows of audio (in order) replacing every audioTokenId
     * position (docs/model.md 4.1). The count of placeholders must equal the audio rows.
     */
    public float[] embed(int[] ids, int audioTokenId, float[] audio, int audioRows) {
        int h = cfg.hidden();
        float[] x = new float[ids.length * h];
        int next = 0;
        for (int p = 0; p < ids.length; p++) {
            int id = ids[p];
            if (id == audioTokenId) {
                if (next >= audioRows) throw new QwenAsrException("prompt has more audio placeholders than the encoder produced (" + audioRows + ")");
                System.arraycopy(audio, next * h, x, p * h, h);
                next++;
            } else {
                if (id < 0 || id >= cfg.vocabSize()) throw new QwenAsrException("token id " + id + " is outside the embedding table");
                embed.copyTo((long) id * h, x, p * h, h);
            }
        }
        if (next != audioRows) {
            throw new QwenAsrException("prompt has " + next + " audio placeholders but the encoder produced " + audioRows + " audio vectors");
        }
        return x;
    }

    /**
     * Runs n positions of embeddings through all layers, appending to the cache, and returns the
     * final hidden states (after the final norm) of the last position only when lastOnly, else of all.
     */
    public float[] forward(Parallel par, float[] x, int n, KvCache cache, boolean lastOnly) {
        return forward(par, x, n, cache, lastOnly, PREFILL_CHUNK);
    }

    /** {@link #forward} with long prefills run {@code chunk} rows at a time. */
    float[] forward(Parallel par, float[] x, int n, KvCache cache, boolean lastOnly, int chunk) {
        checkPositions(cache.length(), n);
        if (n == 1) {
            // A decode step: fused dispatches over the cache's preallocated buffers.
            LayerBuffers b = cache.stepBuffers(cfg, int8);
            rope.angles(cache.length(), 1, b.cos, b.sin);
            for (DecoderLayer layer : layers) layer.forwardOne(par, x, cache, b);
        } else if (n <= chunk) {
            LayerBuffers b = new LayerBuffers(cfg, n, int8);
            rope.angles(cache.length(), n, b.cos, b.sin);
            for (DecoderLayer layer : layers) layer.forward(par, x, n, cache, b);
        } else {
            prefillInChunks(par, x, n, cache, chunk);
        }
        int h = cfg.hidden();
        if (lastOnly) {
            float[] last = new float[h];
            System.arraycopy(x, (n - 1) * h, last, 0, h);
            Ops.rmsNorm(last, 0, 1, h, finalNorm, (float) cfg.rmsNormEps());
            return last;
        }
        Ops.rmsNorm(x, 0, n, h, finalNorm, (float) cfg.rmsNormEps());
        return x;
    }

    /**
     * One decode step of b sequences together (docs/kernels.md 2.1): row j of x (the embedding of
     * sequence j's next token, [hidden], overwritten) runs through every layer at caches[j]'s next
     * position, and logits[j] gets its next logits ([headRows]). Each row's results are the bits
     * that {@link #forward} with one row and {@link #logitsInto} give it alone; what the rows share
     * is each pass over the weights, which bounds a decode step. The caches must be distinct.
     */
    public void forwardBatch(Parallel par, float[][] x, KvCache[] caches, int b, float[][] logits) {
        if (b < 1 || b > MatVecBatch.MAX_ROWS || x.length < b || caches.length < b || logits.length < b) {
            throw new IllegalArgumentException("batched step of " + b + " rows");
        }
        int h = cfg.hidden();
        LayerBuffers[] bufs = new LayerBuffers[b];
        for (int j = 0; j < b; j++) {
            for (int i = 0; i < j; i++) {
                if (caches[i] == caches[j]) throw new IllegalArgumentException("one cache twice in a batched step");
            }
            if (x[j].length != h) throw new IllegalArgumentException("batched step: row " + j + " has " + x[j].length + " elements");
            checkPositions(caches[j].length(), 1);
            bufs[j] = caches[j].stepBuffers(cfg, int8);
            rope.angles(caches[j].length(), 1, bufs[j].cos, bufs[j].sin);
        }
        for (DecoderLayer layer : layers) layer.forwardBatch(par, x, caches, bufs, b);
        MatVecInput[] in = new MatVecInput[b];
        for (int j = 0; j < b; j++) {
            Ops.rmsNorm(x[j], 0, 1, h, finalNorm, (float) cfg.rmsNormEps());
            // The head stays bf16: with int8 layers the step's input lacks the bf16 order.
            in[j] = (int8 ? new MatVecInput(h) : bufs[j].input).set(x[j], 0, h);
        }
        MatVecBatch.matVec(par, head, in, b, logits);
    }

    /**
     * Fails unless positions [start, start + n) lie below max_position_embeddings. The reference's
     * RoPE computes angles for any position, so this is the engine's own safety limit: the model
     * was not trained beyond it, and the generators stop before they reach it.
     */
    private void checkPositions(int start, int n) {
        if ((long) start + n > cfg.maxPositions()) {
            throw new QwenAsrException("the input needs " + ((long) start + n) + " positions, more than the "
                    + cfg.maxPositions() + " of max_position_embeddings in config.json; use shorter audio pieces");
        }
    }

    /** Positions the decoder may use (max_position_embeddings); a prompt and its output together fit in it. */
    public int maxPositions() {
        return cfg.maxPositions();
    }

    /**
     * Rows through all layers at a time in a long prefill. Each chunk passes every layer before the
     * next one starts, so it attends to the cached keys of the chunks before it exactly as a whole
     * pass would; every row's arithmetic is the same, so are the results (up to the JIT-tier rounding
     * of lane reductions that any two runs share). The scratch then follows
     * the chunk, not the prompt: about 56 KB per row for 0.6B, 0.9 GB for a 1200 s piece in one pass.
     */
    static final int PREFILL_CHUNK = 1024;
    private static final int ALIGN = 64;

    private void prefillInChunks(Parallel par, float[] x, int n, KvCache cache, int chunk) {
        int h = cfg.hidden();
        // About equal chunks, each a multiple of ALIGN rows: the attention groups queries in blocks
        // from row 0 (and a single row would take the mat-vec path), so aligned chunks keep every
        // row in the same kind of block as one pass does, and its rounding with it.
        int chunks = (n + chunk - 1) / chunk;
        int size = Math.max(ALIGN, ((n + chunks - 1) / chunks + ALIGN - 1) / ALIGN * ALIGN);
        LayerBuffers b = new LayerBuffers(cfg, size, int8);
        float[] rows = new float[size * h];
        for (int r0 = 0; r0 < n; r0 += size) {
            int m = Math.min(size, n - r0);
            System.arraycopy(x, r0 * h, rows, 0, m * h);
            rope.angles(cache.length(), m, b.cos, b.sin);
            for (DecoderLayer layer : layers) layer.forward(par, rows, m, cache, b);
            System.arraycopy(rows, 0, x, r0 * h, m * h);
        }
    }

    /** Logits of rows hidden states: [rows][headRows]. */
    public float[] logits(Parallel par, float[] hidden, int rows) {
        float[] out = new float[rows * head.rows()];
        logitsInto(par, hidden, rows, out);
        return out;
    }

    /** Logits of rows hidden states into out ([rows][headRows], reused across decode steps). */
    public void logitsInto(Parallel par, float[] hidden, int rows, float[] out) {
        MatMul.linear(par, hidden, rows, head, null, out);
    }

    /** Embedding of one token id (decode steps). */
    public float[] embedToken(int id) {
        int h = cfg.hidden();
        if (id < 0 || id >= cfg.vocabSize()) throw new QwenAsrException("token id " + id + " is outside the embedding table");
        float[] x = new float[h];
        embed.copyTo((long) id * h, x, 0, h);
        return x;
    }

    public TextConfig config() {
        return cfg;
    }
}
