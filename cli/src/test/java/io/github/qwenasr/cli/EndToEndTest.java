package io.github.qwenasr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.tools.Preset;
import io.github.qwenasr.tools.SyntheticCheckpoint;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole command on a tiny random-weight model (tools' synthetic checkpoint) and the shared
 * speech clip: file and stdin input agree, stdout is one line, stderr has the docs/modes.md 1.5 lines,
 * the verbosity flags do what they say, and a truncated weights file is one clear error.
 *
 * <p>The random model's words are meaningless, so the tests compare runs with each other and check
 * figures derivable from the clip itself (3.64 s, 58 268 samples, 364 mel frames), never the text.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EndToEndTest {
    /** Few tokens keep each run short; the model is random anyway. */
    private static final String TOKENS = "8";
    private static final Pattern INFERENCE = Pattern.compile(
            "Inference: \\d+ ms, \\d+ text tokens \\(\\d+\\.\\d{2} tok/s, encoding: \\d+ms, decoding: \\d+ms\\)");
    private static final Pattern AUDIO = Pattern.compile(
            "Audio: 3\\.6 s processed in \\d+\\.\\d s \\(\\d+\\.\\d{2}x realtime\\)");

    @TempDir
    static Path tmp;
    private Path model;
    private String wav;
    private CliRun fromFile;

    @BeforeAll
    void generateModelAndTranscribeOnce() throws IOException {
        model = SyntheticCheckpoint.generate(Preset.TINY, 7, tmp.resolve("tiny"), 1, TestFiles.shared());
        wav = TestFiles.speechWav().toString();
        fromFile = CliRun.of("-d", model.toString(), "-i", wav, "-t", "2", "--max-new-tokens", TOKENS);
    }

    @Test
    void fileInputPrintsOneLineAndTheStatusAndStatsLines() {
        assertEquals(ExitCodes.OK, fromFile.exitCode(), fromFile.stderr());
        assertOneLine(fromFile.stdout());
        List<String> err = fromFile.stderrLines();
        assertEquals(6, err.size(), fromFile.stderr());
        assertEquals("Loading model from " + model, err.get(0));
        assertTrue(err.get(1).matches("Detected: Qwen3-ASR.* \\(2 threads\\)"), err.get(1));
        assertTrue(err.get(2).matches("Model loaded in \\d+ ms"), err.get(2));
        assertTrue(INFERENCE.matcher(err.get(3)).matches(), err.get(3));
        assertTrue(AUDIO.matcher(err.get(4)).matches(), err.get(4));
        // The random model never ends by itself, so its one run stops at the limit.
        assertEquals("Warning: 1 of 1 part stopped at the token limit without an end token; "
                + "the transcript may be cut short (raise --max-new-tokens)", err.get(5));
    }

    @Test
    void quantizeInt8SaysHowItGotTheWeightsFirstQuantizedThenMapped() {
        for (String how : List.of("int8 weights: quantized into ", "int8 weights: mapped ")) {
            CliRun r = CliRun.of("-d", model.toString(), "-i", wav, "-t", "2", "--max-new-tokens", TOKENS,
                    "--quantize", "int8");
            assertEquals(ExitCodes.OK, r.exitCode(), r.stderr());
            assertOneLine(r.stdout());
            List<String> err = r.stderrLines();
            assertTrue(err.get(2).matches("Model loaded in \\d+ ms"), err.get(2));
            assertTrue(err.get(3).startsWith(how), r.stderr());
            assertTrue(INFERENCE.matcher(err.get(4)).matches(), err.get(4));
        }
    }

    @Test
    void stdinWavGivesTheSameTranscriptAndLaterSilentBeatsEarlierDebug() throws IOException {
        CliRun r = CliRun.withStdin(Files.readAllBytes(Path.of(wav)),
                "-d", model.toString(), "--stdin", "--max-new-tokens", TOKENS, "--debug", "--silent");
        assertEquals(ExitCodes.OK, r.exitCode(), r.stderr());
        assertEquals(fromFile.stdout(), r.stdout());
        assertEquals("", r.stderr());
    }

    @Test
    void stdinRawPcmOfTheSameSamplesGivesTheSameTranscript() throws IOException {
        byte[] pcm = TestFiles.wavDataChunk(Files.readAllBytes(Path.of(wav)));
        CliRun r = CliRun.withStdin(pcm, "-d", model.toString(), "--stdin", "--raw", "--max-new-tokens", TOKENS,
                "--silent");
        assertEquals(ExitCodes.OK, r.exitCode(), r.stderr());
        assertEquals(fromFile.stdout(), r.stdout());
    }

    @Test
    void debugShowsEveryStageWithCountsFromTheClip() throws IOException {
        CliRun r = CliRun.withStdin(Files.readAllBytes(Path.of(wav)),
                "-d", model.toString(), "--stdin", "--max-new-tokens", TOKENS, "--silent", "--debug");
        assertEquals(ExitCodes.OK, r.exitCode(), r.stderr());
        assertEquals(fromFile.stdout(), r.stdout());
        String err = r.stderr();
        assertTrue(err.contains("Reading audio from stdin: WAV\n"), err);
        // 58 268 samples; floor(58268 / 160) = 364 mel frames.
        assertTrue(err.contains("Input: 58268 samples at 16 kHz (3.64 s)\n"), err);
        assertTrue(err.lines().anyMatch(l -> l.matches("Mel: 364 frames \\(\\d+ ms\\)")), err);
        assertTrue(err.lines().anyMatch(l -> l.matches("Encoder: \\d+ tokens \\(\\d+ ms\\)")), err);
        assertTrue(err.lines().anyMatch(l -> l.matches("Prefill: \\d+ tokens \\(\\d+ ms\\)")), err);
        assertTrue(err.lines().anyMatch(l -> l.matches("Decode: \\d+ tokens \\(\\d+ ms, \\d+\\.\\d{2} ms/token\\)")), err);
        assertTrue(err.lines().anyMatch(l -> l.startsWith("Language: ")), err);
        assertTrue(err.lines().anyMatch(l -> l.startsWith("Raw output: ")), err);
        assertTrue(err.lines().anyMatch(l -> INFERENCE.matcher(l).matches()), err);
        assertTrue(err.lines().anyMatch(l -> AUDIO.matcher(l).matches()), err);
    }

    @Test
    void profileReportAppearsEvenWhenSilent() {
        CliRun r = CliRun.of("-d", model.toString(), "-i", wav, "--max-new-tokens", TOKENS, "--silent", "--profile",
                "--language", "english", "--encoder-attention", "FULL", "--prompt", "names: Ada");
        assertEquals(ExitCodes.OK, r.exitCode(), r.stderr());
        assertOneLine(r.stdout());
        List<String> err = r.stderrLines();
        assertEquals(List.of("model load", "mel", "encoder", "prefill", "decode", "total"),
                err.stream().map(l -> l.replaceFirst("^\\[profile] ([a-z ]+):.*$", "$1")).toList(), r.stderr());
        assertTrue(err.get(1).matches("\\[profile] mel: \\d+\\.\\dms \\(364 frames\\)"), err.get(1));
        assertTrue(err.get(4).matches("\\[profile] decode: \\d+\\.\\dms \\(\\d+ tokens, \\d+\\.\\d{2} ms/token\\)"), err.get(4));
    }

    @Test
    void truncatedWeightsFileIsOneErrorNamingTheFile() throws IOException {
        Path broken = Files.createDirectory(tmp.resolve("truncated"));
        try (Stream<Path> files = Files.list(model)) {
            for (Path f : files.toList()) Files.copy(f, broken.resolve(f.getFileName()));
        }
        Path weights = broken.resolve("model.safetensors");
        try (RandomAccessFile raf = new RandomAccessFile(weights.toFile(), "rw")) {
            raf.setLength(raf.length() / 2);
        }
        CliRun r = CliRun.of("-d", broken.toString(), "-i", wav)
                .assertFailure(ExitCodes.FAILURE, "model.safetensors");
        assertEquals(List.of("Loading model from " + broken), r.stderrLines().subList(0, 1));
        assertFalse(r.stderr().contains("Inference:"), r.stderr());
    }

    private static void assertOneLine(String stdout) {
        assertTrue(stdout.endsWith("\n"), () -> "no final newline: " + stdout);
        assertEquals(1, stdout.chars().filter(c -> c == '\n').count(), () -> "more than one line: " + stdout);
        assertFalse(stdout.contains("\r"), stdout);
    }
}
