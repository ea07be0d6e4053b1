package io.github.qwenasr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/qwen-asr hands TMPDIR to the JVM as java.io.tmpdir (where the stdin copy goes), which the JVM
 * itself ignores. The launcher runs in a copy of the repository's bin/ with a stand-in JDK whose
 * java only records its arguments, so no build or real JVM is involved.
 */
class LauncherTmpdirTest {
    @TempDir
    Path tmp;

    private List<String> javaArguments(Map<String, String> extraEnv) throws IOException, InterruptedException {
        Path root = tmp.resolve("repo");
        Path bin = Files.createDirectories(root.resolve("bin"));
        for (String script : List.of("qwen-asr", "find-java")) {
            Files.copy(RepoScripts.root().resolve("bin").resolve(script), bin.resolve(script),
                    StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
        }
        // A jar newer than every source (there are none here), so the launcher does not build.
        Files.createDirectories(root.resolve("cli/target"));
        Files.writeString(root.resolve("cli/target/qwen-asr.jar"), "");
        Path jdk = Files.createDirectories(tmp.resolve("jdk/bin"));
        Files.writeString(jdk.getParent().resolve("release"), "JAVA_VERSION=\"25.0.1\"\n");
        Path args = tmp.resolve("java-args.txt");
        Path java = Files.writeString(jdk.resolve("java"), "#!/bin/sh\nprintf '%s\\n' \"$@\" > '" + args + "'\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.deleteIfExists(args);

        Map<String, String> env = new HashMap<>();
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("JAVA_HOME", jdk.getParent().toString());
        env.putAll(extraEnv);
        RepoScripts.Result r = RepoScripts.run(tmp, env, List.of("bash", bin.resolve("qwen-asr").toString(), "--version"));
        assertEquals(0, r.exitCode(), r.stderr());
        return Files.readAllLines(args);
    }

    @Test
    void tmpdirBecomesJavaIoTmpdir() throws Exception {
        Path spoolDir = Files.createDirectories(tmp.resolve("my tmp"));
        List<String> args = javaArguments(Map.of("TMPDIR", spoolDir.toString()));
        assertTrue(args.contains("-Djava.io.tmpdir=" + spoolDir), args.toString());
        assertEquals("--version", args.get(args.size() - 1));
    }

    @Test
    void withoutTmpdirTheJvmDefaultStays() throws Exception {
        List<String> args = javaArguments(Map.of());
        assertFalse(args.stream().anyMatch(a -> a.startsWith("-Djava.io.tmpdir")), args.toString());
    }

    @Test
    void anExplicitJvmOptionStillWins() throws Exception {
        List<String> args = javaArguments(Map.of("TMPDIR", tmp.toString(),
                "QWEN_ASR_JAVA_OPTS", "-Djava.io.tmpdir=/elsewhere"));
        assertTrue(args.indexOf("-Djava.io.tmpdir=/elsewhere") > args.indexOf("-Djava.io.tmpdir=" + tmp), args.toString());
    }
}
