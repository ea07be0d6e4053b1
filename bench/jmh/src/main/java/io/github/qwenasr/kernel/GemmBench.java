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
 * Many-row linear layer (the packed GEMM of {@link MatMul#linear} with m > 1) on encoder and prefill
 * shapes (docs/kernels.md 3). GFLOP/s = 2 x m x k x n / time per op. Shapes are tokens x in x out:
 * an encoder window of the 0.6B audio tower (104 tokens, d = 896, FFN 3584) and a prefill of
 * the 11 s clip (158 prompt tokens, d = 1024, q-proj 2048, FFN 3072), jfk.wav's whole encoder (143 tokens)
 * and the 60 s clip's prefill (870 tokens). bench/peers/gemm.c times OpenBLAS and oneDNN on the same
 * shapes (same MxKxN names) for the "80 % of the best library" comparison. {@code -p compute=bf16}
 * times the same call on --compute bf16's native GEMM (qwen-asr-native-bf16, oneDNN).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-XX:+UseParallelGC", "-Xss4m"})
public class GemmBench {
    @Param({"104x896x896", "104x896x3584", "104x3584x896", "143x896x3584", "158x1024x2048", "158x1024x3072",
            "158x3072x1024", "870x1024x3072"})
    public String shape;

    @Param({"1"})
    public int threads;

    /**
     * exact: the Java f32 GEMM; bf16: the pool's native backend as --compute bf16 runs it (activations
     * rounded to bf16, oneDNN's bf16 GEMM, result copied back), found the way a model load finds it.
     */
    @Param({"exact"})
    public String compute;

    private Arena arena;
    private Parallel par;
    private Tensor w;
    private float[] x;
    private float[] bias;
    private float[] y;
    private int m;

    @Setup
    public void setUp() {
        int[] d = BenchWeights.dims(shape);
        m = d[0];
        arena = Arena.ofShared();
        GemmBackend gemm = null;
        if (compute.equals("bf16")) {
            GemmBackends.Found found = GemmBackends.find();
            if (found.backend() == null) throw new IllegalStateException("no bf16 GEMM here: " + found.reason());
            gemm = found.backend();
        } else if (!compute.equals("exact")) {
            throw new IllegalArgumentException("compute must be exact or bf16, got " + compute);
        }
        par = new Parallel(threads, gemm);
        w = BenchWeights.bf16(arena, d[2], d[1], 42);
        x = BenchWeights.floats(m * d[1], 7);
        bias = BenchWeights.floats(d[2], 9);
        y = new float[m * d[2]];
    }

    @TearDown
    public void tearDown() {
        par.close();
        arena.close();
    }

    @Benchmark
    public float[] gemm() {
        MatMul.linear(par, x, m, w, bias, y);
        return y;
    }
}
