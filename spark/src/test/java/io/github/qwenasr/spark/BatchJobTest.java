package io.github.qwenasr.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.qwenasr.QwenAsr;
import io.github.qwenasr.TranscribeOptions;
import io.github.qwenasr.align.AlignedItem;
import io.github.qwenasr.align.ForcedAligner;
import io.github.qwenasr.align.TimestampedTranscriber;
import io.github.qwenasr.audio.WavFileSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batch job end to end on local[2] with the tiny model, over 240 clips cut from the shared
 * recordings and 6 unusable files: one row per input, the engine's own result in each, reruns that
 * skip everything, a killed run that a rerun completes to the same rows.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BatchJobTest {
    private static final int CLIPS = 240;

    @TempDir
    static Path tmp;

    private static Path clips;
    private static List<Path> good;
    private static List<Path> bad;
    private static Path firstOutput;
    private static BatchJob.Summary firstRun;
    private static Map<String, JsonNode> firstRows;

    @BeforeAll
    static void runOnce() {
        clips = tmp.resolve("clips");
        good = TestClips.write(clips, CLIPS, 21);
        bad = TestClips.writeBad(clips.resolve("bad"), 5);
        firstOutput = tmp.resolve("out-first");
        firstRun = BatchJob.run(SparkTests.spark(), settings(clips, firstOutput, OutputFormat.JSONL), line -> { });
        firstRows = Reference.rows(firstOutput);
    }

    static BatchSettings settings(Path input, Path output, OutputFormat format) {
        EngineKey key = new EngineKey(SparkTests.tinyModel().toString(), null, 2);
        return new BatchSettings(input, output, format, key,
                new TranscribeRequest(null, "", SparkTests.MAX_NEW_TOKENS), 2, 60);
    }

    @Test
    @Order(1)
    void everyInputGetsOneRowWithTheEnginesOwnResult() {
        int inputs = CLIPS + bad.size();
        assertEquals(inputs, firstRun.inputs());
        assertEquals(inputs, firstRun.rows());
        assertEquals(0, firstRun.skipped());
        assertEquals(bad.size(), firstRun.failed());
        assertEquals(inputs, firstRows.size(), "one row per input path");
        assertTrue(firstRun.partitions() >= 4, "at least two partitions per slot, got " + firstRun.partitions());
        assertTrue(Files.exists(firstOutput.resolve("_SUCCESS")));

        try (QwenAsr asr = QwenAsr.load(SparkTests.tinyModel(), 2)) {
            for (Path clip : good) {
                JsonNode row = firstRows.get(clip.toAbsolutePath().normalize().toString());
                assertNotNull(row, "no row for " + clip);
                assertEquals(Reference.direct(asr, clip, SparkTests.MAX_NEW_TOKENS), Reference.cells(row), clip.toString());
                assertEquals(sha256(clip), row.get("sha256").asText());
            }
            for (Path file : bad) {
                JsonNode row = firstRows.get(file.toAbsolutePath().normalize().toString());
                assertNotNull(row, "no row for " + file);
                Reference.Cells cells = Reference.cells(row);
                assertNull(cells.text(), file.toString());
                assertNull(cells.language());
                assertNull(cells.finishReason());
                assertNotNull(cells.error(), file.toString());
                assertFalse(cells.error().contains("\n"));
                if (Files.exists(file)) {
                    // Readable but unusable: the engine's own message, as the command line prints it.
                    assertEquals(Reference.direct(asr, file, SparkTests.MAX_NEW_TOKENS).error(), cells.error());
                } else {
                    assertTrue(row.get("sha256").isNull());
                    assertEquals("cannot read audio file " + file.toAbsolutePath().normalize() + ": no such file",
                            cells.error());
                }
            }
        }
    }

    @Test
    @Order(2)
    void aRerunSkipsEverythingAndChangesNothing() throws IOException {
        Map<String, byte[]> before = partBytes(firstOutput);
        BatchJob.Summary again = BatchJob.run(SparkTests.spark(), settings(clips, firstOutput, OutputFormat.JSONL),
                line -> { });
        assertEquals(CLIPS + bad.size(), again.skipped());
        assertEquals(0, again.rows());
        assertEquals(0, again.partitions());
        Map<String, byte[]> after = partBytes(firstOutput);
        assertEquals(before.keySet(), after.keySet());
        before.forEach((name, bytes) -> assertTrue(java.util.Arrays.equals(bytes, after.get(name)), name));
        assertTrue(Files.exists(firstOutput.resolve("_SUCCESS")));
    }

    /**
     * A run killed with SIGKILL after some partitions were committed, then run again: the rerun does
     * only what is missing and the output has exactly the rows of the uninterrupted run.
     */
    @Test
    @Order(3)
    void aKilledRunRerunGivesTheSameRows() throws Exception {
        Path out = tmp.resolve("out-killed");
        Path log = tmp.resolve("killed.log");
        Process p = command(out, "0.25").redirectErrorStream(true).redirectOutput(log.toFile()).start();
        int committed;
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
            while (partCount(out) < 2 && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(100);
            assertTrue(p.isAlive(), "the run ended before it could be killed:\n" + Files.readString(log));
            committed = partCount(out);
            assertTrue(committed >= 2, "no partition committed in time:\n" + Files.readString(log));
        } finally {
            p.destroyForcibly();
            p.waitFor(60, TimeUnit.SECONDS);
        }
        String killedLog = Files.readString(log);
        Matcher m = Pattern.compile("in (\\d+) partitions").matcher(killedLog);
        assertTrue(m.find(), killedLog);
        int planned = Integer.parseInt(m.group(1));
        int left = partCount(out);
        assertTrue(left < planned, "killed after " + left + " of " + planned + " partitions");
        System.out.println("BatchJobTest: killed with " + left + " of " + planned + " partitions committed");
        assertFalse(Files.exists(out.resolve("_SUCCESS")), "a killed run is not marked complete");
        Map<String, JsonNode> partial = Reference.rows(out);
        assertTrue(partial.size() < CLIPS + bad.size());

        // The rerun: the same command, in this JVM (on its Spark session, which it leaves running).
        StringWriter rerunLog = new StringWriter();
        List<String> args = command(out, "0.25").command();
        int status = BatchCommand.run(args.subList(args.indexOf(BatchCommand.class.getName()) + 1, args.size())
                .toArray(String[]::new), Map.of(), new PrintWriter(new StringWriter(), true),
                new PrintWriter(rerunLog, true));
        assertEquals(BatchCommand.SOME_FAILED, status, rerunLog.toString());
        assertTrue(rerunLog.toString().contains(partial.size() + " skipped"), rerunLog.toString());
        assertTrue(!SparkTests.spark().sparkContext().isStopped(), "the command stopped a session it did not start");

        Map<String, JsonNode> rows = Reference.rows(out);
        assertEquals(firstRows.keySet(), rows.keySet());
        for (String path : firstRows.keySet()) {
            assertEquals(firstRows.get(path), rows.get(path), path);
        }
        try (Stream<Path> temp = Files.list(out.resolve(OutputDir.TMP))) {
            assertEquals(0, temp.count(), "temporary files left");
        }
        assertTrue(Files.exists(out.resolve("_SUCCESS")));
    }

    /** A list file as input and Parquet output: the same rows as the JSON lines of the first run. */
    @Test
    @Order(4)
    void parquetFromAListHoldsTheSameRows() throws IOException {
        List<String> listed = new ArrayList<>();
        for (int i = 0; i < 20; i++) listed.add(good.get(i * 7).toString());
        for (Path b : bad) listed.add(b.toString());
        Path list = tmp.resolve("inputs.txt");
        Files.writeString(list, "# twenty clips and the bad files\n\n" + String.join("\n", listed) + "\n");
        Path out = tmp.resolve("out-parquet");
        BatchJob.Summary s = BatchJob.run(SparkTests.spark(), settings(list, out, OutputFormat.PARQUET), line -> { });
        assertEquals(listed.size(), s.rows());
        List<Row> rows = SparkTests.spark().read().parquet(out.toString()).collectAsList();
        assertEquals(listed.size(), rows.size());
        assertEquals(ResultColumns.batchSchema(false).fieldNames().length, rows.get(0).schema().fields().length);
        // The rerun reads the Parquet part files back for what is done.
        BatchJob.Summary again = BatchJob.run(SparkTests.spark(), settings(list, out, OutputFormat.PARQUET), line -> { });
        assertEquals(listed.size(), again.skipped());
        assertEquals(0, again.rows());
        for (Row r : rows) {
            JsonNode want = firstRows.get(r.<String>getAs("path"));
            assertNotNull(want, r.toString());
            assertEquals(Reference.cells(want), new Reference.Cells(r.getAs("language"), r.getAs("text"),
                    r.getAs("finish_reason"), r.getAs("audio_seconds"), r.getAs("error")));
            assertEquals(want.get("sha256").isNull() ? null : want.get("sha256").asText(), r.<String>getAs("sha256"));
        }
    }

    /** Moved, renamed and copied files are recognised by their content and not transcribed again. */
    @Test
    @Order(5)
    void movedRenamedAndCopiedFilesAreNotRedone() throws IOException {
        Files.createDirectories(clips.resolve("moved"));
        Files.move(good.get(0), clips.resolve("moved/renamed.wav"));
        Files.copy(good.get(1), clips.resolve("copy-of-one.wav"));
        BatchJob.Summary s = BatchJob.run(SparkTests.spark(), settings(clips, firstOutput, OutputFormat.JSONL),
                line -> { });
        assertEquals(CLIPS + 1 + bad.size(), s.inputs());
        assertEquals(s.inputs(), s.skipped());
        assertEquals(0, s.rows());
        assertEquals(firstRows.keySet(), Reference.rows(firstOutput).keySet());
    }

    /** With an aligner both formats carry the words, equal to the engine's own timed transcription. */
    @Test
    @Order(6)
    void wordsWithAnAlignerInBothFormats() throws IOException {
        List<Path> some = List.of(good.get(5), good.get(6), good.get(7), bad.get(0));
        Path list = Files.writeString(tmp.resolve("aligned.txt"),
                String.join("\n", some.stream().map(Path::toString).toList()));
        EngineKey key = new EngineKey(SparkTests.tinyModel().toString(), SparkTests.tinyAligner().toString(), 2);
        TranscribeRequest request = new TranscribeRequest("English", "", SparkTests.MAX_NEW_TOKENS);
        Path jsonl = tmp.resolve("out-aligned-jsonl");
        Path parquet = tmp.resolve("out-aligned-parquet");
        BatchJob.run(SparkTests.spark(), new BatchSettings(list, jsonl, OutputFormat.JSONL, key, request, 2, 60),
                line -> { });
        BatchJob.run(SparkTests.spark(), new BatchSettings(list, parquet, OutputFormat.PARQUET, key, request, 2, 60),
                line -> { });
        Map<String, JsonNode> json = Reference.rows(jsonl);
        Map<String, Row> pq = new HashMap<>();
        for (Row r : SparkTests.spark().read().parquet(parquet.toString()).collectAsList()) pq.put(r.getAs("path"), r);
        assertEquals(json.keySet(), pq.keySet());
        int timed = 0;
        try (QwenAsr asr = QwenAsr.load(SparkTests.tinyModel(), 2);
             ForcedAligner aligner = ForcedAligner.load(SparkTests.tinyAligner(), 2)) {
            for (Path clip : some.subList(0, 3)) {
                TimestampedTranscriber.Result want;
                try (WavFileSource source = WavFileSource.open(clip)) {
                    want = new TimestampedTranscriber(asr, aligner).transcribe16k(source, TranscribeOptions.defaults()
                            .withLanguage("English").withMaxNewTokens(SparkTests.MAX_NEW_TOKENS));
                }
                JsonNode row = json.get(clip.toString());
                Row prow = pq.get(clip.toString());
                assertEquals(want.transcription().text(), row.get("text").asText());
                assertEquals(want.transcription().text(), prow.getAs("text"));
                JsonNode words = row.get("words");
                List<Row> pwords = prow.getList(prow.fieldIndex("words"));
                assertEquals(want.items().size(), words.size());
                assertEquals(want.items().size(), pwords.size());
                for (int i = 0; i < want.items().size(); i++) {
                    AlignedItem w = want.items().get(i);
                    assertEquals(w.text(), words.get(i).get("text").asText());
                    assertEquals(w.startSeconds(), words.get(i).get("start").asDouble());
                    assertEquals(w.endSeconds(), words.get(i).get("end").asDouble());
                    assertEquals(w.text(), pwords.get(i).getString(0));
                    assertEquals(w.startSeconds(), pwords.get(i).getDouble(1));
                    assertEquals(w.endSeconds(), pwords.get(i).getDouble(2));
                }
                timed += want.items().isEmpty() ? 0 : 1;
            }
        }
        assertTrue(timed > 0, "no clip got timed words");
        assertTrue(json.get(bad.get(0).toString()).get("words").isNull());
        assertTrue(pq.get(bad.get(0).toString()).isNullAt(pq.get(bad.get(0).toString()).fieldIndex("words")));
    }

    private static ProcessBuilder command(Path out, String partitionMinutes) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-") || a.startsWith("--enable-native") || a.startsWith("--sun-misc")
                    || a.startsWith("-Xss") || a.startsWith("-XX:") || a.startsWith("-Dio.netty")) {
                cmd.add(a);
            }
        }
        cmd.add("-Xmx1g");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(BatchCommand.class.getName());
        cmd.addAll(List.of("-i", clips.toString(), "-o", out.toString(), "-d", SparkTests.tinyModel().toString(),
                "--max-new-tokens", String.valueOf(SparkTests.MAX_NEW_TOKENS), "--master", "local[2]", "-t", "2",
                "--partition-minutes", partitionMinutes));
        return new ProcessBuilder(cmd);
    }

    private static int partCount(Path dir) {
        if (!Files.isDirectory(dir)) return 0;
        return Reference.parts(dir, "jsonl").size();
    }

    private static Map<String, byte[]> partBytes(Path dir) throws IOException {
        Map<String, byte[]> out = new HashMap<>();
        for (Path p : Reference.parts(dir, "jsonl")) out.put(p.getFileName().toString(), Files.readAllBytes(p));
        return out;
    }

    private static String sha256(Path file) {
        try {
            return java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

}
