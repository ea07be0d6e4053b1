package io.github.qwenasr.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.util.TaskCompletionListener;
import org.apache.spark.api.java.function.FlatMapFunction;

/**
 * The executor side of a batch run: transcribes each partition's work items, {@code jobs} at a time on
 * the executor's one model, then writes the partition's rows to a temporary file and renames it into
 * place ({@link OutputDir#commit}). Until that rename nothing of the partition is visible, so a killed
 * task or job leaves no partial output.
 */
final class TranscribeBins implements FlatMapFunction<Iterator<Bin>, PartitionReport> {
    private static final long serialVersionUID = 1L;

    private final EngineKey engine;
    private final TranscribeRequest request;
    private final int jobs;
    private final String outputDir;
    private final String runId;
    private final OutputFormat format;

    TranscribeBins(EngineKey engine, TranscribeRequest request, int jobs, Path outputDir, String runId,
                   OutputFormat format) {
        this.engine = engine;
        this.request = request;
        this.jobs = jobs;
        this.outputDir = outputDir.toString();
        this.runId = runId;
        this.format = format;
    }

    @Override
    public Iterator<PartitionReport> call(Iterator<Bin> bins) throws IOException {
        List<PartitionReport> out = new ArrayList<>();
        while (bins.hasNext()) out.add(run(bins.next()));
        return out.iterator();
    }

    private PartitionReport run(Bin bin) throws IOException {
        long start = System.nanoTime();
        boolean needsEngine = bin.items().stream().anyMatch(i -> i.readError() == null);
        TranscriberAdapter adapter = needsEngine ? EngineCache.get(engine) : null;
        List<ResultRow> rows = new ArrayList<>();
        int errors = 0;
        double seconds = 0;
        InFlight<WorkItem, Outcome> inFlight = new InFlight<>(bin.items().iterator(), jobs,
                item -> item.readError() != null ? Outcome.failed(item.readError())
                        : adapter.transcribe(Path.of(item.paths().get(0)), request));
        // A killed task stops the transcriptions in flight instead of letting them run on.
        TaskContext context = TaskContext.get();
        if (context != null) context.addTaskCompletionListener((TaskCompletionListener) ctx -> inFlight.close());
        try {
            for (WorkItem item : bin.items()) {
                Outcome o = inFlight.next();
                if (o.audioSeconds() != null) seconds += o.audioSeconds();
                String first = item.paths().get(0);
                for (String p : item.paths()) {
                    rows.add(new ResultRow(p, item.sha256(), p.equals(first) || o.ok() ? o : renamed(o, first, p)));
                    if (!o.ok()) errors++;
                }
            }
        } finally {
            inFlight.close();
        }
        Path dir = Path.of(outputDir);
        TaskContext task = TaskContext.get();
        long attempt = task == null ? System.nanoTime() : task.taskAttemptId();
        Path temp = OutputDir.tempFile(dir, runId, bin.index(), attempt, format);
        try {
            format.write(temp, rows, engine.alignerDir() != null);
            OutputDir.commit(temp, OutputDir.partFile(dir, runId, bin.index(), format));
        } catch (IOException | UncheckedIOException e) {
            java.nio.file.Files.deleteIfExists(temp);
            throw e;
        }
        return new PartitionReport(bin.index(), rows.size(), errors, seconds, (System.nanoTime() - start) / 1_000_000);
    }

    /** An error about a copy names the copy, not the file that was read. */
    private static Outcome renamed(Outcome o, String read, String copy) {
        return new Outcome(o.language(), o.text(), o.finishReason(), o.audioSeconds(), o.error().replace(read, copy),
                o.words());
    }
}
