package io.github.qwenasr.kernel;

import static org.junit.jupiter.api.Assertions.*;

import io.github.qwenasr.weights.DType;
import io.github.qwenasr.weights.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The batched decode mat-vec gives every activation row what the single-row kernel gives it alone
 * (the same bits at the same JIT tier, within 1e-4 across tiers: see MatVecBatchCheck), at every
 * vector width and in the Vector API's scalar fallback, and is right.
 */
class MatVecBatchTest {
    @Test
    void everyRowEqualsTheSingleRowKernel() {
        List<String> bad = MatVecBatchCheck.compareAll();
        assertTrue(bad.isEmpty(), bad.size() + " mismatches at " + MatMul.F.vectorBitSize() + " bits, first: "
                + (bad.isEmpty() ? "" : bad.get(0)));
    }

    @Test
    void batchedResultsMatchTheDoubleReference() {
        int n = 37;
        int k = 1030;
        Tensor w = KernelFixtures.randomTensor(DType.BF16, n, k, 7);
        int b = 7;
        MatVecInput[] in = new MatVecInput[b];
        float[][] y = new float[b][n];
        float[][] x = new float[b][];
        for (int j = 0; j < b; j++) {
            x[j] = KernelFixtures.random(k, 40 + j);
            in[j] = new MatVecInput(k).set(x[j], 0, k);
        }
        try (Parallel par = new Parallel(2)) {
            MatVecBatch.matVec(par, w, in, b, y);
        }
        for (int j = 0; j < b; j++) {
            float[] expect = new float[n];
            MatMul.linearReference(x[j], 1, w, null, expect);
            for (int r = 0; r < n; r++) assertEquals(expect[r], y[j][r], 2e-3, "row " + j + " output " + r);
        }
    }

    @Test
    void wholeMatrixOverThePoolEqualsOneRowLinear() {
        // A tall matrix: the head's larger chunks, shared by three workers.
        int n = 5000;
        int k = 64;
        Tensor w = KernelFixtures.randomTensor(DType.BF16, n, k, 8);
        for (int threads : new int[] {1, 3}) {
            try (Parallel par = new Parallel(threads)) {
                int b = 5;
                MatVecInput[] in = new MatVecInput[b];
                float[][] y = new float[b][n];
                float[][] alone = new float[b][n];
                for (int j = 0; j < b; j++) {
                    float[] x = KernelFixtures.random(k, 70 + j);
                    in[j] = new MatVecInput(k).set(x, 0, k);
                    MatMul.linear(par, x, 1, w, null, alone[j]);
                }
                MatVecBatch.matVec(par, w, in, b, y);
                for (int j = 0; j < b; j++) {
                    for (int r = 0; r < n; r++) {
                        assertEquals(alone[j][r], y[j][r], 1e-4f * Math.max(1f, Math.abs(alone[j][r])),
                                "threads " + threads + " row " + j + " output " + r);
                    }
                }
            }
        }
    }

    @Test
    void refusesMismatchedInputs() {
        Tensor w = KernelFixtures.randomTensor(DType.BF16, 4, 16, 9);
        MatVecInput good = new MatVecInput(16).set(new float[16], 0, 16);
        MatVecInput shorter = new MatVecInput(16).set(new float[16], 0, 15);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MatVecBatch.matVecRows(w, new MatVecInput[] {good, shorter}, 2, 0, 4, new float[2][4], 0));
        assertTrue(e.getMessage().contains("input 1 has 15 elements"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> MatVecBatch.matVecRows(w, new MatVecInput[] {good}, 2, 0, 4, new float[2][4], 0));
    }

    /**
     * The same bit-for-bit check in JVMs whose preferred width is 128 or 256 bits (the JVM's
     * MaxVectorSize limit, docs/kernels.md 6) and in an interpreted JVM (the Vector API's scalar
     * Java code): whatever the width, a row's bits do not depend on the batch.
     */
    @Test
    void identicalAtEveryVectorWidthAndInTheScalarFallback() throws Exception {
        // The interpreter takes rows of up to 130 elements: every path, in seconds rather than minutes.
        record Run(String flag, String species, int maxLength) {}
        List<Run> runs = List.of(new Run("-XX:MaxVectorSize=16", "128", Integer.MAX_VALUE),
                new Run("-XX:MaxVectorSize=32", "256", Integer.MAX_VALUE),
                new Run("-XX:MaxVectorSize=64", "512", Integer.MAX_VALUE), new Run("-Xint", null, 130));
        List<String> failures = new ArrayList<>();
        for (Run run : runs) {
            String out = runCheck(run.flag(), run.maxLength());
            String first = out.lines().findFirst().orElse("");
            if (run.species() != null && !first.equals("species " + run.species())) {
                // A CPU without 512-bit vectors caps the preferred width below the flag.
                if (!(run.species().equals("512") && first.startsWith("species "))) {
                    failures.add(run.flag() + " ran at " + first + ", expected " + run.species() + " bits");
                }
            }
            if (!out.contains("identical")) failures.add(run.flag() + ":\n" + out);
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    private static String runCheck(String flag, int maxLength) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", flag, "-cp", System.getProperty("java.class.path"),
                MatVecBatchCheck.class.getName(), Integer.toString(maxLength));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), flag + ": check did not end");
        String text = new String(out, StandardCharsets.UTF_8).lines()
                .filter(l -> !l.startsWith("WARNING: Using incubator modules")).reduce("", (a, l) -> a + l + "\n");
        if (p.exitValue() != 0 && !text.contains("mismatch")) fail(flag + ": exit " + p.exitValue() + "\n" + text);
        return text;
    }
}
