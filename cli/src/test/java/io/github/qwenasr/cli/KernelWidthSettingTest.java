package io.github.qwenasr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.tools.Preset;
import io.github.qwenasr.tools.SyntheticCheckpoint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernels' one width setting, {@code qwenasr.vector.bits} (docs/kernels.md 6), through the
 * launcher as a user passes it (QWEN_ASR_JAVA_OPTS): a value it does not know is one error line
 * when the model loads and exit status 1, never a stack trace; {@code scalar} transcribes. Each run
 * is a JVM of its own, since the setting is fixed per JVM.
 */
class KernelWidthSettingTest {
    @TempDir
    static Path tmp;
    private static Path launcher;
    private static Path model;

    @BeforeAll
    static void launcherAndTinyModel() throws Exception {
        launcher = PointerLauncher.install(tmp.resolve("root"));
        model = SyntheticCheckpoint.generate(Preset.TINY, 7, tmp.resolve("tiny"), 1, TestFiles.shared());
    }

    private static RepoScripts.Result run(String javaOpts, String... extra) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", launcher.toString(), "-d", model.toString(),
                "-i", TestFiles.shared().resolve("data/audio/jfk.wav").toString(), "-t", "2"));
        command.addAll(List.of(extra));
        return RepoScripts.run(tmp, Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "JAVA_HOME", System.getProperty("java.home"),
                "QWEN_ASR_JAVA_OPTS", javaOpts), command);
    }

    @Test
    void anUnknownWidthIsOneErrorLineAtModelLoad() throws Exception {
        RepoScripts.Result r = run("-Dqwenasr.vector.bits=100");
        assertEquals(1, r.exitCode(), r.stderr());
        assertEquals("", r.stdout());
        List<String> lines = r.stderr().lines().filter(l -> !l.startsWith("Loading model from")).toList();
        assertEquals(List.of("Error: qwenasr.vector.bits must be 128, 256, 512 or scalar, not '100'"), lines);
    }

    @Test
    void bf16ComputeFallsBackToJavaOnTheScalarPath() throws Exception {
        RepoScripts.Result r = run("-Dqwenasr.vector.bits=scalar", "--max-new-tokens", "2", "--compute", "bf16");
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stderr().lines().anyMatch(l -> l.equals("Warning: --compute bf16 is not available here, running exact f32: "
                + "qwenasr.vector.bits=scalar runs every product on the scalar path")), r.stderr());
    }

    @Test
    void theScalarPathTranscribes() throws Exception {
        RepoScripts.Result r = run("-Dqwenasr.vector.bits=scalar", "--max-new-tokens", "8");
        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals(1, r.stdout().lines().count(), r.stdout());
        assertFalse(r.stderr().contains("Exception"), r.stderr());
    }
}
