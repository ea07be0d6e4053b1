package io.github.qwenasr.spark;

import io.github.qwenasr.tools.Preset;
import io.github.qwenasr.tools.SyntheticCheckpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/**
 * What the module's tests share: one local[2] Spark session per test JVM, the tiny synthetic model
 * (seed 7) and aligner (seed 1234) regenerated under target/, and the shared data folder.
 */
final class SparkTests {
    /** Generation limit of every test transcription: the tiny model's random weights never stop by themselves. */
    static final int MAX_NEW_TOKENS = 8;

    private static SparkSession spark;

    private SparkTests() {
    }

    static synchronized SparkSession spark() {
        if (spark == null) {
            spark = SparkSession.builder()
                    .master("local[2]")
                    .appName("qwen-asr spark tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.ui.showConsoleProgress", "false")
                    .config("spark.sql.shuffle.partitions", "2")
                    .getOrCreate();
            spark.sparkContext().setLogLevel("WARN");
        }
        return spark;
    }

    static Path tinyModel() {
        return ensure(Preset.TINY, 7, "tiny-7");
    }

    static Path tinyAligner() {
        return ensure(Preset.TINY_ALIGNER, 1234, "tiny-aligner-1234");
    }

    private static synchronized Path ensure(Preset preset, long seed, String name) {
        try {
            return SyntheticCheckpoint.ensure(preset, seed, Path.of("target", "synthetic-models", name)
                    .toAbsolutePath(), 1, shared());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** ../shared (Maven passes its path as qwenasr.shared); missing means a failing test. */
    static Path shared() {
        String prop = System.getProperty("qwenasr.shared");
        Path p = prop != null && !prop.isBlank() ? Path.of(prop) : Path.of("..", "..", "shared");
        if (!Files.isDirectory(p.resolve("data/audio"))) {
            throw new IllegalStateException("shared data folder not found at " + p.toAbsolutePath());
        }
        return p;
    }
}
