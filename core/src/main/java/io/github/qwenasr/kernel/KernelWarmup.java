package io.github.qwenasr.kernel;

import io.github.qwenasr.weights.DType;
import io.github.qwenasr.weights.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Gets the many-row kernels compiled by C2 while the model is still loading (docs/kernels.md 5: Vector
 * API code in the interpreter or C1 is 10-100x slower and allocates, and the first encoder call
 * would otherwise run in it until the JIT catches up). A daemon thread runs the GEMM on tiny
 * bf16 and f32-panel weights, with and without bias, whole and partial token groups and several
 * k-blocks, so the profile C2 compiles from is the one real calls produce. Loading is mostly one
 * thread, so on a 2-core machine this uses the otherwise idle core; it stops as soon as real work
 * begins ({@link #stop}), so it never competes with an encoder call for the cores.
 */
public final class KernelWarmup {
    private KernelWarmup() {}

    private static final AtomicBoolean STARTED = new AtomicBoolean();
    private static volatile boolean stopRequested;
    /** Calls per shape: enough invocations and loop back-edges for tier-4 compilation. */
    private static final int ROUNDS = 400;

    /** Starts the warm-up once per process (later calls do nothing); disabled by -Dqwenasr.warmup=false. */
    public static void startOnce() {
        // Nothing to compile ahead on the scalar path.
        if (VectorWidth.SCALAR || !Boolean.parseBoolean(System.getProperty("qwenasr.warmup", "true"))) return;
        if (!STARTED.compareAndSet(false, true)) return;
        Thread t = new Thread(KernelWarmup::run, "qwen-asr-kernel-warmup");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    /** Ends a running warm-up after its current round (called when real work starts). */
    public static void stop() {
        if (!stopRequested) stopRequested = true;
    }

    /** Runs the warm-up on the calling thread. */
    static void run() {
        int k = 520; // two full k-blocks and a short one
        int n = 2 * Gemm.NR;
        int m = 2 * Gemm.MR + 2; // whole groups and a partial one
        MemorySegment seg = Arena.ofAuto().allocate((long) n * k * 2, 64);
        for (long i = 0; i < (long) n * k; i++) {
            float v = (float) Math.sin(i * 0.37) * 0.05f;
            seg.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i, (short) (Float.floatToRawIntBits(v) >>> 16));
        }
        Tensor w = new Tensor("warmup", DType.BF16, new long[] {n, k}, seg, "warmup");
        float[] panels = Gemm.packAll(w);
        float[] x = new float[m * k];
        for (int i = 0; i < x.length; i++) x[i] = (float) Math.cos(i * 0.11);
        float[] xp = new float[Gemm.packedTokensLength(m, k)];
        float[] bias = new float[n];
        float[] y = new float[m * n];
        float[] g = new float[4096];
        for (int r = 0; r < ROUNDS && !stopRequested; r++) {
            Gemm.run(x, m, k, w, (r & 1) == 0 ? bias : null, y, n, 0, n);
            Gemm.packTokens(x, m, k, 0, k, xp, new int[MatMul.L]);
            Gemm.runPacked(xp, m, k, panels, bias, y, n, 0, n);
            for (int i = 0; i < g.length; i++) g[i] = Ops.gelu((i - 2048) * 0.004f);
        }
    }
}
