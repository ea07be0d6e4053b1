package io.github.qwenasr.kernel;

/**
 * Element-wise and row-wise operations with the reference's float32 semantics (MODEL.md 8.2-8.4):
 * statistics accumulated in double and rounded once, transcendentals evaluated in double from
 * the float argument and rounded once.
 */
public final class Ops {
    private Ops() {}

    /**
     * LayerNorm over rows of width dim (biased variance, MODEL.md 3.7): out = (x-mu)/sqrt(var+eps)*g+b.
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

    /** Exact GELU 0.5*x*(1+erf(x/sqrt 2)) on x[0..n), in place (MODEL.md 3.2). */
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

    /** Softmax over x[off..off+n) in place, max-subtracted. */
    public static void softmax(float[] x, int off, int n) {
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

    /** a[i] += b[i] for i in [0, n). */
    public static void addInPlace(float[] a, float[] b, int n) {
        for (int i = 0; i < n; i++) a[i] += b[i];
    }

    /** Index of the largest value (first on ties), as greedy decoding needs (MODEL.md 5.5). */
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
