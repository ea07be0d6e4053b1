package io.github.qwenasr.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Element-wise and row-wise operations with the reference's float32 semantics (docs/model.md 8.2-8.4):
 * statistics accumulated in double and rounded once, transcendentals evaluated in double from
 * the float argument and rounded once. One exception: softmax rows of {@link #VECTOR_SOFTMAX_MIN}
 * positions or more subtract the maximum and exponentiate in float (within 2 ulp, as the
 * reference's own float32 softmax does), the sum still in double.
 */
public final class Ops {
    private Ops() {}

    /**
     * LayerNorm over rows of width dim (biased variance, docs/model.md 3.7): out = (x-mu)/sqrt(var+eps)*g+b.
     * out may alias x.
     */
    public static void layerNorm(float[] x, int rows, int dim, float[] gamma, float[] beta, float eps, float[] out) {
        for (int r = 0; r < rows; r++) {
            int o = r * dim;
            double mean = 0;
            for (int i = 0; i < dim; i++) mean += x[o + i];
            mean /= dim;
            double var = 0;
            for (int i = 0; i < dim; i++) {
                double d = x[o + i] - mean;
                var += d * d;
            }
            var /= dim;
            float inv = (float) (1.0 / Math.sqrt(var + eps));
            float mu = (float) mean;
            for (int i = 0; i < dim; i++) out[o + i] = (x[o + i] - mu) * inv * gamma[i] + beta[i];
        }
    }

    /** RMSNorm of `rows` vectors of width dim starting at off: y = g * x / sqrt(mean(x^2)+eps). In place. */
    public static void rmsNorm(float[] x, int off, int rows, int dim, float[] gamma, float eps) {
        for (int r = 0; r < rows; r++) {
            int o = off + r * dim;
            double ss = 0;
            for (int i = 0; i < dim; i++) ss += (double) x[o + i] * x[o + i];
            float inv = (float) (1.0 / Math.sqrt(ss / dim + eps));
            for (int i = 0; i < dim; i++) x[o + i] = gamma[i] * (x[o + i] * inv);
        }
    }

    /** RMSNorm from src into dst (both of `rows` x dim). */
    public static void rmsNorm(float[] src, float[] dst, int rows, int dim, float[] gamma, float eps) {
        System.arraycopy(src, 0, dst, 0, rows * dim);
        rmsNorm(dst, 0, rows, dim, gamma, eps);
    }

    /** Exact GELU 0.5*x*(1+erf(x/sqrt 2)) on x[0..n), in place (docs/model.md 3.2). */
    public static void gelu(float[] x, int n) {
        for (int i = 0; i < n; i++) x[i] = gelu(x[i]);
    }

    /** GELU on one value, exact erf form (tabulated: see {@link GeluTable}). */
    public static float gelu(float v) {
        return GeluTable.gelu(v);
    }

    /** GELU evaluated directly from the double-precision erf (reference for tests). */
    public static float geluDirect(float v) {
        double d = v;
        return (float) (0.5 * d * (1.0 + Erf.erf(d * 0.7071067811865476)));
    }

    /** GELU on [0, n) using the pool (the encoder's FFN has millions of activations). */
    public static void gelu(Parallel par, float[] x, int n) {
        par.forRange(n, 1024, (s, e) -> {
            for (int i = s; i < e; i++) x[i] = gelu(x[i]);
        });
    }

    /** silu(z) = z * sigmoid(z). */
    public static float silu(float z) {
        return (float) (z / (1.0 + Math.exp(-(double) z)));
    }

    /** Rows at least this long take the vectorised softmax (long prefill and decode rows only). */
    static final int VECTOR_SOFTMAX_MIN = 256;

    /**
     * Softmax over x[off..off+n) in place, max-subtracted. Rows of {@link #VECTOR_SOFTMAX_MIN} or
     * more use {@link #expNonPositive} (within 2 ulp of the double exp) with the sum still in
     * double; shorter ones, which are all a short clip ever has, stay scalar so that no
     * Vector API code runs interpreted in a fresh JVM on their account.
     */
    public static void softmax(float[] x, int off, int n) {
        if (n >= VECTOR_SOFTMAX_MIN) {
            softmaxVector(x, off, n);
            return;
        }
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) max = Math.max(max, x[off + i]);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            float e = (float) Math.exp((double) x[off + i] - max);
            x[off + i] = e;
            sum += e;
        }
        float inv = (float) (1.0 / sum);
        for (int i = 0; i < n; i++) x[off + i] *= inv;
    }

    private static final VectorSpecies<Float> F = VectorWidth.FLOAT;
    private static final VectorSpecies<Double> D = VectorSpecies.of(double.class, VectorShape.forBitSize(F.vectorBitSize()));

    static void softmaxVector(float[] x, int off, int n) {
        int upper = F.loopBound(n);
        FloatVector mv = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        for (int i = 0; i < upper; i += F.length()) mv = mv.max(FloatVector.fromArray(F, x, off + i));
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < F.length(); j++) max = Math.max(max, mv.lane(j));
        for (int i = upper; i < n; i++) max = Math.max(max, x[off + i]);
        FloatVector shift = FloatVector.broadcast(F, max);
        DoubleVector s0 = DoubleVector.zero(D);
        DoubleVector s1 = s0;
        for (int i = 0; i < upper; i += F.length()) {
            FloatVector e = expNonPositive(FloatVector.fromArray(F, x, off + i).sub(shift));
            e.intoArray(x, off + i);
            s0 = s0.add((DoubleVector) e.convertShape(VectorOperators.F2D, D, 0));
            s1 = s1.add((DoubleVector) e.convertShape(VectorOperators.F2D, D, 1));
        }
        // Lanes summed in a fixed order: the result must not depend on how the JIT reduces.
        double sum = 0;
        DoubleVector s = s0.add(s1);
        for (int j = 0; j < D.length(); j++) sum += s.lane(j);
        for (int i = upper; i < n; i++) {
            float e = (float) Math.exp((double) x[off + i] - max);
            x[off + i] = e;
            sum += e;
        }
        FloatVector inv = FloatVector.broadcast(F, (float) (1.0 / sum));
        for (int i = 0; i < upper; i += F.length()) FloatVector.fromArray(F, x, off + i).mul(inv).intoArray(x, off + i);
        float invS = (float) (1.0 / sum);
        for (int i = upper; i < n; i++) x[off + i] *= invS;
    }

    private static final float LOG2E = 1.44269504088896341f;
    /** ln 2 split so that k * LN2_HI is exact for the k that occur (|k| < 2^9). */
    private static final float LN2_HI = 0.693145752f;
    private static final float LN2_LO = 1.42860677e-6f;
    /** 1.5 * 2^23: adding it rounds a float of magnitude below 2^22 to an integer. */
    private static final float ROUNDER = 12582912f;

    /**
     * e^x for x <= 0 (softmax arguments after the max is subtracted), in float: x = k ln2 + r with
     * |r| <= ln2/2, e^r by its Taylor series to r^7 (truncation below 1e-8 relative), times 2^k
     * built in the exponent bits. Arguments below -87 give e^-87 (about 1.6e-38) instead of a
     * subnormal, which no softmax sum can notice.
     */
    static FloatVector expNonPositive(FloatVector x) {
        FloatVector v = x.max(-87f);
        FloatVector k = v.mul(LOG2E).add(ROUNDER).sub(ROUNDER);
        FloatVector r = v.sub(k.mul(LN2_HI)).sub(k.mul(LN2_LO));
        FloatVector p = r.mul(1f / 5040f).add(1f / 720f);
        p = p.mul(r).add(1f / 120f);
        p = p.mul(r).add(1f / 24f);
        p = p.mul(r).add(1f / 6f);
        p = p.mul(r).add(0.5f);
        p = p.mul(r).add(1f);
        p = p.mul(r).add(1f);
        IntVector scale = ((IntVector) k.convert(VectorOperators.F2I, 0)).add(127).lanewise(VectorOperators.LSHL, 23);
        return p.mul(scale.reinterpretAsFloats());
    }

    /** a[i] += b[i] for i in [0, n). */
    public static void addInPlace(float[] a, float[] b, int n) {
        for (int i = 0; i < n; i++) a[i] += b[i];
    }

    /** Index of the largest value (first on ties), as greedy decoding needs (docs/model.md 5.5). */
    public static int argmax(float[] x, int n) {
        int best = 0;
        float bv = x[0];
        for (int i = 1; i < n; i++) {
            if (x[i] > bv) {
                bv = x[i];
                best = i;
            }
        }
        return best;
    }
}
