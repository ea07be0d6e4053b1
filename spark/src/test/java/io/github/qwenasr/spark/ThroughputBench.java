package io.github.qwenasr.spark;

import io.github.qwenasr.QwenAsr;
import io.github.qwenasr.TranscribeOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;

/**
 * Throughput of a batch run against a plain loop over the same folder (bench/spark_throughput.sh runs
 * it; not a test). Clips are cut from the shared recordings; a random-weight model never stops by
 * itself, so every clip decodes exactly --tokens tokens, which stands in for the text of real speech.
 *
 * <pre>
 * ThroughputBench --model DIR --clips N --min-seconds S --max-seconds S --tokens T --threads T
 *                 --master local[2] --jobs 1,2 [--work DIR]
 * </pre>
 *
 * Prints one markdown row per run: audio hours, wall seconds, audio hours per hour.
 */
public final class ThroughputBench {
    private ThroughputBench() {
    }

    public static void main(String[] args) throws Exception {
        String model = null;
        int clips = 100;
        double minSeconds = 8;
        double maxSeconds = 12;
        int tokens = 40;
        int threads = 2;
        String master = "local[2]";
        List<Integer> jobs = List.of(1, 2);
        Path work = Files.createTempDirectory("qwen-asr-spark-bench");
        for (int i = 0; i < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--model" -> model = v;
                case "--clips" -> clips = Integer.parseInt(v);
                case "--min-seconds" -> minSeconds = Double.parseDouble(v);
                case "--max-seconds" -> maxSeconds = Double.parseDouble(v);
                case "--tokens" -> tokens = Integer.parseInt(v);
                case "--threads" -> threads = Integer.parseInt(v);
                case "--master" -> master = v;
                case "--jobs" -> {
                    List<Integer> j = new ArrayList<>();
                    for (String s : v.split(",")) j.add(Integer.parseInt(s.strip()));
                    jobs = j;
                }
                case "--work" -> work = Files.createDirectories(Path.of(v));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (model == null) throw new IllegalArgumentException("--model DIR is required");
        Path folder = work.resolve("clips");
        List<Path> files = TestClips.write(folder, clips, 99, minSeconds, maxSeconds);
        double audio = 0;
        for (Path f : files) audio += WavHeader.seconds(f).orElseThrow();
        System.out.printf(Locale.ROOT, "%d clips of %.1f-%.1f s, %.1f s (%.3f h) of audio, %d tokens each, %d engine "
                        + "threads, %d processors%n%n", clips, minSeconds, maxSeconds, audio, audio / 3600, tokens, threads,
                Runtime.getRuntime().availableProcessors());
        System.out.println("| run | wall s | audio h per h | vs loop |");
        System.out.println("|---|---:|---:|---:|");

        TranscribeOptions options = TranscribeOptions.defaults().withMaxNewTokens(tokens);
        double loopSeconds;
        try (QwenAsr asr = QwenAsr.load(Path.of(model), threads)) {
            asr.transcribe(files.get(0), options);  // warm-up: JIT and first-touch of the weights
            long t0 = System.nanoTime();
            for (Path f : files) asr.transcribe(f, options);
            loopSeconds = (System.nanoTime() - t0) / 1e9;
        }
        System.out.printf(Locale.ROOT, "| plain loop of QwenAsr.transcribe (model loaded once) | %.1f | %.2f | 1.00 |%n",
                loopSeconds, audio / loopSeconds);

        SparkSession spark = SparkSession.builder().master(master).appName("qwen-asr throughput")
                .config("spark.ui.enabled", "false").getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
        EngineKey key = new EngineKey(Path.of(model).toAbsolutePath().toString(), null, threads);
        // Warm-up job: starts the executor side, loads the model into the JVM's engine cache and JITs it.
        Path warm = work.resolve("warm-clips");
        TestClips.write(warm, 2, 7, minSeconds, maxSeconds);
        BatchJob.run(spark, new BatchSettings(warm, work.resolve("warm"),
                OutputFormat.JSONL, key, new TranscribeRequest(null, "", tokens), 1, 1800), line -> { });
        for (int j : jobs) {
            Path out = work.resolve("out-jobs-" + j);
            BatchJob.Summary s = BatchJob.run(spark, new BatchSettings(folder, out, OutputFormat.JSONL, key,
                    new TranscribeRequest(null, "", tokens), j, 1800), line -> { });
            System.out.printf(Locale.ROOT, "| Spark %s, --jobs %d, %d partitions (hashing included) | %.1f | %.2f | %.2f |%n",
                    master, j, s.partitions(), s.wallSeconds(), s.audioSeconds() / s.wallSeconds(),
                    loopSeconds / s.wallSeconds());
        }
        spark.stop();
    }
}
