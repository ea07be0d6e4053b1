package io.github.qwenasr.kernel;

import io.github.qwenasr.weights.Int8Quantizer;
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
 * Decode mat-vec (one token): {@link LinearWeights#linear} with m = 1 on the decoder's shapes
 * (docs/kernels.md 2), for bf16 weights and their int8 quantization ({@code format}: bf16, int8 with one
 * scale per row, int8-g64 / int8-g128 with groups). Bandwidth-bound: GB/s = weight bytes (2 per bf16
 * value; 1 per int8 value plus 4 per scale) / time per op. 1024x1024 fits in L2/L3 (compute-side
 * speed); 151936x1024 is the LM head (311 MB in bf16, DRAM-bound, the floor's case).
 * {@link DecoderPassBench} streams a whole decoder pass from memory.
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

    @Param({"bf16", "int8", "int8-g64", "int8-g128"})
    public String format;

    private Arena arena;
    private Parallel par;
    private LinearWeights w;
    private float[] x;
    private float[] y;

    @Setup
    public void setUp() {
        int[] d = BenchWeights.dims(shape);
        arena = Arena.ofShared();
        par = new Parallel(threads);
        w = BenchWeights.weights(format, BenchWeights.bf16(arena, d[0], d[1], 42), arena);
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
        w.linear(par, x, 1, y);
        return y;
    }
}
