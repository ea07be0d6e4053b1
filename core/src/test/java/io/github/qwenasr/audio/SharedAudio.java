package io.github.qwenasr.audio;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Test fixture: the shared speech clips ({@code ../shared/data/audio}). The root comes from the
 * system property {@code qwenasr.shared}, else ../shared, else ../../shared. A missing clip fails
 * the test; it never skips.
 */
public final class SharedAudio {
    private SharedAudio() {
    }

    /** Path of a clip, e.g. {@code clip("jfk.wav")}. */
    public static Path clip(String name) {
        String prop = System.getProperty("qwenasr.shared");
        List<Path> roots = new ArrayList<>();
        if (prop != null && !prop.isBlank()) roots.add(Path.of(prop));
        roots.add(Path.of("../shared"));
        roots.add(Path.of("../../shared"));
        for (Path root : roots) {
            Path p = root.resolve("data/audio").resolve(name);
            if (Files.isRegularFile(p)) return p;
        }
        throw new AssertionError("Missing fixture " + name + " (set -Dqwenasr.shared); tried " + roots);
    }
}
