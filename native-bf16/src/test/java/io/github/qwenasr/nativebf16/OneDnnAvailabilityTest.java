package io.github.qwenasr.nativebf16;

import static org.junit.jupiter.api.Assertions.*;

import io.github.qwenasr.kernel.GemmBackends;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding oneDNN and the CPU's bf16 support, and the one-line reasons given when either is missing.
 * oneDNN must be installed where these tests run (CI installs libdnnl2): its absence fails them.
 */
class OneDnnAvailabilityTest {
    @Test
    void oneDnnIsInstalled() {
        OneDnnLibrary.Found found = OneDnnLibrary.find();
        assertNull(found.problem(), "oneDNN is needed by this module's tests: " + found.problem());
        OneDnnLibrary lib = found.library();
        assertTrue(lib.version().matches("oneDNN \\d+\\.\\d+\\.\\d+"), lib.version());
        assertTrue(lib.threadsSettable(), "an OpenMP build (Debian's) lets the thread count be set");
        System.out.println("found " + lib.version() + " as " + lib.file() + ", ISA 0x" + Integer.toHexString(lib.effectiveIsa())
                + ", this CPU: " + (CpuFlags.bf16Missing() == null ? "bf16 arithmetic" : CpuFlags.bf16Missing()));
    }

    @Test
    void serviceLoaderFindsTheBackendWhereTheCpuHasBf16() {
        GemmBackends.Found found = GemmBackends.find();
        String cpu = CpuFlags.bf16Missing();
        if (cpu == null) {
            assertNull(found.reason(), "usable on this CPU: " + found.reason());
            assertInstanceOf(OneDnnBf16Gemm.class, found.backend());
            assertTrue(found.backend().name().startsWith("oneDNN "), found.backend().name());
        } else {
            assertNull(found.backend());
            assertEquals(cpu, found.reason(), "this CPU lacks bf16: its reason is the one reported");
        }
    }

    /** A cpuinfo file that lists avx512_bf16, so the library checks run on any CPU (the CPU is checked first). */
    private static Path bf16Cpu(Path dir) throws Exception {
        return Files.writeString(dir.resolve("cpuinfo-bf16"), "flags\t\t: fpu avx2 avx512f avx512_bf16\n");
    }

    @Test
    void missingLibraryIsReportedInOneLineWithTheFix(@TempDir Path dir) throws Exception {
        String missing = dir.resolve("libdnnl-missing.so.2").toString();
        try (var p = SystemProperty.set(OneDnnLibrary.LIBRARY_PROPERTY, missing);
             var cpu = SystemProperty.set(CpuFlags.CPUINFO_PROPERTY, bf16Cpu(dir).toString())) {
            String reason = new OneDnnBf16Gemm().unavailableReason();
            assertEquals("oneDNN library " + missing + " (-Dqwenasr.bf16.library) cannot be loaded: give the path of an "
                    + "existing libdnnl.so, or install oneDNN (Debian/Ubuntu: apt-get install libdnnl2)", reason);
            GemmBackends.Found found = GemmBackends.find();
            assertNull(found.backend());
            assertEquals(reason, found.reason());
        }
    }

    @Test
    void aLibraryWithoutTheBf16GemmIsRefused(@TempDir Path dir) throws Exception {
        // libc loads but has no dnnl_gemm_bf16bf16f32.
        try (var p = SystemProperty.set(OneDnnLibrary.LIBRARY_PROPERTY, "libc.so.6");
             var cpu = SystemProperty.set(CpuFlags.CPUINFO_PROPERTY, bf16Cpu(dir).toString())) {
            assertEquals("libc.so.6 has no bf16 GEMM (dnnl_gemm_bf16bf16f32; oneDNN 2.x and 3.x have it): "
                    + "install oneDNN 2 or newer (Debian/Ubuntu: apt-get install libdnnl2)", new OneDnnBf16Gemm().unavailableReason());
        }
    }

    @Test
    void cpuWithoutBf16IsRefused(@TempDir Path dir) throws Exception {
        Path avx512 = dir.resolve("cpuinfo-avx512");
        Files.writeString(avx512, "processor\t: 0\nflags\t\t: fpu sse2 avx avx2 fma avx512f avx512bw avx512_vnni\n\n"
                + "processor\t: 1\nflags\t\t: fpu sse2 avx avx2 fma avx512f avx512bw avx512_vnni\n");
        Path avx2 = dir.resolve("cpuinfo-avx2");
        Files.writeString(avx2, "processor\t: 0\nflags\t\t: fpu sse2 avx avx2 fma\n");
        try (var p = SystemProperty.set(CpuFlags.CPUINFO_PROPERTY, avx512.toString())) {
            assertEquals("this CPU has neither avx512_bf16 nor amx_bf16 (AVX-512 without bf16, per " + avx512
                    + "): the bf16 GEMM needs an AVX-512 BF16 CPU (AMD Zen 4 or later, Intel Cooper Lake, Sapphire Rapids or later)",
                    new OneDnnBf16Gemm().unavailableReason());
        }
        try (var p = SystemProperty.set(CpuFlags.CPUINFO_PROPERTY, avx2.toString())) {
            assertTrue(new OneDnnBf16Gemm().unavailableReason().contains("(AVX2 only, per " + avx2 + ")"));
        }
        Path amx = dir.resolve("cpuinfo-amx");
        Files.writeString(amx, "flags\t\t: fpu avx512f amx_tile amx_bf16\n");
        try (var p = SystemProperty.set(CpuFlags.CPUINFO_PROPERTY, amx.toString())) {
            assertNull(CpuFlags.bf16Missing(), "AMX bf16 counts");
        }
    }
}
