package io.github.qwenasr.nativebf16;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * oneDNN found as a system library and bound with FFM downcalls: its bf16 GEMM
 * ({@code dnnl_gemm_bf16bf16f32}, exported by oneDNN 2.x as a test interface and public in 3.x),
 * its version, the ISA it dispatches to, and OpenMP's thread count (oneDNN's Debian build runs on
 * libgomp, which {@code libdnnl} pulls in).
 *
 * <p>The GEMM's contract, as for {@code dnnl_sgemm}: row-major
 * {@code C[M][N] = alpha * op(A)[M][K] * op(B)[K][N] + beta * C}, transa/transb 'N' or 'T' (chars),
 * A and B bf16 bits (uint16), C f32, status 0 on success.
 */
final class OneDnnLibrary {
    /** System property: the library's file name or path, tried instead of the default names. */
    static final String LIBRARY_PROPERTY = "qwenasr.bf16.library";

    /** Names dlopen tries in its usual places (oneDNN 3 and 2, the older MKL-DNN, macOS, Windows). */
    static final List<String> DEFAULT_NAMES = List.of("libdnnl.so.3", "libdnnl.so.2", "libdnnl.so",
            "libmkldnn.so.1", "libmkldnn.so.0", "libdnnl.3.dylib", "libdnnl.2.dylib", "libdnnl.dylib", "dnnl.dll");

    /** oneDNN's dnnl_cpu_isa_avx512_core_bf16: the bits every ISA with native bf16 arithmetic has. */
    static final int ISA_AVX512_BF16 = 0xE7;

    /** Status codes of dnnl_status_t, for messages. */
    private static final String[] STATUS = {"success", "out of memory", "invalid arguments", "unimplemented",
        "iterator ends", "runtime error", "not required", "invalid graph", "invalid graph op",
        "invalid shape", "invalid data type"};

    private static final Linker LINKER = Linker.nativeLinker();
    private static final FunctionDescriptor GEMM = FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_BYTE, ValueLayout.JAVA_BYTE,                        // transa, transb
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,  // M, N, K
            ValueLayout.JAVA_FLOAT,                                              // alpha
            ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,                          // A, lda
            ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,                          // B, ldb
            ValueLayout.JAVA_FLOAT,                                              // beta
            ValueLayout.ADDRESS, ValueLayout.JAVA_LONG);                         // C, ldc

    /** Libraries already bound, by the name that was asked for (binding twice would only waste handles). */
    private static final Map<String, Found> CACHE = new ConcurrentHashMap<>();

    /**
     * The outcome of a search.
     *
     * @param library the bound library, or null
     * @param problem why there is none (null when found)
     */
    record Found(OneDnnLibrary library, String problem) {}

    private final String file;
    private final String version;
    private final MethodHandle gemm;
    private final MethodHandle setThreads; // null: not an OpenMP build, the thread count is oneDNN's own
    private final int isa;                 // -1: the library cannot tell

    private OneDnnLibrary(String file, String version, MethodHandle gemm, MethodHandle setThreads, int isa) {
        this.file = file;
        this.version = version;
        this.gemm = gemm;
        this.setThreads = setThreads;
        this.isa = isa;
    }

    /** The library named by {@value #LIBRARY_PROPERTY}, else the first of {@link #DEFAULT_NAMES} that loads. */
    static Found find() {
        String named = System.getProperty(LIBRARY_PROPERTY);
        if (named != null && !named.isBlank()) {
            return CACHE.computeIfAbsent(named.strip(), n -> {
                Optional<SymbolLookup> lookup = open(n);
                return lookup.isEmpty()
                        ? new Found(null, "oneDNN library " + n + " (-D" + LIBRARY_PROPERTY + ") cannot be loaded: "
                        + "give the path of an existing libdnnl.so, or install oneDNN (Debian/Ubuntu: apt-get install libdnnl2)")
                        : bind(n, lookup.get());
            });
        }
        return CACHE.computeIfAbsent("", unused -> {
            for (String n : DEFAULT_NAMES) {
                Optional<SymbolLookup> lookup = open(n);
                if (lookup.isPresent()) return bind(n, lookup.get());
            }
            return new Found(null, "oneDNN is not installed (none of " + String.join(", ", DEFAULT_NAMES)
                    + " loads): install it (Debian/Ubuntu: apt-get install libdnnl2) or give its path with -D"
                    + LIBRARY_PROPERTY + "=PATH");
        });
    }

    private static Optional<SymbolLookup> open(String name) {
        try {
            return Optional.of(SymbolLookup.libraryLookup(name, Arena.global()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Found bind(String file, SymbolLookup lib) {
        Optional<MemorySegment> gemm = lib.find("dnnl_gemm_bf16bf16f32").or(() -> lib.find("mkldnn_gemm_bf16bf16f32"));
        if (gemm.isEmpty()) {
            return new Found(null, file + " has no bf16 GEMM (dnnl_gemm_bf16bf16f32; oneDNN 2.x and 3.x have it): "
                    + "install oneDNN 2 or newer (Debian/Ubuntu: apt-get install libdnnl2)");
        }
        // dlsym on the library's handle also searches its dependencies, so an OpenMP build finds libgomp's symbol.
        MethodHandle threads = lib.find("omp_set_num_threads")
                .map(s -> LINKER.downcallHandle(s, FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT)))
                .orElse(null);
        int isa = lib.find("dnnl_get_effective_cpu_isa")
                .map(s -> callInt(LINKER.downcallHandle(s, FunctionDescriptor.of(ValueLayout.JAVA_INT))))
                .orElse(-1);
        String version = lib.find("dnnl_version").map(OneDnnLibrary::version).orElse("oneDNN (unknown version)");
        return new Found(new OneDnnLibrary(file, version, LINKER.downcallHandle(gemm.get(), GEMM), threads, isa), null);
    }

    private static int callInt(MethodHandle h) {
        try {
            return (int) h.invokeExact();
        } catch (Throwable t) {
            return -1;
        }
    }

    /** "oneDNN 2.6.3" from dnnl_version()'s struct {int major, minor, patch; ...}. */
    private static String version(MemorySegment symbol) {
        try {
            AddressLayout toThreeInts = ValueLayout.ADDRESS.withTargetLayout(MemoryLayout.sequenceLayout(3, ValueLayout.JAVA_INT));
            MethodHandle h = LINKER.downcallHandle(symbol, FunctionDescriptor.of(toThreeInts));
            MemorySegment v = (MemorySegment) h.invokeExact();
            return "oneDNN " + v.getAtIndex(ValueLayout.JAVA_INT, 0) + "." + v.getAtIndex(ValueLayout.JAVA_INT, 1)
                    + "." + v.getAtIndex(ValueLayout.JAVA_INT, 2);
        } catch (Throwable t) {
            return "oneDNN (unknown version)";
        }
    }

    /** The file that was loaded (name as given to dlopen). */
    String file() {
        return file;
    }

    /** "oneDNN 2.6.3". */
    String version() {
        return version;
    }

    /** oneDNN's dnnl_cpu_isa_t for this machine, or -1 when the library cannot tell. */
    int effectiveIsa() {
        return isa;
    }

    /** Whether the thread count can be set (an OpenMP build). */
    boolean threadsSettable() {
        return setThreads != null;
    }

    /**
     * Sets the OpenMP thread count of the calling thread's next parallel regions (an OpenMP
     * setting belongs to the thread that sets it, so it is set before every product). With 1,
     * oneDNN computes on the calling thread and OpenMP starts no threads of its own.
     */
    void setThreads(int n) {
        if (setThreads == null) return;
        try {
            setThreads.invokeExact(n);
        } catch (Throwable t) {
            throw new IllegalStateException("omp_set_num_threads failed", t);
        }
    }

    /**
     * Row-major {@code c[m][n] = a[m][k] * b[n][k]^T} (transa 'N', transb 'T'; rows of c ldc apart),
     * all three in native memory; returns oneDNN's status (0 = success).
     */
    int gemmAbt(long m, long n, long k, MemorySegment a, MemorySegment b, MemorySegment c, long ldc) {
        try {
            return (int) gemm.invokeExact((byte) 'N', (byte) 'T', m, n, k, 1f, a, k, b, k, 0f, c, ldc);
        } catch (Throwable t) {
            throw new IllegalStateException("dnnl_gemm_bf16bf16f32 failed", t);
        }
    }

    /** "3 (unimplemented)". */
    static String status(int code) {
        return code >= 0 && code < STATUS.length ? code + " (" + STATUS[code] + ")" : Integer.toString(code);
    }
}
