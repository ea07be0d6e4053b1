package io.github.qwenasr.kernel;

import io.github.qwenasr.kernel.KernelPaths.Path;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Matrix-vector products with the weights stored input-major ({@code wt[i * n + o]}), as the Silero
 * VAD keeps its small matrices: {@code y[o] = sum_i x[i] * wt[i][o] + bias[o]}, vector lanes over
 * outputs. Every output is a chain of fused multiply-adds over i in order, then one add of the bias,
 * at every width: the scalar path and each vector width give bit-identical results (no horizontal
 * sums, whose order the Vector API leaves open).
 */
public enum InputMajorMatVec {
    /** Plain loops with the arithmetic of one vector lane. */
    SCALAR {
        @Override
        public void run(float[] wt, int k, int n, float[] x, int xOff, float[] bias, float[] y, int yOff) {
            scalar(wt, k, n, 0, x, xOff, bias, y, yOff);
        }
    },
    /** Blocks of four vectors of {@link VectorWidth#FLOAT}, then single vectors, then the scalar tail. */
    VECTOR {
        @Override
        public void run(float[] wt, int k, int n, float[] x, int xOff, float[] bias, float[] y, int yOff) {
            VectorSpecies<Float> f = VectorWidth.FLOAT;
            int lanes = f.length();
            int o = 0;
            for (; o + 4 * lanes <= n; o += 4 * lanes) {
                assert KernelPaths.ran(Path.INPUT_MAJOR_BLOCK4);
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
                assert KernelPaths.ran(Path.INPUT_MAJOR_SINGLE);
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
    public abstract void run(float[] wt, int k, int n, float[] x, int xOff, float[] bias, float[] y, int yOff);

    /** The kernel of the width setting ({@link VectorWidth}): {@link #SCALAR} on the scalar path, else {@link #VECTOR}. */
    public static InputMajorMatVec forWidth() {
        return VectorWidth.SCALAR ? SCALAR : VECTOR;
    }

    /** Outputs [from, n) with the same arithmetic as a vector lane, walking the weights row by row. */
    private static void scalar(float[] wt, int k, int n, int from, float[] x, int xOff, float[] bias, float[] y, int yOff) {
        if (from >= n) return;
        assert KernelPaths.ran(Path.INPUT_MAJOR_TAIL);
        Arrays.fill(y, yOff + from, yOff + n, 0f);
        for (int i = 0, row = 0; i < k; i++, row += n) {
            float xi = x[xOff + i];
            for (int o = from; o < n; o++) y[yOff + o] = Math.fma(wt[row + o], xi, y[yOff + o]);
        }
        for (int o = from; o < n; o++) y[yOff + o] += bias[o];
    }
}
