package io.github.qwenasr.nativebf16;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** The CPU's bf16 features as Linux lists them (the "flags" line of /proc/cpuinfo). */
final class CpuFlags {
    private CpuFlags() {}

    /** System property: another file in /proc/cpuinfo's format to read (tests simulate CPUs with it). */
    static final String CPUINFO_PROPERTY = "qwenasr.bf16.cpuinfo";

    /** Flags that give the bf16 dot products the GEMM runs on. */
    static final Set<String> BF16_FLAGS = Set.of("avx512_bf16", "amx_bf16");

    private static Path file() {
        return Path.of(System.getProperty(CPUINFO_PROPERTY, "/proc/cpuinfo"));
    }

    /** Whether there is a cpuinfo file to ask (Linux). */
    static boolean hasCpuInfo() {
        return Files.isRegularFile(file());
    }

    /**
     * Null when the flags list avx512_bf16 or amx_bf16, or when there is no such file (not Linux:
     * oneDNN's own ISA check then decides); otherwise why the CPU cannot run the bf16 GEMM.
     */
    static String bf16Missing() {
        Path file = file();
        if (!Files.isRegularFile(file)) return null;
        Set<String> flags;
        try (var lines = Files.lines(file, StandardCharsets.ISO_8859_1)) {
            flags = lines.filter(l -> l.startsWith("flags"))
                    .flatMap(l -> Arrays.stream(l.substring(l.indexOf(':') + 1).trim().split("\\s+")))
                    .collect(Collectors.toSet());
        } catch (IOException | java.io.UncheckedIOException e) {
            return "cannot read the CPU flags from " + file + ": " + e.getMessage();
        }
        for (String f : BF16_FLAGS) {
            if (flags.contains(f)) return null;
        }
        String isa = flags.contains("avx512f") ? "AVX-512 without bf16" : flags.contains("avx2") ? "AVX2 only" : "no AVX-512";
        return "this CPU has neither avx512_bf16 nor amx_bf16 (" + isa + ", per " + file
                + "): the bf16 GEMM needs an AVX-512 BF16 CPU (AMD Zen 4 or later, Intel Cooper Lake, Sapphire Rapids or later)";
    }
}
