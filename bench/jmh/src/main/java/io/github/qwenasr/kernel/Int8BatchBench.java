package io.github.qwenasr.kernel;

import io.github.qwenasr.weights.Int8Matrix;
import io.github.qwenasr.weights.Int8Quantizer;
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
 * The batched int8 mat-vec ({@link Int8MatVec#rowsBatch}): B input rows against one weight, each
 * weight row read from memory once for all B. {@code layers} distinct copies of the weight are cycled
 * so that they do not stay in the caches (28 x 3072x1024 = 88 MB). Time per op / B = time per row of
 * input; B = 1 runs the single-input kernel.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-XX:+UseParallelGC", "-Xss4m"})
public class Int8BatchBench {
    @Param({"3072x1024"})
    public String shape;

    @Param({"1", "2", "4", "8"})
    public int batch;

    @Param({"2"})
    public int threads;

    @Param({"0"})
    public int group;

    @Param({"28"})
    public int layers;

    private Arena arena;
    private Parallel par;
    private Int8Matrix[] w;
    private MatVecInput[] in;
    private float[] y;
    private int next;

    @Setup
    public void setUp() {
        int[] d = BenchWeights.dims(shape);
        arena = Arena.ofShared();
        par = new Parallel(threads);
        w = new Int8Matrix[layers];
        for (int l = 0; l < layers; l++) w[l] = Int8Quantizer.quantize(BenchWeights.bf16(arena, d[0], d[1], 42 + l), group, arena);
        in = new MatVecInput[batch];
        for (int b = 0; b < batch; b++) in[b] = new MatVecInput(d[1], false, true).set(BenchWeights.floats(d[1], 7 + b), 0, d[1]);
        y = new float[batch * d[0]];
    }

    @TearDown
    public void tearDown() {
        par.close();
        arena.close();
    }

    @Benchmark
    public float[] rows() {
        Int8Matrix m = w[next];
        next = (next + 1) % w.length;
        int n = m.rows();
        int rows = Math.max(4, (96 * 1024 / m.cols()) & ~3);
        if (batch == 1) {
            par.forChunks((n + rows - 1) / rows, c -> Int8MatVec.rows(m, in[0], c * rows, Math.min(n, c * rows + rows), y, 0));
        } else {
            par.forChunks((n + rows - 1) / rows, c -> Int8MatVec.rowsBatch(m, in, batch, c * rows, Math.min(n, c * rows + rows), y, 0, n));
        }
        return y;
    }
}
