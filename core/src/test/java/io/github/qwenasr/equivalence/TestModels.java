package io.github.qwenasr.equivalence;

import io.github.qwenasr.tools.FileDigest;
import io.github.qwenasr.tools.Preset;
import io.github.qwenasr.tools.SyntheticCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Synthetic checkpoints regenerated from their seed into target/, and the shared data folder. */
public final class TestModels {
    private TestModels() {}

    /** ../shared (Maven passes its absolute path as qwenasr.shared); missing means a failing test. */
    public static Path shared() {
        Path p = SyntheticCheckpoint.defaultSharedDir();
        if (!Files.isDirectory(p.resolve("data"))) {
            throw new IllegalStateException("shared data folder not found at " + p.toAbsolutePath()
                    + " (set -Dqwenasr.shared or run from the repository with ../shared beside it)");
        }
        return p;
    }

    /** Generates (or reuses) the preset's checkpoint under target/synthetic-models and checks its digest. */
    public static Path model(Preset preset, long seed, String expectedSha256) throws IOException {
        Path dir = Path.of("target", "synthetic-models", preset.cliName() + "-" + seed);
        SyntheticCheckpoint.ensure(preset, seed, dir, 1, shared());
        if (expectedSha256 != null) {
            String got = FileDigest.sha256Hex(dir.resolve("model.safetensors"));
            if (!got.equals(expectedSha256)) {
                throw new IllegalStateException("regenerated " + preset.cliName() + " weights differ from the ones the goldens were made on"
                        + " (sha256 " + got + ", manifest " + expectedSha256 + ")");
            }
        }
        return dir;
    }
}
