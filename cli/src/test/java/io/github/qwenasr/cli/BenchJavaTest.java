package io.github.qwenasr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bench/run.py runs its bandwidth probe (and --jar runs) with the JDK that bin/find-java finds for
 * the engine, not with whatever `java` comes first on PATH (Java 17 on the project's machines, which
 * cannot compile the Vector API probe, so the probe used to be skipped). Needs python3.
 */
class BenchJavaTest {
    @TempDir
    Path tmp;

    @Test
    void probeJavaIsTheOneFindJavaFindsNotTheFirstOnPath() throws Exception {
        Path root = RepoScripts.root();
        // An old java first on PATH, and no JAVA_HOME: what a plain shell on these machines has.
        Path fakeBin = Files.createDirectories(tmp.resolve("old-jdk/bin"));
        Path oldJava = Files.writeString(fakeBin.resolve("java"),
                "#!/bin/sh\necho 'openjdk version \"17.0.2\" 2022-01-18' >&2\nexit 1\n");
        Files.setPosixFilePermissions(oldJava, PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, String> env = Map.of("PATH", fakeBin + ":/usr/local/bin:/usr/bin:/bin");

        RepoScripts.Result found = RepoScripts.run(root, env, List.of("bash", "bin/find-java"));
        RepoScripts.Result probe = RepoScripts.run(root, env, List.of("python3", "-c",
                "import sys; sys.path.insert(0, 'bench'); import run; print(run.engine_java(None))"));
        if (found.exitCode() == 0) {
            String home = found.stdout().strip();
            assertEquals(0, probe.exitCode(), probe.stderr());
            assertEquals(home + "/bin/java", probe.stdout().strip());
            assertNotEquals(oldJava.toString(), probe.stdout().strip());
        } else {
            // No JDK 25 reachable without JAVA_HOME here: the script stops with find-java's reason.
            assertNotEquals(0, probe.exitCode());
            assertTrue(probe.stderr().contains("needs Java 25"), probe.stderr());
        }
        // --java-home (default $JAVA_HOME) is taken as given.
        RepoScripts.Result given = RepoScripts.run(root, env, List.of("python3", "-c",
                "import sys; sys.path.insert(0, 'bench'); import run; print(run.engine_java('/opt/jdk-25'))"));
        assertEquals("/opt/jdk-25/bin/java", given.stdout().strip(), given.stderr());
    }
}
