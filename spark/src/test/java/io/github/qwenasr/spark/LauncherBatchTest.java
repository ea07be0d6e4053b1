package io.github.qwenasr.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/qwen-asr routes {@code batch} to the spark module's jar with Spark's jars on the class path and
 * Spark's JVM options, and leaves the other commands as they were. The launcher runs in a copy of the
 * repository's bin/ with a stand-in JDK whose java only records its arguments: no build, no JVM.
 */
class LauncherBatchTest {
    @TempDir
    Path tmp;

    private List<String> javaArguments(String... args) throws IOException, InterruptedException {
        Path root = tmp.resolve("repo");
        Path bin = Files.createDirectories(root.resolve("bin"));
        for (String script : List.of("qwen-asr", "find-java")) {
            Files.copy(repoRoot().resolve("bin").resolve(script), bin.resolve(script),
                    StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
        }
        // Jars newer than every source (there are none here), so the launcher does not build.
        Files.createDirectories(root.resolve("cli/target"));
        Files.writeString(root.resolve("cli/target/qwen-asr.jar"), "");
        Files.createDirectories(root.resolve("spark/target/spark-jars"));
        Files.writeString(root.resolve("spark/target/qwen-asr-spark.jar"), "");
        Path jdk = Files.createDirectories(tmp.resolve("jdk/bin"));
        Files.writeString(jdk.getParent().resolve("release"), "JAVA_VERSION=\"25.0.1\"\n");
        Path recorded = tmp.resolve("java-args.txt");
        Path java = Files.writeString(jdk.resolve("java"), "#!/bin/sh\nprintf '%s\\n' \"$@\" > '" + recorded + "'\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.deleteIfExists(recorded);

        ProcessBuilder pb = new ProcessBuilder(concat(List.of("bash", bin.resolve("qwen-asr").toString()), args))
                .directory(tmp.toFile());
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/local/bin:/usr/bin:/bin");
        pb.environment().put("JAVA_HOME", jdk.getParent().toString());
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Path err = tmp.resolve("stderr.txt");
        pb.redirectErrorStream(false).redirectOutput(tmp.resolve("stdout.txt").toFile()).redirectError(err.toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the launcher did not finish");
        assertEquals(0, p.exitValue(), Files.readString(err, StandardCharsets.UTF_8));
        return Files.readAllLines(recorded);
    }

    private static List<String> concat(List<String> a, String[] b) {
        List<String> out = new java.util.ArrayList<>(a);
        out.addAll(List.of(b));
        return out;
    }

    private static Path repoRoot() {
        String prop = System.getProperty("qwenasr.root");
        Path root = prop != null && !prop.isBlank() ? Path.of(prop) : Path.of("..");
        if (!Files.isRegularFile(root.resolve("bin/qwen-asr"))) {
            throw new IllegalStateException("repository root not found (bin/qwen-asr): set -Dqwenasr.root");
        }
        return root.toAbsolutePath().normalize();
    }

    @Test
    void batchRunsTheSparkJarWithSparksJarsAndOptions() throws Exception {
        List<String> args = javaArguments("batch", "-i", "clips", "-o", "out");
        Path root = tmp.resolve("repo");
        int cp = args.indexOf("-cp");
        assertTrue(cp > 0, args.toString());
        assertEquals(root.resolve("spark/target/qwen-asr-spark.jar") + ":" + root.resolve("spark/target/spark-jars") + "/*",
                args.get(cp + 1));
        assertEquals(BatchCommand.class.getName(), args.get(cp + 2));
        assertEquals(List.of("-i", "clips", "-o", "out"), args.subList(cp + 3, args.size()));
        for (String flag : List.of("--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED", "-Dio.netty.tryReflectionSetAccessible=true")) {
            assertTrue(args.subList(0, cp).contains(flag), flag + " missing: " + args);
        }
        assertFalse(args.contains("-jar"), args.toString());
    }

    @Test
    void theOtherCommandsKeepTheirJarAndFlags() throws Exception {
        List<String> args = javaArguments("--version");
        int jar = args.indexOf("-jar");
        assertTrue(jar > 0, args.toString());
        assertEquals(tmp.resolve("repo/cli/target/qwen-asr.jar").toString(), args.get(jar + 1));
        assertFalse(args.stream().anyMatch(a -> a.startsWith("--add-opens")), args.toString());
        assertFalse(args.contains("-cp"), args.toString());
    }
}
