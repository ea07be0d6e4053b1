package io.github.qwenasr.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * A batch run, the plain Java entry point behind {@code qwen-asr batch}: lists the inputs, hashes them
 * (on the executors), leaves out those the output folder already has, packs the rest into partitions of
 * about equal audio duration, transcribes each partition on an executor and commits its rows as one
 * part file. Rerunning it after a crash, a kill or with new files added does only the work left.
 */
public final class BatchJob {
    private static final ObjectMapper JSON = new ObjectMapper();

    private BatchJob() {
    }

    /**
     * What a run did.
     *
     * @param inputs       input paths listed
     * @param skipped      inputs that already had rows
     * @param rows         rows written by this run
     * @param failed       of those, rows with an error
     * @param audioSeconds audio transcribed by this run
     * @param partitions   partitions this run wrote
     * @param wallSeconds  the run's wall time, listing and hashing included
     */
    public record Summary(String runId, int inputs, int skipped, int rows, int failed, double audioSeconds,
                          int partitions, double wallSeconds) {
        /** Audio hours transcribed per hour of wall time. */
        public double audioHoursPerHour() {
            return wallSeconds > 0 ? audioSeconds / wallSeconds : 0;
        }
    }

    /**
     * Runs the job on {@code spark}; {@code progress} gets a line now and then (a no-op for silence).
     *
     * @throws QwenAsrSparkException for a problem of the whole job (settings, inputs, output folder, model)
     */
    public static Summary run(SparkSession spark, BatchSettings settings, Consumer<String> progress) {
        long start = System.nanoTime();
        TranscribeRequest request = TranscriberAdapter.validate(settings.request());
        BatchSettings s = new BatchSettings(settings.input(), settings.output(), settings.format(), settings.engine(),
                request, settings.jobs(), settings.partitionSeconds());
        List<String> paths = InputListing.list(s.input());
        String runId = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT))
                + "-" + String.format("%04x", ThreadLocalRandom.current().nextInt(1 << 16));
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int slots = Math.max(1, jsc.defaultParallelism());
        try (OutputDir out = OutputDir.open(s.output(), s.manifest())) {
            DoneKeys done = DoneKeys.read(spark, out.committedParts(s.format()), s.format());
            progress.accept(String.format(Locale.ROOT, "Hashing %d inputs (%s holds %d earlier results) ...",
                    paths.size(), s.output(), done.hashes().size() + done.unreadablePaths().size()));
            jsc.setJobDescription("qwen-asr: hash and read the headers of " + paths.size() + " inputs");
            List<ScannedInput> scanned = jsc.parallelize(paths, Math.min(paths.size(), slots * 4))
                    .map(ScannedInput::scan).collect();
            List<WorkItem> work = new ArrayList<>();
            int skipped = group(scanned, done, work);
            double total = work.stream().mapToDouble(WorkItem::weight).sum();
            if (work.isEmpty()) {
                progress.accept("Nothing to do: every input already has its row in " + s.output());
                Summary summary = new Summary(runId, paths.size(), skipped, 0, 0, 0, 0, seconds(start));
                out.markSuccess(json(summary));
                return summary;
            }
            List<Bin> bins = DurationPartitioner.pack(work,
                    DurationPartitioner.partitions(work.size(), total, s.partitionSeconds(), slots));
            progress.accept(String.format(Locale.ROOT, "Transcribing %d inputs (%.2f h of audio by their headers) in %d "
                    + "partitions on %s; %d skipped", paths.size() - skipped, total / 3600, bins.size(),
                    spark.sparkContext().master(), skipped));
            jsc.setJobDescription("qwen-asr: transcribe " + work.size() + " inputs in " + bins.size() + " partitions");
            List<PartitionReport> reports;
            ProgressWatch watch = new ProgressWatch(out.dir(), runId, s.format(), bins, progress);
            try {
                reports = jsc.parallelize(bins, bins.size())
                        .mapPartitions(new TranscribeBins(s.engine(), request, s.jobs(), out.dir(), runId, s.format()))
                        .collect();
            } finally {
                watch.close();
            }
            int rows = reports.stream().mapToInt(PartitionReport::rows).sum();
            int failed = reports.stream().mapToInt(PartitionReport::errors).sum();
            double audio = reports.stream().mapToDouble(PartitionReport::audioSeconds).sum();
            Summary summary = new Summary(runId, paths.size(), skipped, rows, failed, audio, reports.size(), seconds(start));
            out.markSuccess(json(summary));
            return summary;
        }
    }

    /**
     * Turns the scan into work: one item per content hash not yet done (copies share it), one per
     * unreadable input not yet recorded. Returns how many inputs were skipped.
     */
    static int group(List<ScannedInput> scanned, DoneKeys done, List<WorkItem> work) {
        Map<String, List<String>> pathsByHash = new LinkedHashMap<>();
        Map<String, Double> weight = new HashMap<>();
        int skipped = 0;
        for (ScannedInput in : scanned) {
            if (done.covers(in)) {
                skipped++;
            } else if (in.sha256() == null) {
                work.add(new WorkItem(null, List.of(in.path()), ScannedInput.UNKNOWN_WEIGHT_SECONDS, in.readError()));
            } else {
                pathsByHash.computeIfAbsent(in.sha256(), k -> new ArrayList<>()).add(in.path());
                weight.putIfAbsent(in.sha256(), in.weightSeconds());
            }
        }
        pathsByHash.forEach((hash, paths) -> work.add(new WorkItem(hash, paths, weight.get(hash), null)));
        return skipped;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static String json(Summary s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run", s.runId());
        m.put("inputs", s.inputs());
        m.put("skipped", s.skipped());
        m.put("rows", s.rows());
        m.put("failed", s.failed());
        m.put("audio_seconds", s.audioSeconds());
        m.put("partitions", s.partitions());
        m.put("wall_seconds", s.wallSeconds());
        try {
            return JSON.writeValueAsString(m) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Prints a line whenever more of this run's part files have been committed. */
    private static final class ProgressWatch implements AutoCloseable {
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "qwen-asr-batch-progress");
            t.setDaemon(true);
            return t;
        });
        private int shown;

        ProgressWatch(Path dir, String runId, OutputFormat format, List<Bin> bins, Consumer<String> progress) {
            double total = bins.stream().mapToDouble(Bin::seconds).sum();
            String prefix = OutputDir.PART_PREFIX + runId + "-";
            timer.scheduleWithFixedDelay(() -> {
                int done = 0;
                double seconds = 0;
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path p : files.toList()) {
                        String name = p.getFileName().toString();
                        if (!name.startsWith(prefix) || !name.endsWith("." + format.extension())) continue;
                        int index = Integer.parseInt(name.substring(prefix.length(), name.indexOf('.')));
                        done++;
                        if (index < bins.size()) seconds += bins.get(index).seconds();
                    }
                } catch (IOException | RuntimeException e) {
                    return;
                }
                if (done > shown) {
                    shown = done;
                    progress.accept(String.format(Locale.ROOT, "%d/%d partitions done (%.2f of %.2f h of audio)", done,
                            bins.size(), seconds / 3600, total / 3600));
                }
            }, 5, 5, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            timer.shutdownNow();
        }
    }
}
