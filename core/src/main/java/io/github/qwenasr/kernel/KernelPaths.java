package io.github.qwenasr.kernel;

import java.util.EnumSet;
import java.util.Set;

/**
 * Marks of the kernels' code paths that have run, so that the tests at each width can check that
 * their shapes reach every micro-kernel, block and tail (docs/kernels.md 6). A kernel marks a path
 * inside an assert statement, {@code assert KernelPaths.ran(Path.X);}: the JIT drops the statement
 * when assertions are off, as they are outside tests, so the marks cost nothing there. A mark is a
 * flag, not a count: once set, marking again only reads it.
 */
public final class KernelPaths {
    private KernelPaths() {}

    /** When a path can run: only on the vector paths, only on the scalar path, or on both. */
    public enum Mode { VECTOR, SCALAR, BOTH }

    /** The paths, by kernel. */
    public enum Path {
        GEMM_KERNEL8("Gemm", Mode.VECTOR),
        GEMM_KERNEL4("Gemm", Mode.VECTOR),
        GEMM_PARTIAL_GROUP("Gemm", Mode.VECTOR),
        GEMM_K_BLOCKS("Gemm", Mode.VECTOR),
        GEMM_TOKENS_GATHERED("Gemm", Mode.VECTOR),
        GEMM_TOKENS_COPIED("Gemm", Mode.VECTOR),
        GEMM_PANELS_BF16("Gemm", Mode.VECTOR),
        GEMM_PANELS_COPIED("Gemm", Mode.VECTOR),
        GEMM_PANELS_INT8("Gemm", Mode.VECTOR),
        GEMM_PANELS_PREPACKED("Gemm", Mode.VECTOR),
        GEMM_SCALAR("Gemm", Mode.SCALAR),

        MATVEC_BF16_TILE4("Bf16MatVec", Mode.VECTOR),
        MATVEC_BF16_TILE2("Bf16MatVec", Mode.VECTOR),
        MATVEC_BF16_TAIL("Bf16MatVec", Mode.VECTOR),
        MATVEC_OTHER_DTYPE("MatMul", Mode.VECTOR),
        MANY_ROWS_TILE("MatMul", Mode.VECTOR),
        MANY_ROWS_EDGE("MatMul", Mode.VECTOR),
        DOT_TAIL("MatMul", Mode.VECTOR),
        AXPY_TAIL("MatMul", Mode.VECTOR),
        LINEAR_SCALAR("MatMul", Mode.SCALAR),
        MATVEC_SCALAR("MatMul", Mode.SCALAR),
        DOT_SCALAR("MatMul", Mode.SCALAR),
        AXPY_SCALAR("MatMul", Mode.SCALAR),

        INT8_FOLD128("Int8MatVec", Mode.VECTOR),
        INT8_FOLD64("Int8MatVec", Mode.VECTOR),
        INT8_GROUPS32("Int8MatVec", Mode.VECTOR),
        INT8_TILE4("Int8MatVec", Mode.VECTOR),
        INT8_BATCH_REST("Int8MatVec", Mode.VECTOR),
        INT8_DEQUANTIZE("Int8MatVec", Mode.VECTOR),
        INT8_SCALAR("Int8MatVec", Mode.SCALAR),
        INT8_DEQUANTIZE_SCALAR("Int8MatVec", Mode.SCALAR),

        INPUT_RUN_SUMS_VECTOR("MatVecInput", Mode.VECTOR),
        INPUT_RUN_SUMS_LOOP("MatVecInput", Mode.BOTH),
        INPUT_ORDER_TAIL("MatVecInput", Mode.BOTH),

        SOFTMAX_VECTOR("Ops", Mode.VECTOR),
        SOFTMAX_VECTOR_TAIL("Ops", Mode.VECTOR),
        SOFTMAX_LONG_SCALAR("Ops", Mode.SCALAR),

        ATTENTION_STEP("Attention", Mode.VECTOR),
        ATTENTION_PREFILL_GEMM("Attention", Mode.VECTOR),
        ATTENTION_PREFILL_ROWS("Attention", Mode.VECTOR),
        ATTENTION_WINDOWS("Attention", Mode.VECTOR),
        ATTENTION_SCALAR("Attention", Mode.SCALAR),

        HEAD_KEYS4("AttentionRows", Mode.VECTOR),
        HEAD_KEY_TAIL("AttentionRows", Mode.VECTOR),
        HEAD_DIM_TAIL("AttentionRows", Mode.VECTOR),
        HEAD_SLICES("AttentionRows", Mode.VECTOR),
        HEAD_SLICE_TAIL("AttentionRows", Mode.VECTOR),
        ROWS_SCORES4("AttentionRows", Mode.VECTOR),
        ROWS_SCORES4_KEY_TAIL("AttentionRows", Mode.VECTOR),
        ROWS_SCORES2("AttentionRows", Mode.VECTOR),
        ROWS_SCORES2_KEY_TAIL("AttentionRows", Mode.VECTOR),
        ROWS_SCORES1("AttentionRows", Mode.VECTOR),
        ROWS_SUM3("AttentionRows", Mode.VECTOR),
        ROWS_SUM2("AttentionRows", Mode.VECTOR),
        ROWS_SUM1("AttentionRows", Mode.VECTOR),
        ROWS_TILE_RESUMED("AttentionRows", Mode.VECTOR),
        ROWS_OWN_TAIL("AttentionRows", Mode.VECTOR),

        INPUT_MAJOR_BLOCK4("InputMajorMatVec", Mode.VECTOR),
        INPUT_MAJOR_SINGLE("InputMajorMatVec", Mode.VECTOR),
        INPUT_MAJOR_TAIL("InputMajorMatVec", Mode.BOTH),

        RESAMPLE_BLOCK4("PolyphaseFilter", Mode.VECTOR),
        RESAMPLE_SINGLE("PolyphaseFilter", Mode.VECTOR),
        RESAMPLE_SCALAR("PolyphaseFilter", Mode.SCALAR);

        private final String kernel;
        private final Mode mode;

        Path(String kernel, Mode mode) {
            this.kernel = kernel;
            this.mode = mode;
        }

        /** The class whose code the path is. */
        public String kernel() {
            return kernel;
        }

        public Mode mode() {
            return mode;
        }
    }

    private static final boolean[] RAN = new boolean[Path.values().length];

    /** Marks a path as run; always true, for use in an assert statement. */
    public static boolean ran(Path p) {
        if (!RAN[p.ordinal()]) RAN[p.ordinal()] = true;
        return true;
    }

    /** The paths marked since the last {@link #clear}. */
    static Set<Path> marked() {
        Set<Path> out = EnumSet.noneOf(Path.class);
        for (Path p : Path.values()) {
            if (RAN[p.ordinal()]) out.add(p);
        }
        return out;
    }

    static void clear() {
        java.util.Arrays.fill(RAN, false);
    }
}
