package io.github.qwenasr.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * One activation vector prepared for mat-vecs, in the forms the weights it meets need.
 *
 * <p>bf16 weights (docs/kernels.md 1, idiom C): the kernel loads weights as ints, two bf16 values per
 * lane, and widens them with one shift (even elements) and one mask (odd elements), with no
 * cross-lane work. The activations are reordered once per mat-vec to match: in every block of
 * {@code 2 * lanes} elements the even elements come first, then the odd ones. A tail shorter than a
 * block keeps its natural order.
 *
 * <p>int8 weights ({@link Int8MatVec}): the activations in natural order, plus the sum of every run
 * of 32 elements and of the whole vector, which the kernel's offset-binary widening needs once per
 * group.
 *
 * <p>The natural vector is kept too, for weights in other dtypes.
 */
public final class MatVecInput {
    private final boolean pairs;
    private final boolean sums;
    private float[] ordered;
    private float[] natural;
    private float[] sums32;
    private float total;
    private int offset;
    private int length;

    /** An input for bf16 weights, for vectors of up to {@code capacity} elements (it grows if needed). */
    public MatVecInput(int capacity) {
        this(capacity, true, false);
    }

    /**
     * An input for vectors of up to {@code capacity} elements that prepares the bf16 order
     * ({@code bf16}) and the int8 kernel's run sums ({@code int8}); natural order always works.
     */
    public MatVecInput(int capacity, boolean bf16, boolean int8) {
        this.pairs = bf16;
        this.sums = int8;
        ordered = new float[bf16 ? capacity : 0];
        sums32 = new float[int8 ? capacity / 32 : 0];
    }

    /** Takes x[off, off + k) as the vector (referenced, not copied) and prepares its forms. */
    public MatVecInput set(float[] x, int off, int k) {
        natural = x;
        offset = off;
        length = k;
        if (pairs) orderPairs(x, off, k);
        if (sums) sumRuns(x, off, k);
        return this;
    }

    private void orderPairs(float[] x, int off, int k) {
        if (ordered.length < k) ordered = new float[k];
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
    }

    /** sums32[c] = x[off + 32c] + ... + x[off + 32c + 31] in a fixed order; a partial last run is summed too. */
    private void sumRuns(float[] x, int off, int k) {
        int runs = (k + 31) / 32;
        if (sums32.length < runs) sums32 = new float[runs];
        VectorSpecies<Float> f = Int8MatVec.F;
        int c = 0;
        if (f.length() <= 32) {
            for (; (c + 1) * 32 <= k; c++) {
                int base = off + c * 32;
                FloatVector v = FloatVector.fromArray(f, x, base);
                for (int i = f.length(); i < 32; i += f.length()) v = v.add(FloatVector.fromArray(f, x, base + i));
                sums32[c] = Int8MatVec.laneSum(v);
            }
        }
        for (; c < runs; c++) {
            float s = 0f;
            for (int i = off + c * 32; i < off + Math.min(k, c * 32 + 32); i++) s += x[i];
            sums32[c] = s;
        }
        float t = 0f;
        for (int i = 0; i < runs; i++) t += sums32[i];
        total = t;
    }

    /** The vector in the bf16 kernel's order, valid for [0, length). */
    float[] ordered() {
        if (!pairs) throw new IllegalStateException("mat-vec input not prepared for bf16 weights");
        return ordered;
    }

    /** Sums of the 32-element runs of the vector (int8 kernel). */
    float[] sums32() {
        if (!sums) throw new IllegalStateException("mat-vec input not prepared for int8 weights");
        return sums32;
    }

    /** Sum of the whole vector: the run sums added in order (int8 kernel). */
    float total() {
        sums32();
        return total;
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
