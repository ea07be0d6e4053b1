package io.github.qwenasr.spark;

import java.util.List;

/**
 * The JVM options a Spark JVM running the engine needs on Java 25. Spark (4.x) adds its own module
 * options to the driver and executors it launches (its {@code --add-opens} list, the Vector API module,
 * native access); the engine adds a larger thread stack and the garbage collector settings of the
 * launcher (bin/qwen-asr). The driver of an embedded run is the JVM the launcher starts, which gets
 * the whole list on its command line; see the README's "Spark" section for spark-submit.
 */
public final class JvmOptions {
    /** What the engine needs besides Spark's defaults: every executor gets these. */
    public static final List<String> ENGINE = List.of(
            "--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xss4m",
            "-XX:+UseG1GC", "-XX:GCTimeRatio=4", "-XX:MaxHeapFreeRatio=20", "-XX:MinHeapFreeRatio=5");

    private JvmOptions() {
    }

    /** {@code spark.executor.extraJavaOptions}: the engine's options, then what the user gave. */
    public static String executorOptions(String userOptions) {
        String engine = String.join(" ", ENGINE);
        return userOptions == null || userOptions.isBlank() ? engine : engine + " " + userOptions.strip();
    }
}
