package io.github.qwenasr.spark;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.util.TaskCompletionListener;
import scala.jdk.javaapi.CollectionConverters;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * The executor side of {@link QwenAsrTranscriber}: each row of a partition gets the columns of its
 * transcription, {@code jobs} rows in flight on the executor's one model, in the partition's order.
 */
final class TranscribeRows implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    private final EngineKey engine;
    private final TranscribeRequest request;
    private final int jobs;
    private final int inputIndex;
    private final boolean binary;
    private final boolean withWords;

    TranscribeRows(EngineKey engine, TranscribeRequest request, int jobs, int inputIndex, boolean binary,
                   boolean withWords) {
        this.engine = engine;
        this.request = request;
        this.jobs = jobs;
        this.inputIndex = inputIndex;
        this.binary = binary;
        this.withWords = withWords;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        if (!rows.hasNext()) return rows;
        TranscriberAdapter adapter = EngineCache.get(engine);
        InFlight<Row, Row> inFlight = new InFlight<>(rows, jobs, row -> withResult(row, transcribe(adapter, row)));
        TaskContext task = TaskContext.get();
        if (task != null) task.addTaskCompletionListener((TaskCompletionListener) ctx -> inFlight.close());
        return inFlight;
    }

    private Outcome transcribe(TranscriberAdapter adapter, Row row) {
        if (row.isNullAt(inputIndex)) return Outcome.failed("no audio: the input column is null");
        if (binary) return adapter.transcribe((byte[]) row.get(inputIndex), request);
        Path path;
        try {
            path = localPath(row.getString(inputIndex));
        } catch (IllegalArgumentException e) {
            return Outcome.failed(e.getMessage());
        }
        return adapter.transcribe(path, request);
    }

    /** A local path, or a {@code file:} URI as Spark's file sources write them. */
    static Path localPath(String s) {
        if (s.regionMatches(true, 0, "file:", 0, 5)) {
            try {
                return Path.of(URI.create(s));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("not a file path: " + s);
            }
        }
        int colon = s.indexOf("://");
        if (colon > 0 && s.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*")) {
            throw new IllegalArgumentException("cannot open " + s + " as a local file; for other file systems read the "
                    + "files with spark.read().format(\"binaryFile\") and transcribe the content column");
        }
        return Path.of(s);
    }

    private Row withResult(Row row, Outcome o) {
        int n = row.size();
        Object[] values = new Object[n + (withWords ? 6 : 5)];
        for (int i = 0; i < n; i++) values[i] = row.get(i);
        values[n] = o.language();
        values[n + 1] = o.text();
        values[n + 2] = o.finishReason();
        values[n + 3] = o.audioSeconds();
        values[n + 4] = o.error();
        if (withWords) values[n + 5] = words(o.words());
        return RowFactory.create(values);
    }

    /** Spark's rows hold arrays as Scala sequences. */
    private static scala.collection.immutable.Seq<Row> words(List<Word> words) {
        if (words == null) return null;
        List<Row> out = new ArrayList<>(words.size());
        for (Word w : words) out.add(RowFactory.create(w.text(), w.start(), w.end()));
        return CollectionConverters.asScala(out).toSeq();
    }
}
