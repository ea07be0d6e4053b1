package io.github.qwenasr.kernel;

import io.github.qwenasr.weights.Tensor;
import java.lang.foreign.Arena;
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
 * Decode mat-vec (one token, bf16 weights): {@link MatMul#linear} with m = 1 on the decoder's shapes
 * (docs/kernels.md 2). Bandwidth-bound: GB/s = shape rows x cols x 2 bytes / time per op. 1024x1024 fits
 * in L2/L3 (compute-side speed); 151936x1024 is the LM head (311 MB, DRAM-bound, the floor's case).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-XX:+UseParallelGC", "-Xss4m"})
public class MatVecBench {
    /** out x in: attention o-proj, q-proj, FFN down, FFN up/gate, LM head. */
    @Param({"1024x1024", "2048x1024", "1024x3072", "3072x1024", "151936x1024"})
    public String shape;

    @Param({"1"})
    public int threads;

    private Arena arena;
    private Parallel par;
    private Tensor w;
    private float[] x;
    private float[] y;

    @Setup
    public void setUp() {
        int[] d = BenchWeights.dims(shape);
        arena = Arena.ofShared();
        par = new Parallel(threads);
        w = BenchWeights.bf16(arena, d[0], d[1], 42);
        x = BenchWeights.floats(d[1], 7);
        y = new float[d[0]];
    }

    @TearDown
    public void tearDown() {
        par.close();
        arena.close();
    }

    @Benchmark
    public float[] matvec() {
        MatMul.linear(par, x, 1, w, null, y);
        return y;
    }
}
