package io.github.qwenasr.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.ComputeMode;
import io.github.qwenasr.Quantization;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad command lines: one line on stderr and the right status, before Spark starts. */
class BatchCommandTest {
    @TempDir
    Path tmp;

    private record Result(int status, String out, String err) {
    }

    private Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = BatchCommand.run(args, Map.of("QWEN_ASR_CACHE", tmp.resolve("cache").toString()),
                new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(status, out.toString(), err.toString());
    }

    private String[] withInput(String... more) throws IOException {
        Path in = Files.createDirectories(tmp.resolve("in"));
        List<String> a = new ArrayList<>(List.of("-i", in.toString(), "-o", tmp.resolve("out").toString(),
                "-d", SparkTests.tinyModel().toString()));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    private static void oneLineError(Result r, int status, String contains) {
        assertEquals(status, r.status(), r.err());
        assertTrue(r.err().startsWith("Error: "), r.err());
        assertTrue(r.err().contains(contains), r.err());
        assertTrue(r.err().lines().count() <= 2, r.err());
        assertTrue(!r.err().contains("\tat "), "a stack trace: " + r.err());
    }

    @Test
    void usageErrorsExitWithTwo() throws IOException {
        oneLineError(run("-o", "x"), BatchCommand.USAGE, "Missing required option: '--input <dir|list>'");
        oneLineError(run(withInput("--format", "csv")), BatchCommand.USAGE, "unknown format 'csv' (jsonl or parquet)");
        oneLineError(run(withInput("--jobs", "0")), BatchCommand.USAGE, "--jobs must be at least 1, got 0");
        oneLineError(run(withInput("--partition-minutes", "-1")), BatchCommand.USAGE, "--partition-minutes must be");
        oneLineError(run(withInput("--language", "Klingon")), BatchCommand.USAGE, "Klingon");
        oneLineError(run(withInput("--conf", "spark.executor.memory")), BatchCommand.USAGE,
                "--conf needs KEY=VALUE, got 'spark.executor.memory'");
        oneLineError(run(withInput("--max-new-tokens", "x")), BatchCommand.USAGE, "--max-new-tokens");
        oneLineError(run(withInput("--quantize", "int4")), BatchCommand.USAGE,
                "Invalid value for option '--quantize': expected none or int8, got 'int4'");
        oneLineError(run(withInput("--compute", "fp8")), BatchCommand.USAGE,
                "Invalid value for option '--compute': --compute must be exact or bf16, got 'fp8'");
    }

    @Test
    void computeReachesTheEngineKey() throws IOException {
        BatchCommand plain = new BatchCommand(Map.of(), new PrintWriter(new StringWriter()));
        new picocli.CommandLine(plain).parseArgs(withInput());
        assertEquals(ComputeMode.EXACT, plain.settings().engine().compute(), "exact by default");
        BatchCommand bf16 = new BatchCommand(Map.of(), new PrintWriter(new StringWriter()));
        new picocli.CommandLine(bf16).parseArgs(withInput("--compute", "BF16"));
        EngineKey key = bf16.settings().engine();
        assertEquals(ComputeMode.BF16, key.compute());
        assertTrue(!key.equals(plain.settings().engine()), "a bf16 engine is not shared with an exact one");
    }

    @Test
    void quantizeReachesTheEngineKey() throws IOException {
        BatchCommand plain = new BatchCommand(Map.of(), new PrintWriter(new StringWriter()));
        new picocli.CommandLine(plain).parseArgs(withInput());
        assertEquals(Quantization.NONE, plain.settings().engine().quantization(), "weights as stored by default");
        BatchCommand int8 = new BatchCommand(Map.of(), new PrintWriter(new StringWriter()));
        new picocli.CommandLine(int8).parseArgs(withInput("--quantize", "INT8"));
        EngineKey key = int8.settings().engine();
        assertEquals(Quantization.INT8, key.quantization());
        assertTrue(!key.equals(plain.settings().engine()), "an int8 engine is not shared with a bf16 one");
    }

    @Test
    void missingFilesExitWithOne() throws IOException {
        oneLineError(run("-i", tmp.resolve("nowhere").toString(), "-o", tmp.resolve("out").toString(), "-d",
                SparkTests.tinyModel().toString()), BatchCommand.FAILURE, "--input " + tmp.resolve("nowhere") + " does not exist");
        Path in = Files.createDirectories(tmp.resolve("in"));
        oneLineError(run("-i", in.toString(), "-o", tmp.resolve("out").toString(), "-d", tmp.resolve("no-model").toString()),
                BatchCommand.FAILURE, "model directory not found: " + tmp.resolve("no-model"));
        oneLineError(run("-i", in.toString(), "-o", tmp.resolve("out").toString()), BatchCommand.FAILURE,
                "no model given (-d) and Qwen3-ASR-0.6B is not downloaded (in " + tmp.resolve("cache")
                        + "); run: qwen-asr download 0.6b");
        oneLineError(run(withInput("--aligner", tmp.resolve("no-aligner").toString())), BatchCommand.FAILURE,
                "aligner directory not found");
    }

    @Test
    void helpNamesTheOptionsAndExitStatuses() {
        Result r = run("--help");
        assertEquals(0, r.status());
        for (String s : List.of("--input", "--output", "--format", "--master", "--aligner", "--quantize", "--jobs",
                "--partition-minutes", "--conf", "4   the job finished but some inputs are error rows")) {
            assertTrue(r.out().contains(s), s + " missing from:\n" + r.out());
        }
    }

    private static Map<String, String> sparkConf(String... args) {
        BatchCommand cmd = new BatchCommand(Map.of(), new PrintWriter(new StringWriter()));
        new picocli.CommandLine(cmd).parseArgs(args);
        cmd.resolveMaster();
        return cmd.sparkConf();
    }

    @Test
    void sparkSettingsOfAnEmbeddedRunAClusterAndSparkSubmit() {
        Map<String, String> local = sparkConf("-i", "in", "-o", "out");
        assertEquals("local[*]", local.get("spark.master"));
        assertEquals("127.0.0.1", local.get("spark.driver.bindAddress"));
        assertEquals("false", local.get("spark.ui.enabled"));
        assertEquals(String.join(" ", JvmOptions.ENGINE), local.get("spark.executor.extraJavaOptions"));

        Map<String, String> cluster = sparkConf("-i", "in", "-o", "out", "--master", "spark://head:7077",
                "--conf", "spark.executor.extraJavaOptions=-Dmine=1", "--conf", "spark.ui.enabled=true");
        assertEquals("spark://head:7077", cluster.get("spark.master"));
        assertEquals(null, cluster.get("spark.driver.bindAddress"), "a cluster's executors must reach the driver");
        assertEquals("true", cluster.get("spark.ui.enabled"));
        assertEquals(String.join(" ", JvmOptions.ENGINE) + " -Dmine=1", cluster.get("spark.executor.extraJavaOptions"));

        // Under spark-submit its master and settings count, unless the command line says otherwise.
        System.setProperty("spark.master", "spark://submitted:7077");
        System.setProperty("spark.app.name", "nightly transcripts");
        System.setProperty("spark.executor.extraJavaOptions", "-Dsubmitted=1");
        try {
            Map<String, String> submitted = sparkConf("-i", "in", "-o", "out");
            assertEquals("spark://submitted:7077", submitted.get("spark.master"));
            assertEquals("nightly transcripts", submitted.get("spark.app.name"));
            assertEquals(String.join(" ", JvmOptions.ENGINE) + " -Dsubmitted=1",
                    submitted.get("spark.executor.extraJavaOptions"));
            assertEquals("local[3]", sparkConf("-i", "in", "-o", "out", "--master", "local[3]").get("spark.master"));
        } finally {
            System.clearProperty("spark.master");
            System.clearProperty("spark.app.name");
            System.clearProperty("spark.executor.extraJavaOptions");
        }
    }

    @Test
    void inputListsAreReadAsTheyAreWritten() throws IOException {
        Path list = tmp.resolve("list.txt");
        Files.writeString(list, "# comment\n\n  a.wav  \nsub/../b.wav\na.wav\n" + tmp.resolve("c.wav") + "\n");
        List<String> got = InputListing.list(list);
        Path cwd = Path.of("").toAbsolutePath();
        assertEquals(List.of(cwd.resolve("a.wav").toString(), cwd.resolve("b.wav").toString(),
                tmp.resolve("c.wav").toString()), got);
        Path wav = Files.write(tmp.resolve("one.wav"), TestClips.pcm16(new short[400], 1));
        QwenAsrSparkException e = org.junit.jupiter.api.Assertions.assertThrows(QwenAsrSparkException.class,
                () -> InputListing.list(wav));
        assertTrue(e.getMessage().contains("is a WAV file; give a folder"), e.getMessage());
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Files.writeString(empty.resolve("notes.txt"), "no audio here");
        e = org.junit.jupiter.api.Assertions.assertThrows(QwenAsrSparkException.class, () -> InputListing.list(empty));
        assertEquals("no .wav files in " + empty, e.getMessage());
    }
}
