package io.github.qwenasr.nativebf16;

import static org.junit.jupiter.api.Assertions.*;

import io.github.qwenasr.kernel.MatMul;
import io.github.qwenasr.kernel.Parallel;
import io.github.qwenasr.weights.DType;
import io.github.qwenasr.weights.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * oneDNN's bf16 GEMM against double-precision references and the Java f32 GEMM on the engine's
 * shapes (tokens x in x out). With S = sum_i |x_i w_i| for one output:
 * <ul>
 * <li>rounding x to bf16 moves each term by at most 2^-8 |x_i w_i| (8 significant bits, nearest):
 *     at most 2^-8 S in all;</li>
 * <li>summing k terms in f32 adds at most about k 2^-24 S (counted twice here, k 2^-23 S, for the
 *     order the library sums in and the final rounding).</li>
 * </ul>
 * So against the exact product the bound is (2^-8 + k 2^-23) S, against the product of the rounded
 * inputs k 2^-23 S alone (which a truncating or unrounded conversion would break), and against
 * the Java f32 GEMM (itself within k 2^-23 S) (2^-8 + 2 k 2^-23) S.
 */
class OneDnnGemmAccuracyTest {
    private static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** The backend, on a CPU with bf16 arithmetic; each test is reported as skipped elsewhere. */
    private static OneDnnBf16Gemm backend() {
        String cpu = CpuFlags.bf16Missing();
        Assumptions.assumeTrue(cpu == null, "no bf16 GEMM on this CPU (OneDnnAvailabilityTest checks the refusal): " + cpu);
        OneDnnBf16Gemm gemm = new OneDnnBf16Gemm();
        assertNull(gemm.unavailableReason(), "oneDNN must run here");
        return gemm;
    }

    @ParameterizedTest(name = "{0}x{1}x{2} bias={3}")
    @CsvSource({
        "104, 896, 896, true",      // encoder window, q/k/v/o
        "104, 896, 3584, true",     // encoder fc1
        "104, 3584, 896, true",     // encoder fc2
        "143, 896, 3584, true",     // jfk.wav's whole encoder
        "800, 4320, 480, true",     // conv stem conv2/conv3 (im2col of one chunk)
        "158, 1024, 2048, false",   // prefill q
        "158, 1024, 3072, false",   // prefill gate/up
        "158, 3072, 1024, false",   // prefill down
        "3, 70, 5, true",           // ragged: tails everywhere
        "17, 129, 33, false"})
    void nativeBf16GemmIsWithinBf16Rounding(int m, int k, int n, boolean withBias) {
        OneDnnBf16Gemm gemm = backend();
        SplittableRandom r = new SplittableRandom(m * 1_000_003L + k * 31L + n);
        MemorySegment w = Arena.ofAuto().allocate(2L * n * k, 64);
        float[] wf = new float[n * k];
        for (int i = 0; i < wf.length; i++) {
            short bits = Bf16Rounding.round((float) (r.nextGaussian() * 0.05));
            w.setAtIndex(SHORT_LE, i, bits);
            wf[i] = Float.intBitsToFloat(bits << 16);
        }
        float[] x = new float[m * k];
        for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextGaussian() * (1 + (i % 7)));   // uneven magnitudes
        float[] bias = withBias ? new float[n] : null;
        if (bias != null) for (int j = 0; j < n; j++) bias[j] = (float) r.nextGaussian();

        float[] got = new float[m * n];
        float[] java = new float[m * n];
        try (Parallel par = new Parallel(2)) {
            gemm.linear(par, x, m, k, w, n, bias, got);
            MatMul.linear(par, x, m, new Tensor("w", DType.BF16, new long[] {n, k}, w, "test"), bias, java);
        }

        double ku = k * Math.pow(2, -23);
        double bf = Math.pow(2, -8);
        int step = m > 200 ? 13 : 1;   // every row of the small shapes, a spread of the large ones
        double[] worst = IntStream.iterate(0, row -> row < m, row -> row + step).parallel().mapToObj(row -> {
            float[] xr = new float[k];
            for (int i = 0; i < k; i++) xr[i] = Float.intBitsToFloat(Bf16Rounding.round(x[row * k + i]) << 16);
            double[] wr = new double[4];
            for (int j = 0; j < n; j++) {
                double exact = bias != null ? bias[j] : 0, rounded = exact, s = 0;
                for (int i = 0; i < k; i++) {
                    double wv = wf[j * k + i];
                    exact += x[row * k + i] * wv;
                    rounded += xr[i] * wv;
                    s += Math.abs(x[row * k + i] * wv);
                }
                double y = got[row * n + j];
                String at = "y[" + row + "][" + j + "]";
                double slack = Math.ulp((float) exact);
                assertTrue(Math.abs(y - rounded) <= ku * s + slack, at + ": " + y + " vs rounded-input product " + rounded);
                assertTrue(Math.abs(y - exact) <= (bf + ku) * s + slack, at + ": " + y + " vs exact product " + exact);
                assertTrue(Math.abs(y - java[row * n + j]) <= (bf + 2 * ku) * s + 2 * slack, at + ": " + y + " vs Java " + java[row * n + j]);
                wr[0] = Math.max(wr[0], Math.abs(y - exact) / s);
                wr[1] = Math.max(wr[1], Math.abs(y - rounded) / s);
                wr[2] += (y - exact) * (y - exact);
                wr[3] += exact * exact;
            }
            return wr;
        }).reduce(new double[4], (a, b) -> new double[] {Math.max(a[0], b[0]), Math.max(a[1], b[1]), a[2] + b[2], a[3] + b[3]});
        System.out.printf(Locale.ROOT, "%dx%dx%d: max |err|/S %.2e vs exact (bound %.2e), %.2e vs rounded inputs (bound %.2e), "
                + "rms relative %.2e%n", m, k, n, worst[0], bf + ku, worst[1], ku, Math.sqrt(worst[2] / worst[3]));
    }
}
