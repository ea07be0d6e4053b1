package io.github.qwenasr.vad;

import java.util.Arrays;
import io.github.qwenasr.kernel.VectorWidth;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Matrix-vector products of the Silero network, {@code y[o] = sum_i x[i] * wt[i][o] + bias[o]},
 * with the weights stored input-major ({@code wt[i * n + o]}) so that vector lanes run over
 * outputs. Every output is a chain of fused multiply-adds over i in order, then one add of the
 * bias, at every width: the scalar path and each vector width give bit-identical results (no
 * horizontal sums, whose order the Vector API leaves open).
 *
 * <p>One constant per width: each names its species in its own loop, because a loop shared by
 * several species sees none of them as a constant and runs the Vector API's slow generic code.
 * {@link #preferred()} is the widest the CPU has; the others exist so tests can check every width
 * on one machine.
 */
enum MatVec {
    SCALAR {
        @Override
        void run(float[] wt, int k, int n, float[] x, int xOff, float[] bias, float[] y, int yOff) {
            scalar(wt, k, n, 0, x, xOff, bias, y, yOff);
        }
    },
    V128 {
        @Override
        void run(float[] wt, int k, int n, float[] x, int xOff, float[] bias, float[] y, int yOff) {
            VectorSpecies<Float> f = FloatVector.SPECIES_128;
            int lanes = f.length();
            int o = 0;
            for (; o + 4 * lanes <= n; o += 4 * lanes) {
                FloatVector a0 = FloatVector.zero(f);
                FloatVector a1 = a0;
                FloatVector a2 = a0;
                FloatVector a3 = a0;
                for (int i = 0, row = o; i < k; i++, row += n) {
                    FloatVector xi = FloatVector.broadcast(f, x[xOff + i]);
                    a0 = FloatVector.fromArray(f, wt, row).fma(xi, a0);
                    a1 = FloatVector.fromArray(f, wt, row + lanes).fma(xi, a1);
                    a2 = FloatVector.fromArray(f, wt, row + 2 * lanes).fma(xi, a2);
                    a3 = FloatVector.fromArray(f, wt, row + 3 * lanes).fma(xi, a3);
                }
                a0.add(FloatVector.fromArray(f, bias, o)).intoArray(y, yOff + o);
                a1.add(FloatVector.fromArray(f, bias, o + lanes)).intoArray(y, yOff + o + lanes);
                a2.add(FloatVector.fromArray(f, bias, o + 2 * lanes)).intoArray(y, yOff + o + 2 * lanes);
                a3.add(FloatVector.fromArray(f, bias, o + 3 * lanes)).intoArray(y, yOff + o + 3 * lanes);
            }
            for (; o + lanes <= n; o += lanes) {
                FloatVector a = FloatVector.zero(f);
                for (int i = 0, row = o; i < k; i++, row += n) {
                    a = FloatVector.fromArray(f, wt, row).fma(FloatVector.broadcast(f, x[xOff + i]), a);
                }
                a.add(FloatVector.fromArray(f, bias, o)).intoArray(y, yOff + o);
            }
            scalar(wt, k, n, o, x, xOff, bias, y, yOff);
        }
    },
    V256 {
        @Override
        void run(float[] wt, int k, int n, float[] x, int xOff, float[] bias, float[] y, int yOff) {
            VectorSpecies<Float> f = FloatVector.SPECIES_256;
            int lanes = f.length();
            int o = 0;
            for (; o + 4 * lanes <= n; o += 4 * lanes) {
                FloatVector a0 = FloatVector.zero(f);
                FloatVector a1 = a0;
                FloatVector a2 = a0;
                FloatVector a3 = a0;
                for (int i = 0, row = o; i < k; i++, row += n) {
                    FloatVector xi = FloatVector.broadcast(f, x[xOff + i]);
                    a0 = FloatVector.fromArray(f, wt, row).fma(xi, a0);
                    a1 = FloatVector.fromArray(f, wt, row + lanes).fma(xi, a1);
                    a2 = FloatVector.fromArray(f, wt, row + 2 * lanes).fma(xi, a2);
                    a3 = FloatVector.fromArray(f, wt, row + 3 * lanes).fma(xi, a3);
                }
                a0.add(FloatVector.fromArray(f, bias, o)).intoArray(y, yOff + o);
                a1.add(FloatVector.fromArray(f, bias, o + lanes)).intoArray(y, yOff + o + lanes);
                a2.add(FloatVector.fromArray(f, bias, o + 2 * lanes)).intoArray(y, yOff + o + 2 * lanes);
                a3.add(FloatVector.fromArray(f, bias, o + 3 * lanes)).intoArray(y, yOff + o + 3 * lanes);
            }
            for (; o + lanes <= n; o += lanes) {
                FloatVector a = FloatVector.zero(f);
                for (int i = 0, row = o; i < k; i++, row += n) {
                    a = FloatVector.fromArray(f, wt, row).fma(FloatVector.broadcast(f, x[xOff + i]), a);
                }
                a.add(FloatVector.fromArray(f, bias, o)).intoArray(y, yOff + o);
            }
            scalar(wt, k, n, o, x, xOff, bias, y, yOff);
        }
    },
    V512 {
        @Override
        void run(float[] wt, int k, int n, float[] x, int xOff, float[] bias, float[] y, int yOff) {
            VectorSpecies<Float> f = FloatVector.SPECIES_512;
            int lanes = f.length();
            int o = 0;
            for (; o + 4 * lanes <= n; o += 4 * lanes) {
                FloatVector a0 = FloatVector.zero(f);
                FloatVector a1 = a0;
                FloatVector a2 = a0;
                FloatVector a3 = a0;
                for (int i = 0, row = o; i < k; i++, row += n) {
                    FloatVector xi = FloatVector.broadcast(f, x[xOff + i]);
                    a0 = FloatVector.fromArray(f, wt, row).fma(xi, a0);
                    a1 = FloatVector.fromArray(f, wt, row + lanes).fma(xi, a1);
                    a2 = FloatVector.fromArray(f, wt, row + 2 * lanes).fma(xi, a2);
                    a3 = FloatVector.fromArray(f, wt, row + 3 * lanes).fma(xi, a3);
                }
                a0.add(FloatVector.fromArray(f, bias, o)).intoArray(y, yOff + o);
                a1.add(FloatVector.fromArray(f, bias, o + lanes)).intoArray(y, yOff + o + lanes);
                a2.add(FloatVector.fromArray(f, bias, o + 2 * lanes)).intoArray(y, yOff + o + 2 * lanes);
                a3.add(FloatVector.fromArray(f, bias, o + 3 * lanes)).intoArray(y, yOff + o + 3 * lanes);
            }
            for (; o + lanes <= n; o += lanes) {
                FloatVector a = FloatVector.zero(f);
                for (int i = 0, row = o; i < k; i++, row += n) {
                    a = FloatVector.fromArray(f, wt, row).fma(FloatVector.broadcast(f, x[xOff + i]), a);
                }
                a.add(FloatVector.fromArray(f, bias, o)).intoArray(y, yOff + o);
            }
            scalar(wt, k, n, o, x, xOff, bias, y, yOff);
        }
    };

    /**
     * y[yOff + o] = sum over i in [0, k) of x[xOff + i] * wt[i * n + o], plus bias[o], for o in [0, n).
     */
    abstract void run(float[] wt, int k, int n, float[] x, int xOff, float[] bias, float[] y, int yOff);

    /** The kernel for the engine's vector width, {@link VectorWidth} (scalar when vectors are narrower than 128 bits). */
    static MatVec preferred() {
        return switch (VectorWidth.FLOAT.vectorBitSize()) {
            case 512 -> V512;
            case 256 -> V256;
            case 128 -> V128;
            default -> SCALAR;
        };
    }

    /** Outputs [from, n) with the same arithmetic as a vector lane, walking the weights row by row. */
    private static void scalar(float[] wt, int k, int n, int from, float[] x, int xOff, float[] bias, float[] y, int yOff) {
        if (from >= n) return;
        Arrays.fill(y, yOff + from, yOff + n, 0f);
        for (int i = 0, row = 0; i < k; i++, row += n) {
            float xi = x[xOff + i];
            for (int o = from; o < n; o++) y[yOff + o] = Math.fma(wt[row + o], xi, y[yOff + o]);
        }
        for (int o = from; o < n; o++) y[yOff + o] += bias[o];
    }
}
