package io.github.qwenasr.kernel;

import io.github.qwenasr.kernel.KernelPaths.Path;
import io.github.qwenasr.weights.DType;
import io.github.qwenasr.weights.Tensor;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Linear layers over memory-mapped weights: {@code y[m][n] = sum_k x[m][k] * W[n][k] + b[n]}
 * with W stored [out][in] as in the checkpoint (docs/model.md 1.5).
 *
 * <p>Two shapes of work: one row of x (decode) is a bandwidth-bound mat-vec that streams the bf16
 * weights once, one row after another, two bf16 values per int lane (docs/kernels.md 1, idiom C; see
 * {@link MatVecInput}). Many rows (encoder, prefill, conv stem as im2col) widen a block of weight
 * rows to f32 once (half-width short load, part-0 cast, 16-bit shift: idiom A) and reuse it for
 * every row of x with a register tile. A mat-vec is cut into chunks of about 96 KB of weights that
 * the workers share dynamically ({@link Parallel#forChunks}); the many-row kernels split features
 * into one contiguous range per worker.
 */
public final class MatMul {
    private MatMul() {}

    static final VectorSpecies<Float> F = VectorWidth.FLOAT;
    static final VectorSpecies<Short> S = VectorSpecies.of(short.class, VectorShape.forBitSize(F.vectorBitSize() / 2));
    static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    static final int L = F.length();
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    /** Target bytes of widened weight rows kept hot per worker in the many-row kernel. */
    private static final int BLOCK_BYTES = 768 * 1024;

    /**
     * y[m*N + n] = x[m*K ...] . W[n] + bias[n] for m in [0, M).
     *
     * @param bias may be null
     */
    public static void linear(Parallel par, float[] x, int m, Tensor w, float[] bias, float[] y) {
        int n = w.rows();
        int k = w.cols();
        if ((long) m * k > x.length || (long) m * n > y.length) {
            throw new IllegalArgumentException("linear: buffers too small for " + w.name());
        }
        if (VectorWidth.SCALAR) {
            assert KernelPaths.ran(Path.LINEAR_SCALAR);
            linearReference(x, m, w, bias, y);
        } else if (m == 1) {
            // Small chunks balance the two cores; a very tall matrix (the output head) takes
            // larger ones so that claiming a chunk stays rare (a few hundred per mat-vec).
            int rows = Math.max(chunkRows(k), n / (par.threads() * 256) & ~3);
            MatVecInput in = new MatVecInput(k).set(x, 0, k);
            par.forChunks((n + rows - 1) / rows, c -> {
                int s = c * rows;
                matVecRows(w, in, s, Math.min(n, s + rows), y, 0);
                if (bias != null) {
                    for (int r = s; r < Math.min(n, s + rows); r++) y[r] += bias[r];
                }
            });
        } else if (offloads(par, w, m)) {
            // A native backend runs on its own threads: one call at a time per pool, like a dispatch.
            synchronized (par) {
                par.gemm().linear(par, x, m, k, w.data(), n, bias, y);
            }
        } else {
            // Panels of Gemm.NR features go to the packed GEMM; a ragged tail (not in the real
            // models) takes the dot-form path.
            int full = n - n % Gemm.NR;
            int block = Math.max(4, Math.min(64, (BLOCK_BYTES / (k * 4)) & ~3));
            par.forRange(n, Gemm.NR, (s, e) -> {
                int split = Math.min(e, Math.max(s, full));
                if (s < split) Gemm.run(x, m, k, w, bias, y, n, s, split);
                if (split < e) manyRows(x, m, k, w, split, e, block, bias, y, n);
            });
        }
    }

    /** Narrowest input the native GEMM takes: thinner products (the first conv's 9 taps) stay in Java. */
    private static final int MIN_NATIVE_K = 64;

    /**
     * Whether {@link #linear} hands m rows times w to the pool's native {@link GemmBackend}
     * (ComputeMode.BF16): bf16 weights, more than one row (decode mat-vecs stay in Java, they are
     * bound by memory, not arithmetic) and an input at least {@value #MIN_NATIVE_K} wide.
     */
    public static boolean offloads(Parallel par, Tensor w, int m) {
        return par.gemm() != null && !VectorWidth.SCALAR && m > 1 && w.dtype() == DType.BF16 && w.cols() >= MIN_NATIVE_K;
    }

    /** Bytes of weights per work chunk of a mat-vec: tens of microseconds of streaming. */
    private static final int CHUNK_BYTES = 96 * 1024;

    /**
     * Rows per dynamically scheduled chunk of a mat-vec with rows of k elements: about
     * {@link #CHUNK_BYTES} of bf16 weights, a multiple of 4 (the kernel's row block), at least 4.
     */
    public static int chunkRows(int k) {
        return Math.max(4, (CHUNK_BYTES / (2 * Math.max(1, k))) & ~3);
    }

    /**
     * One slice of a mat-vec: y[yOff + r] = W[r] . x for rows r in [start, end), no bias. Streams
     * bf16 weights one row after another (each worker reads one contiguous range, which keeps the
     * hardware prefetchers on a single stream); other dtypes take a scalar path.
     */
    public static void matVecRows(Tensor w, MatVecInput x, int start, int end, float[] y, int yOff) {
        int k = w.cols();
        if (x.length() != k) throw new IllegalArgumentException("mat-vec input has " + x.length() + " elements, " + w.name() + " needs " + k);
        if (VectorWidth.SCALAR) {
            matVecScalar(w, x.natural(), x.offset(), start, end, y, yOff);
        } else if (w.dtype() == DType.BF16) {
            Bf16MatVec.rows(x.ordered(), w.data(), k, start, end, y, yOff);
        } else {
            assert KernelPaths.ran(Path.MATVEC_OTHER_DTYPE);
            float[] row = new float[k];
            for (int r = start; r < end; r++) {
                w.copyTo((long) r * k, row, 0, k);
                y[yOff + r] = dot(x.natural(), x.offset(), row, 0, k);
            }
        }
    }

    /** The scalar path of {@link #matVecRows}: each row widened, then a double sum rounded once. */
    private static void matVecScalar(Tensor w, float[] x, int xOff, int start, int end, float[] y, int yOff) {
        assert KernelPaths.ran(Path.MATVEC_SCALAR);
        int k = w.cols();
        float[] row = new float[k];
        for (int r = start; r < end; r++) {
            w.copyTo((long) r * k, row, 0, k);
            double s = 0;
            for (int i = 0; i < k; i++) s += (double) x[xOff + i] * row[i];
            y[yOff + r] = (float) s;
        }
    }

    /** Widens bf16 bits at a byte offset into a float vector (docs/kernels.md 1, idiom A). */
    private static FloatVector bf16(MemorySegment seg, long byteOff) {
        ShortVector sv = ShortVector.fromMemorySegment(S, seg, byteOff, LE);
        IntVector iv = (IntVector) sv.castShape(I, 0);
        return iv.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    private static float bf16Scalar(MemorySegment w, long byteOff) {
        return Float.intBitsToFloat((w.get(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, byteOff) & 0xFFFF) << 16);
    }

    /** Widens weight rows [row0, row0+rows) into dst (row-major, k floats each). */
    static void widenRows(Tensor w, int row0, int rows, int k, float[] dst) {
        if (w.dtype() != DType.BF16) {
            w.copyTo((long) row0 * k, dst, 0, rows * k);
            return;
        }
        MemorySegment seg = w.data();
        int total = rows * k;
        long base = (long) row0 * k * 2;
        int upper = F.loopBound(total);
        int i = 0;
        for (; i < upper; i += L) bf16(seg, base + 2L * i).intoArray(dst, i);
        for (; i < total; i++) dst[i] = bf16Scalar(seg, base + 2L * i);
    }

    static void manyRows(float[] x, int m, int k, Tensor w, int start, int end, int block, float[] bias, float[] y, int n) {
        float[] wb = new float[block * k];
        for (int n0 = start; n0 < end; n0 += block) {
            int nb = Math.min(block, end - n0);
            widenRows(w, n0, nb, k, wb);
            for (int m0 = 0; m0 < m; m0 += 4) {
                int mb = Math.min(4, m - m0);
                for (int j = 0; j < nb; j += 4) {
                    int jb = Math.min(4, nb - j);
                    if (mb == 4 && jb == 4) {
                        assert KernelPaths.ran(Path.MANY_ROWS_TILE);
                        tile4x4(x, m0, k, wb, j, y, n, n0 + j, bias);
                    } else {
                        assert KernelPaths.ran(Path.MANY_ROWS_EDGE);
                        for (int a = 0; a < mb; a++) {
                            for (int b = 0; b < jb; b++) {
                                float s = dot(x, (m0 + a) * k, wb, (j + b) * k, k);
                                int col = n0 + j + b;
                                y[(m0 + a) * n + col] = bias != null ? s + bias[col] : s;
                            }
                        }
                    }
                }
            }
        }
    }

    private static void tile4x4(float[] x, int m0, int k, float[] wb, int j, float[] y, int n, int col0, float[] bias) {
        int x0 = m0 * k, x1 = x0 + k, x2 = x1 + k, x3 = x2 + k;
        int w0 = j * k, w1 = w0 + k, w2 = w1 + k, w3 = w2 + k;
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F), c02 = FloatVector.zero(F), c03 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F), c12 = FloatVector.zero(F), c13 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F), c22 = FloatVector.zero(F), c23 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F), c32 = FloatVector.zero(F), c33 = FloatVector.zero(F);
        int upper = F.loopBound(k);
        for (int i = 0; i < upper; i += L) {
            FloatVector b0 = FloatVector.fromArray(F, wb, w0 + i);
            FloatVector b1 = FloatVector.fromArray(F, wb, w1 + i);
            FloatVector b2 = FloatVector.fromArray(F, wb, w2 + i);
            FloatVector b3 = FloatVector.fromArray(F, wb, w3 + i);
            FloatVector a = FloatVector.fromArray(F, x, x0 + i);
            c00 = a.fma(b0, c00); c01 = a.fma(b1, c01); c02 = a.fma(b2, c02); c03 = a.fma(b3, c03);
            a = FloatVector.fromArray(F, x, x1 + i);
            c10 = a.fma(b0, c10); c11 = a.fma(b1, c11); c12 = a.fma(b2, c12); c13 = a.fma(b3, c13);
            a = FloatVector.fromArray(F, x, x2 + i);
            c20 = a.fma(b0, c20); c21 = a.fma(b1, c21); c22 = a.fma(b2, c22); c23 = a.fma(b3, c23);
            a = FloatVector.fromArray(F, x, x3 + i);
            c30 = a.fma(b0, c30); c31 = a.fma(b1, c31); c32 = a.fma(b2, c32); c33 = a.fma(b3, c33);
        }
        float[] s = {
            c00.reduceLanes(VectorOperators.ADD), c01.reduceLanes(VectorOperators.ADD),
            c02.reduceLanes(VectorOperators.ADD), c03.reduceLanes(VectorOperators.ADD),
            c10.reduceLanes(VectorOperators.ADD), c11.reduceLanes(VectorOperators.ADD),
            c12.reduceLanes(VectorOperators.ADD), c13.reduceLanes(VectorOperators.ADD),
            c20.reduceLanes(VectorOperators.ADD), c21.reduceLanes(VectorOperators.ADD),
            c22.reduceLanes(VectorOperators.ADD), c23.reduceLanes(VectorOperators.ADD),
            c30.reduceLanes(VectorOperators.ADD), c31.reduceLanes(VectorOperators.ADD),
            c32.reduceLanes(VectorOperators.ADD), c33.reduceLanes(VectorOperators.ADD)
        };
        for (int i = upper; i < k; i++) {
            for (int a = 0; a < 4; a++) {
                float xv = x[x0 + a * k + i];
                for (int b = 0; b < 4; b++) s[a * 4 + b] += xv * wb[w0 + b * k + i];
            }
        }
        for (int a = 0; a < 4; a++) {
            int row = (m0 + a) * n + col0;
            for (int b = 0; b < 4; b++) {
                y[row + b] = bias != null ? s[a * 4 + b] + bias[col0 + b] : s[a * 4 + b];
            }
        }
    }

    /** Dot product of two float runs of length k (vectorised, used by attention too; a double sum when scalar). */
    public static float dot(float[] a, int aOff, float[] b, int bOff, int k) {
        if (VectorWidth.SCALAR) {
            assert KernelPaths.ran(Path.DOT_SCALAR);
            double s = 0;
            for (int i = 0; i < k; i++) s += (double) a[aOff + i] * b[bOff + i];
            return (float) s;
        }
        int upper = F.loopBound(k);
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (; i < upper; i += L) {
            acc = FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), acc);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        assert i == k || KernelPaths.ran(Path.DOT_TAIL);
        for (; i < k; i++) s += a[aOff + i] * b[bOff + i];
        return s;
    }

    /** y[off..off+k) += alpha * x[xOff..xOff+k) (vectorised; attention's weighted sum of values). */
    public static void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int k) {
        if (VectorWidth.SCALAR) {
            assert KernelPaths.ran(Path.AXPY_SCALAR);
            for (int i = 0; i < k; i++) y[yOff + i] = Math.fma(alpha, x[xOff + i], y[yOff + i]);
            return;
        }
        int upper = F.loopBound(k);
        FloatVector av = FloatVector.broadcast(F, alpha);
        int i = 0;
        for (; i < upper; i += L) {
            FloatVector.fromArray(F, x, xOff + i).fma(av, FloatVector.fromArray(F, y, yOff + i)).intoArray(y, yOff + i);
        }
        assert i == k || KernelPaths.ran(Path.AXPY_TAIL);
        for (; i < k; i++) y[yOff + i] += alpha * x[xOff + i];
    }

    /** Scalar reference of {@link #linear}, in double: the scalar path, and the tests' reference of the fast paths. */
    public static void linearReference(float[] x, int m, Tensor w, float[] bias, float[] y) {
        int n = w.rows();
        int k = w.cols();
        float[] row = new float[k];
        for (int j = 0; j < n; j++) {
            w.copyTo((long) j * k, row, 0, k);
            for (int r = 0; r < m; r++) {
                double s = bias != null ? bias[j] : 0;
                for (int i = 0; i < k; i++) s += (double) x[r * k + i] * row[i];
                y[r * n + j] = (float) s;
            }
        }
    }
}
