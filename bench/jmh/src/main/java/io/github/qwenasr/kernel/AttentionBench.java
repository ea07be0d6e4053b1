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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One layer's attention ({@link Attention#attend}) on the 0.6B shapes, 2 threads (docs/kernels.md
 * 3.1): a decode step over a cache of {@code positions} (16 query heads on 8 kv heads of 128), and
 * the encoder's windows (936 rows in windows of 104, 14 heads of 64).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-XX:+UseParallelGC", "-Xss4m"})
public class AttentionBench {
    @State(Scope.Benchmark)
    public static class Step {
        @Param({"160", "3900"})
        public int positions;

        final Attention.Heads heads = new Attention.Heads(16, 8, 128);
        final Attention.Buffers buffers = new Attention.Buffers();
        Parallel par;
        float[] q;
        float[] out;
        Attention.KeyValues cache;

        @Setup
        public void setUp() {
            par = new Parallel(2);
            q = BenchWeights.floats(heads.width(), 1);
            out = new float[heads.width()];
            float[][] k = new float[8][];
            float[][] v = new float[8][];
            for (int g = 0; g < 8; g++) {
                k[g] = BenchWeights.floats(positions * 128, 2 + g);
                v[g] = BenchWeights.floats(positions * 128, 20 + g);
            }
            cache = Attention.KeyValues.perHead(k, v, heads);
        }

        @TearDown
        public void tearDown() {
            par.close();
        }
    }

    @State(Scope.Benchmark)
    public static class Windows {
        static final int ROWS = 936;
        final Attention.Heads heads = new Attention.Heads(14, 14, 64);
        final Attention.Buffers buffers = new Attention.Buffers();
        Parallel par;
        float[] q;
        float[] out;
        Attention.KeyValues kv;

        @Setup
        public void setUp() {
            par = new Parallel(2);
            q = BenchWeights.floats(ROWS * heads.width(), 3);
            out = new float[ROWS * heads.width()];
            kv = Attention.KeyValues.rows(BenchWeights.floats(ROWS * heads.width(), 4), BenchWeights.floats(ROWS * heads.width(), 5), heads);
        }

        @TearDown
        public void tearDown() {
            par.close();
        }
    }

    @Benchmark
    public float[] decodeStep(Step s) {
        Attention.attend(s.par, s.heads, s.q, 1, s.cache, Attention.Mask.causal(s.positions - 1), s.out, s.buffers);
        return s.out;
    }

    @Benchmark
    public float[] encoderWindows(Windows s) {
        Attention.attend(s.par, s.heads, s.q, Windows.ROWS, s.kv, Attention.Mask.windows(104), s.out, s.buffers);
        return s.out;
    }
}
