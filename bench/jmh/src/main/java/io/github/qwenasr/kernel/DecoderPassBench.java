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
 * The weight streaming of one decoded token of the 0.6B model: the seven linear layers of 28 decoder
 * layers (q 2048x1024, k and v 1024x1024, o 1024x2048, gate and up 3072x1024, down 1024x3072; 881 MB
 * in bf16), each a separate mat-vec over distinct memory as in a real pass (far more than the last-level
 * cache), and with {@code head} the 151936x1024 bf16 output head (311 MB; it stays bf16 under int8).
 * No attention, norms or activations: ms per pass is the floor the weights set. Setup builds about 1.7 GB
 * of random weights (bf16, then their int8 copies) and takes a while.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 10, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-XX:+UseParallelGC", "-Xss4m"})
public class DecoderPassBench {
    private static final int LAYERS = 28;
    /** out x in of q, k, v, o, gate, up, down. */
    private static final int[][] SHAPES = {{2048, 1024}, {1024, 1024}, {1024, 1024}, {1024, 2048}, {3072, 1024}, {3072, 1024}, {1024, 3072}};

    @Param({"2"})
    public int threads;

    @Param({"bf16", "int8", "int8-g64", "int8-g128"})
    public String format;

    @Param({"false", "true"})
    public boolean head;

    private Arena arena;
    private Parallel par;
    private LinearWeights[] layers;
    private LinearWeights lmHead;
    private float[][] inputs;
    private float[] y;

    @Setup
    public void setUp() {
        arena = Arena.ofShared();
        par = new Parallel(threads);
        layers = new LinearWeights[LAYERS * SHAPES.length];
        long bytes = 0;
        for (int l = 0; l < LAYERS; l++) {
            for (int i = 0; i < SHAPES.length; i++) {
                Tensor t = BenchWeights.bf16(arena, SHAPES[i][0], SHAPES[i][1], 1000L * l + i);
                layers[l * SHAPES.length + i] = BenchWeights.weights(format, t, arena);
                bytes += BenchWeights.bytes(layers[l * SHAPES.length + i]);
            }
        }
        lmHead = head ? new TensorWeights(BenchWeights.bf16(arena, 151936, 1024, 7)) : null;
        if (head) bytes += 2L * 151936 * 1024;
        inputs = new float[][] {BenchWeights.floats(1024, 1), BenchWeights.floats(2048, 2), BenchWeights.floats(3072, 3)};
        y = new float[151936];
        System.out.printf("%n%s: %.1f MB of weights per pass%n", format, bytes / 1e6);
    }

    @TearDown
    public void tearDown() {
        par.close();
        arena.close();
    }

    @Benchmark
    public float[] pass() {
        for (LinearWeights w : layers) w.linear(par, inputs[w.cols() / 1024 - 1], 1, y);
        if (lmHead != null) lmHead.linear(par, inputs[0], 1, y);
        return y;
    }
}
