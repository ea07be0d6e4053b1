package io.github.qwenasr.kernel;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Element-wise kernels of {@link Ops}: RMSNorm over decoder rows (d = 1024) and softmax over an
 * attention row or the whole vocabulary (151936). Softmax works in place, so each call restores its
 * input first; the copy is part of the measured time and small next to the exponentials.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-XX:+UseParallelGC", "-Xss4m"})
public class OpsBench {
    private static final int DIM = 1024;

    /** RMSNorm input: one decode token, or a prefill of 158 tokens. */
    @State(Scope.Benchmark)
    public static class Norm {
        @Param({"1", "158"})
        public int rows;

        float[] src;
        float[] dst;
        float[] gamma;

        @Setup
        public void setUp() {
            src = BenchWeights.floats(rows * DIM, 3);
            dst = new float[rows * DIM];
            gamma = BenchWeights.floats(DIM, 5);
        }
    }

    /** Softmax input: an attention row of a long prompt, or the vocabulary. */
    @State(Scope.Benchmark)
    public static class Soft {
        @Param({"1024", "151936"})
        public int width;

        float[] src;
        float[] dst;

        @Setup
        public void setUp() {
            src = BenchWeights.floats(width, 11);
            dst = new float[width];
        }
    }

    @Benchmark
    public float[] rmsNorm(Norm s) {
        Ops.rmsNorm(s.src, s.dst, s.rows, DIM, s.gamma, 1e-6f);
        return s.dst;
    }

    @Benchmark
    public float[] softmax(Soft s) {
        System.arraycopy(s.src, 0, s.dst, 0, s.width);
        Ops.softmax(s.dst, 0, s.width);
        return s.dst;
    }
}
