package io.github.qwenasr.kernel;

/**
 * One activation vector prepared for mat-vecs against bf16 weights (docs/kernels.md 1, idiom C).
 *
 * <p>The bf16 kernel loads weights as ints, two bf16 values per lane, and widens them with one
 * shift (even elements) and one mask (odd elements), with no cross-lane work. The activations are
 * reordered once per mat-vec to match: in every block of {@code 2 * lanes} elements the even
 * elements come first, then the odd ones. A tail shorter than a block keeps its natural order.
 * The natural vector is kept too, for weights in other dtypes.
 */
public final class MatVecInput {
    private float[] ordered;
    private float[] natural;
    private int offset;
    private int length;

    /** An input for vectors of up to {@code capacity} elements (it grows if needed). */
    public MatVecInput(int capacity) {
        ordered = new float[capacity];
    }

    /** Takes x[off, off + k) as the vector (referenced, not copied) and prepares its lane order. */
    public MatVecInput set(float[] x, int off, int k) {
        if (ordered.length < k) ordered = new float[k];
        natural = x;
        offset = off;
        length = k;
        int lanes = MatMul.L;
        int block = 2 * lanes;
        int full = k - k % block;
        for (int b = 0; b < full; b += block) {
            int src = off + b;
            for (int j = 0; j < lanes; j++) {
                ordered[b + j] = x[src + 2 * j];
                ordered[b + lanes + j] = x[src + 2 * j + 1];
            }
        }
        System.arraycopy(x, off + full, ordered, full, k - full);
        return this;
    }

    /** The vector in the bf16 kernel's order, valid for [0, length). */
    float[] ordered() {
        return ordered;
    }

    /** The vector in natural order starts at {@link #offset()} of this array. */
    float[] natural() {
        return natural;
    }

    int offset() {
        return offset;
    }

    /** Elements in the vector. */
    public int length() {
        return length;
    }
}
