package io.github.qwenasr.nativebf16;

import io.github.qwenasr.kernel.GemmBackend;
import io.github.qwenasr.kernel.Parallel;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The {@link GemmBackend} of ComputeMode.BF16: oneDNN's {@code dnnl_gemm_bf16bf16f32} on the
 * checkpoint's bf16 weights as they lie in the mapped file (row-major [out][in], so
 * {@code y = x * W^T} is transb 'T' with B = W, no copy) and the activations rounded to bf16.
 *
 * <p>Usable where oneDNN loads, the CPU has avx512_bf16 or amx_bf16 (/proc/cpuinfo on Linux; the
 * library's own ISA report elsewhere) and a small product with a known answer comes out exact.
 * Activations and results pass through native buffers of the calling thread: a downcall that
 * takes heap arrays would have to be "critical", which holds off every safepoint of the JVM for
 * the whole product (milliseconds).
 */
public final class OneDnnBf16Gemm implements GemmBackend {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final ValueLayout.OfFloat FLOAT_NATIVE = ValueLayout.JAVA_FLOAT.withOrder(ByteOrder.nativeOrder());

    /** The library once probed, with the reason it cannot be used (null when it can). */
    private record Probe(OneDnnLibrary library, String problem) {}

    private volatile Probe probe;

    /** Native work buffers of one thread, grown on demand. */
    private static final class Buffers {
        MemorySegment a = MemorySegment.NULL;
        MemorySegment c = MemorySegment.NULL;

        static MemorySegment atLeast(MemorySegment s, long bytes) {
            return s.byteSize() >= bytes ? s : Arena.ofAuto().allocate(bytes + bytes / 4, 64);
        }
    }

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    /** For {@link java.util.ServiceLoader}; the library is looked for on first use. */
    public OneDnnBf16Gemm() {}

    @Override
    public String name() {
        OneDnnLibrary lib = probe().library();
        if (lib == null) return "oneDNN bf16 GEMM (not available)";
        return lib.version() + " bf16 GEMM (" + lib.file() + (lib.threadsSettable() ? "" : ", its own thread count") + ")";
    }

    @Override
    public String unavailableReason() {
        return probe().problem();
    }

    private Probe probe() {
        Probe p = probe;
        if (p == null) probe = p = check();
        return p;
    }

    /** The CPU first (installing oneDNN would not help a CPU without bf16), then the library. */
    private Probe check() {
        String cpu = CpuFlags.bf16Missing();
        if (cpu != null) return new Probe(null, cpu);
        OneDnnLibrary.Found found = OneDnnLibrary.find();
        if (found.library() == null) return new Probe(null, found.problem());
        OneDnnLibrary lib = found.library();
        int isa = lib.effectiveIsa();
        if (isa == -1 && !CpuFlags.hasCpuInfo()) {
            return new Probe(lib, "cannot tell whether this CPU has bf16 arithmetic: no /proc/cpuinfo and "
                    + lib.file() + " does not report its ISA");
        }
        if (isa != -1 && (isa & OneDnnLibrary.ISA_AVX512_BF16) != OneDnnLibrary.ISA_AVX512_BF16) {
            return new Probe(lib, lib.version() + " dispatches to ISA 0x" + Integer.toHexString(isa)
                    + " here, below avx512_core_bf16 (is ONEDNN_MAX_CPU_ISA set?)");
        }
        String selfTest = selfTest(lib);
        return new Probe(lib, selfTest);
    }

    /**
     * A 3 x 70 by 70 x 5 product with bias on values bf16 holds exactly and sums f32 holds exactly:
     * catches a library whose GEMM refuses this CPU or reads another layout. Null when exact.
     */
    private String selfTest(OneDnnLibrary lib) {
        int m = 3, k = 70, n = 5;
        float[] x = new float[m * k];
        for (int i = 0; i < x.length; i++) x[i] = ((i * 7) % 11 - 5) / 4f;
        MemorySegment w = Arena.ofAuto().allocate(2L * n * k, 2);
        float[] wf = new float[n * k];
        for (int i = 0; i < wf.length; i++) {
            wf[i] = ((i * 5) % 13 - 6) / 8f;
            w.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), i, Bf16Rounding.round(wf[i]));
        }
        float[] bias = {0.5f, -1f, 2f, 0f, 3.25f};
        float[] y = new float[m * n];
        try (Parallel one = new Parallel(1)) {
            run(lib, one, x, m, k, w, n, bias, y);
        } catch (IllegalStateException e) {
            return lib.version() + " (" + lib.file() + ") refused its bf16 GEMM in a self-test: " + e.getMessage();
        }
        for (int r = 0; r < m; r++) {
            for (int j = 0; j < n; j++) {
                double s = bias[j];
                for (int i = 0; i < k; i++) s += (double) x[r * k + i] * wf[j * k + i];
                if (y[r * n + j] != (float) s) {
                    return lib.version() + " (" + lib.file() + ") gave a wrong bf16 GEMM result in a self-test (y["
                            + r + "][" + j + "] = " + y[r * n + j] + ", expected " + s + ")";
                }
            }
        }
        return null;
    }

    @Override
    public void linear(Parallel par, float[] x, int m, int k, MemorySegment w, int n, float[] bias, float[] y) {
        Probe p = probe();
        if (p.problem() != null) throw new IllegalStateException("bf16 GEMM unavailable: " + p.problem());
        run(p.library(), par, x, m, k, w, n, bias, y);
    }

    /** Output features per slice a worker takes: whole cache lines of results, and whole vectors. */
    private static final int FEATURE_ALIGN = 16;

    /**
     * The product runs on the pool's own workers, each on a slice of output features with oneDNN
     * on one thread: C[:, n0:n1] = A * W[n0:n1]^T (W's rows are contiguous, C's columns ldc = n
     * apart). oneDNN's OpenMP workers would be a second set of threads beside the pool's: every
     * product would wake them and every Java step between products the pool's, which on a busy
     * machine costs a scheduling delay each time (on 2 loaded cores the warm jfk.wav encoder ran
     * slower than exact that way). Rounding (m*k values) is one pass before, shared by rows; each
     * worker copies its own columns back (adding the bias) right after its product. A oneDNN
     * whose thread count cannot be set (not an OpenMP build) gets the whole product in one call.
     */
    private static void run(OneDnnLibrary lib, Parallel par, float[] x, int m, int k, MemorySegment w, int n,
                            float[] bias, float[] y) {
        long mk = (long) m * k;
        long mn = (long) m * n;
        if (m < 1 || k < 1 || n < 1 || mk > x.length || mn > y.length || w.byteSize() < 2L * n * k
                || (bias != null && bias.length < n)) {
            throw new IllegalArgumentException("bf16 GEMM: buffers too small for " + m + "x" + k + "x" + n);
        }
        Buffers b = BUFFERS.get();
        MemorySegment a = b.a = Buffers.atLeast(b.a, 2 * mk);
        MemorySegment c = b.c = Buffers.atLeast(b.c, 4 * mn);
        par.forRange(m, 1, (r0, r1) -> Bf16Rounding.round(x, r0 * k, (r1 - r0) * k, a.asSlice(2L * r0 * k)));
        if (!lib.threadsSettable()) {
            requireSuccess(lib.gemmAbt(m, n, k, a, w, c, n));
            par.forRange(n, FEATURE_ALIGN, (n0, n1) -> copyOut(c, m, n, n0, n1, bias, y));
            return;
        }
        par.forRange(n, FEATURE_ALIGN, (n0, n1) -> {
            lib.setThreads(1);
            requireSuccess(lib.gemmAbt(m, n1 - n0, k, a, w.asSlice(2L * n0 * k), c.asSlice(4L * n0), n));
            copyOut(c, m, n, n0, n1, bias, y);
        });
    }

    private static void requireSuccess(int status) {
        if (status != 0) throw new IllegalStateException("dnnl_gemm_bf16bf16f32 returned status " + OneDnnLibrary.status(status));
    }

    /** Columns [n0, n1) of every row: y = c (+ bias). */
    private static void copyOut(MemorySegment c, int m, int n, int n0, int n1, float[] bias, float[] y) {
        int upper = n0 + F.loopBound(n1 - n0);
        for (int r = 0; r < m; r++) {
            int row = r * n;
            if (bias == null) {
                MemorySegment.copy(c, FLOAT_NATIVE, 4L * (row + n0), y, row + n0, n1 - n0);
                continue;
            }
            int j = n0;
            for (; j < upper; j += F.length()) {
                FloatVector.fromMemorySegment(F, c, 4L * (row + j), ByteOrder.nativeOrder())
                        .add(FloatVector.fromArray(F, bias, j)).intoArray(y, row + j);
            }
            for (; j < n1; j++) y[row + j] = c.getAtIndex(FLOAT_NATIVE, row + j) + bias[j];
        }
    }
}
