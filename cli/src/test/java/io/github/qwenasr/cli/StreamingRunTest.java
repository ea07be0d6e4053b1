package io.github.qwenasr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.qwenasr.json.Json;
import io.github.qwenasr.tools.Preset;
import io.github.qwenasr.tools.SyntheticCheckpoint;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --stream} end to end (docs/modes.md 6, 2.4, 1.4, 1.5) on the tiny random-weight model and the shared
 * speech clip, against the real streaming session: file and live stdin streaming, the latter through a
 * pipe that delivers a few hundred bytes at a time and is held open until the run has shown progress, so
 * the test fails if the audio were only decoded after the end of the input.
 *
 * <p>The random model's words are meaningless (and full of CJK and partial-character tokens, which is
 * what the strict UTF-8 checks want); the tests compare runs with each other and check figures
 * derivable from the clip (3.64 s), never the text.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamingRunTest {
    /** Few tokens and 1 s chunks keep the runs short: 3.64 s of audio is 3 steps plus the final one. */
    private static final String[] FAST = {"-t", "2", "--stream-max-new-tokens", "6", "--stream-chunk-sec", "1"};
    private static final Pattern INFERENCE = Pattern.compile(
            "Inference: \\d+ ms, \\d+ text tokens \\(\\d+\\.\\d{2} tok/s, encoding: \\d+ms, decoding: \\d+ms\\)");
    private static final Pattern AUDIO = Pattern.compile(
            "Audio: 3\\.6 s processed in \\d+\\.\\d s \\(\\d+\\.\\d{2}x realtime\\)");
    private static final long TIMEOUT_MS = 180_000;

    @TempDir
    static Path tmp;
    private Path model;
    private Path wav;
    private byte[] wavBytes;
    private Run fromFile;

    /** Exit status, stdout as raw bytes and stderr. */
    record Run(int exitCode, byte[] stdout, String stderr) {
        String text() {
            return strictUtf8(stdout);
        }

        List<String> errLines() {
            return stderr.lines().toList();
        }

        Run assertOk() {
            assertEquals(ExitCodes.OK, exitCode, () -> "exit status; stderr:\n" + stderr);
            return this;
        }
    }

    @BeforeAll
    void generateModelAndStreamTheFileOnce() throws IOException {
        model = SyntheticCheckpoint.generate(Preset.TINY, 7, tmp.resolve("tiny"), 1, TestFiles.shared());
        wav = TestFiles.speechWav();
        wavBytes = Files.readAllBytes(wav);
        fromFile = run(new byte[0], args("-i", wav.toString()));
    }

    private String[] args(String... extra) {
        List<String> a = new ArrayList<>(List.of("-d", model.toString(), "--stream"));
        a.addAll(Arrays.asList(FAST));
        a.addAll(Arrays.asList(extra));
        return a.toArray(String[]::new);
    }

    private static Run run(byte[] stdin, String... args) {
        return run(new ByteArrayInputStream(stdin), new ByteArrayOutputStream(), new ByteArrayOutputStream(), args);
    }

    private static Run run(InputStream in, ByteArrayOutputStream out, ByteArrayOutputStream err, String... args) {
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        int code = Main.run(args, in, o, e);
        return new Run(code, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    /** Decodes with a decoder that rejects malformed input, so a split character fails the test. */
    static String strictUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new AssertionError("stdout is not valid UTF-8: " + Arrays.toString(bytes), e);
        }
    }

    private static void assertOneLine(String stdout) {
        assertTrue(stdout.endsWith("\n"), () -> "no final newline: " + stdout);
        assertEquals(1, stdout.chars().filter(c -> c == '\n').count(), () -> "more than one line: " + stdout);
        assertFalse(stdout.contains("\r"), stdout);
        assertEquals(stdout.strip(), stdout.substring(0, stdout.length() - 1), "no blanks around the text");
    }

    @Test
    void fileStreamingPrintsOneLineAndTheStatusAndStatsLines() {
        fromFile.assertOk();
        String text = fromFile.text();
        assertOneLine(text);
        assertTrue(text.length() > 1, "the random model always says something: " + text);
        List<String> err = fromFile.errLines();
        assertEquals(6, err.size(), fromFile.stderr());
        assertEquals("Loading model from " + model, err.get(0));
        assertTrue(err.get(1).matches("Detected: Qwen3-ASR.* \\(2 threads\\)"), err.get(1));
        assertTrue(err.get(2).matches("Model loaded in \\d+ ms"), err.get(2));
        assertTrue(INFERENCE.matcher(err.get(3)).matches(), err.get(3));
        assertTrue(AUDIO.matcher(err.get(4)).matches(), err.get(4));
        // The random model never chooses an end token: its last step runs to the limit, and says so.
        assertEquals("Warning: the last streaming step stopped at its token limit without an end token; the"
                + " transcript may be cut short (raise --stream-max-new-tokens)", err.get(5));
    }

    @Test
    void debugShowsEveryStepAndProfileSummarisesThem() {
        Run r = run(new byte[0], args("-i", wav.toString(), "--debug", "--profile")).assertOk();
        assertEquals(fromFile.text(), r.text(), "diagnostics do not change the text");
        List<String> err = r.errLines();
        for (int step = 1; step <= 4; step++) {
            String prefix = "Stream step " + step + ": ";
            assertTrue(err.stream().anyMatch(l -> l.startsWith(prefix) && l.matches(".*: \\d+ ms \\(.*")),
                    () -> prefix + "missing:\n" + r.stderr());
        }
        assertFalse(err.stream().anyMatch(l -> l.startsWith("Stream step 5:")), r.stderr());
        assertTrue(err.stream().anyMatch(l -> l.startsWith("Stream text: ") && l.endsWith("(finished)")), r.stderr());
        assertTrue(err.stream().anyMatch(l -> l.matches(
                "\\[profile] stream steps: \\d+\\.\\dms \\(4 steps of 1\\.00 s, \\d+\\.\\dms avg, \\d+\\.\\dms max\\)")),
                r.stderr());
        assertTrue(err.stream().anyMatch(l -> l.matches("\\[profile] total: \\d+\\.\\dms \\(3\\.6 s of audio\\)")),
                r.stderr());
    }

    @Test
    void silentPrintsTheSameTextAndNothingElse() {
        Run r = run(new byte[0], args("-i", wav.toString(), "--silent")).assertOk();
        assertEquals(fromFile.text(), r.text());
        assertEquals("", r.stderr());
    }

    @Test
    void outputFilesAreWrittenAtOnceWithTheStreamedText() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("out"));
        Path txt = dir.resolve("speech.txt");
        Run r = run(new byte[0], args("-i", wav.toString(), "-o", txt.toString(), "--silent")).assertOk();
        assertEquals(0, r.stdout().length, "with -o nothing goes to stdout");
        assertEquals(fromFile.text(), strictUtf8(Files.readAllBytes(txt)));

        Path json = dir.resolve("speech.json");
        run(new byte[0], args("-i", wav.toString(), "--output-format", "json", "-o", json.toString())).assertOk();
        Map<String, Object> doc = Json.parseObject(strictUtf8(Files.readAllBytes(json)));
        assertEquals(fromFile.text().strip(), String.valueOf(doc.get("text")).strip());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("speech.json", "speech.txt"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary files left");
        }
    }

    @Test
    void jsonOnStdoutComesOnceAtTheEnd() {
        Run r = run(new byte[0], args("-i", wav.toString(), "--output-format", "json", "--silent")).assertOk();
        Map<String, Object> doc = Json.parseObject(r.text());
        assertEquals(fromFile.text().strip(), String.valueOf(doc.get("text")).strip());
        // How the stream ended, and no segments (a stream has none).
        assertTrue(List.of("stop", "length", "repetition", "empty").contains(doc.get("finish_reason")), r.text());
        assertEquals(List.of(), doc.get("segments"));
        assertTrue(((Number) doc.get("audio_seconds")).doubleValue() > 0);
    }

    @Test
    void stdinRawPcmArrivingSlowlyIsDecodedWhileItArrives() throws Exception {
        byte[] pcm = TestFiles.wavDataChunk(wavBytes);
        Run r = liveRun(pcm, 300, "--raw");
        assertEquals(fromFile.text(), r.text(), "live stdin gives the same text as the file");
        assertTrue(r.stderr().contains("Reading audio from stdin as it arrives: raw s16le 16 kHz mono"), r.stderr());
    }

    @Test
    void stdinWavWithAStreamingHeaderArrivingSlowly() throws Exception {
        // A header as streaming writers leave it (sizes 0xFFFFFFFF), delivered 257 bytes at a time so that
        // pieces end inside the header and inside samples.
        byte[] pcm = TestFiles.wavDataChunk(wavBytes);
        byte[] stream = new byte[44 + pcm.length];
        System.arraycopy(streamingWavHeader(16000, 1), 0, stream, 0, 44);
        System.arraycopy(pcm, 0, stream, 44, pcm.length);
        Run r = liveRun(stream, 257);
        assertEquals(fromFile.text(), r.text(), "live stdin gives the same text as the file");
        assertTrue(r.stderr().contains("WAV pcm_s16le, 16000 Hz, 1 channel, data until end of stream"), r.stderr());
    }

    @Test
    void stdinWavAtAnotherRateAndChannelCountGivesTheFileText() throws Exception {
        // The clip at 32 kHz in stereo (each sample twice in time, the right channel at half level, so the
        // downmix is 0.75 x the clip): the live path resamples block by block, the file path all at once.
        ByteBuffer pcm = ByteBuffer.wrap(TestFiles.wavDataChunk(wavBytes)).order(ByteOrder.LITTLE_ENDIAN);
        int n = pcm.remaining() / 2;
        ByteBuffer data = ByteBuffer.allocate(n * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            short s = pcm.getShort(2 * i);
            for (int k = 0; k < 2; k++) data.putShort(s).putShort((short) (s / 2));
        }
        ByteBuffer h = ByteBuffer.allocate(44 + data.capacity()).order(ByteOrder.LITTLE_ENDIAN);
        h.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + data.capacity())
                .put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1)
                .putShort((short) 2).putInt(32000).putInt(128000).putShort((short) 4).putShort((short) 16)
                .put("data".getBytes(StandardCharsets.US_ASCII)).putInt(data.capacity()).put(data.array());
        Path file = tmp.resolve("speech-32k-stereo.wav");
        Files.write(file, h.array());
        Run viaFile = run(new byte[0], args("-i", file.toString(), "--silent")).assertOk();
        Run live = liveRun(h.array(), 1000);
        assertEquals(viaFile.text(), live.text());
        assertTrue(live.stderr().contains("WAV pcm_s16le, 32000 Hz, 2 channels\n"), live.stderr());
    }

    /** A 16-bit PCM WAV header as streaming writers leave it: RIFF and data sizes 0xFFFFFFFF. */
    private static byte[] streamingWavHeader(int rate, int channels) {
        ByteBuffer h = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        h.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(-1).put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII))
                .putInt(16).putShort((short) 1).putShort((short) channels).putInt(rate).putInt(rate * 2 * channels)
                .putShort((short) (2 * channels)).putShort((short) 16)
                .put("data".getBytes(StandardCharsets.US_ASCII)).putInt(-1);
        return h.array();
    }

    /**
     * Runs --stdin --stream --debug on a pipe fed {@code piece} bytes at a time. The last 0.5 s is held
     * back until stderr shows that three decoding steps have run and stdout has text, which can only
     * happen while the input is still open if the audio is read and pushed as it arrives.
     */
    private Run liveRun(byte[] input, int piece, String... extra) throws Exception {
        PipedOutputStream feed = new PipedOutputStream();
        PipedInputStream stdin = new PipedInputStream(feed, 1 << 16);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        AtomicInteger exit = new AtomicInteger(Integer.MIN_VALUE);
        Run[] result = new Run[1];
        Thread runner = new Thread(() -> {
            List<String> a = new ArrayList<>(List.of("--stdin", "--debug"));
            a.addAll(Arrays.asList(extra));
            result[0] = run(stdin, out, err, args(a.toArray(String[]::new)));
            exit.set(result[0].exitCode());
        }, "cli-under-test");
        runner.setDaemon(true);
        runner.start();

        int holdBack = 16000; // 0.5 s of 16-bit audio
        int pos = 0;
        while (pos < input.length - holdBack) {
            int n = Math.min(piece, input.length - holdBack - pos);
            feed.write(input, pos, n);
            feed.flush();
            pos += n;
        }
        waitFor(err, s -> s.contains("Stream step 3: "), runner);
        // Before the end of the input: three steps have run, each pushed separately.
        String errBeforeEnd = err.toString(StandardCharsets.UTF_8);
        assertTrue(errBeforeEnd.contains("Stream step 1: ") && errBeforeEnd.contains("Stream step 2: "), errBeforeEnd);
        assertFalse(errBeforeEnd.contains("(finished)"), "not finished before the end of the input");
        // The third step (chunk index 2) is the first that may commit (docs/modes.md 6.6), and the random model
        // always generates text, so some of it is on stdout already.
        assertTrue(out.size() > 0, "committed text is printed before the end of the input:\n" + errBeforeEnd);
        feed.write(input, pos, input.length - pos);
        feed.close();
        runner.join(TIMEOUT_MS);
        if (runner.isAlive()) fail("no exit after the end of the input; stderr:\n" + err.toString(StandardCharsets.UTF_8));
        Run r = result[0];
        assertNotNull(r);
        r.assertOk();
        assertOneLine(r.text());
        assertTrue(r.errLines().stream().anyMatch(l -> INFERENCE.matcher(l).matches()), r.stderr());
        assertTrue(r.errLines().stream().anyMatch(l -> AUDIO.matcher(l).matches()), r.stderr());
        return r;
    }

    @Test
    void ctrlCEndsTheInputAndPrintsTheTextSoFar() throws Exception {
        byte[] pcm = TestFiles.wavDataChunk(wavBytes);
        PipedOutputStream feed = new PipedOutputStream();
        PipedInputStream stdin = new PipedInputStream(feed, 1 << 16);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Run[] result = new Run[1];
        Thread runner = new Thread(() -> result[0] = run(stdin, out, err, args("--stdin", "--raw", "--debug")),
                "cli-under-test");
        runner.setDaemon(true);
        runner.start();
        feed.write(pcm, 0, 2 * 32000); // 2 s, then the input stays open and silent
        feed.flush();
        waitFor(err, s -> s.contains("Stream step 2: "), runner);
        // The input is still open, so the run is inside its stream loop with the handler installed.
        assertTrue(InterruptHandler.available(), "SIGINT is handled on this platform");
        sun.misc.Signal.raise(new sun.misc.Signal("INT"));
        runner.join(TIMEOUT_MS);
        if (runner.isAlive()) fail("Ctrl-C did not end the run; stderr:\n" + err.toString(StandardCharsets.UTF_8));
        Run r = result[0].assertOk();
        assertOneLine(r.text());
        assertTrue(r.stderr().contains("Interrupted: transcribed the first 2.0 s of the input"), r.stderr());
        assertTrue(r.stderr().contains("(finished)"), "the session was finished: " + r.stderr());
        feed.close();
    }

    private static void waitFor(ByteArrayOutputStream stream, Predicate<String> ready, Thread runner)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (!ready.test(stream.toString(StandardCharsets.UTF_8))) {
            if (!runner.isAlive()) fail("the run ended before the input did:\n" + stream.toString(StandardCharsets.UTF_8));
            if (System.currentTimeMillis() > deadline) {
                fail("no progress while the input was open:\n" + stream.toString(StandardCharsets.UTF_8));
            }
            Thread.sleep(20);
        }
    }

    @Test
    void stdoutIsStrictUtf8ForSeveralClipsAndSettings() throws IOException {
        List<byte[]> clips = List.of(TestFiles.wavDataChunk(wavBytes),
                firstSeconds(Files.readAllBytes(TestFiles.shared().resolve("data/audio/jfk.wav")), 4),
                firstSeconds(Files.readAllBytes(TestFiles.shared().resolve("data/audio/notld_5s_dont_worry_about_him.wav")), 4));
        List<List<String>> settings = List.of(List.of(), List.of("--language", "Chinese"),
                List.of("--stream-chunk-sec", "0.7", "--prompt", "会议 记录 😀"));
        int nonAscii = 0;
        for (int c = 0; c < clips.size(); c++) {
            List<String> a = new ArrayList<>(Arrays.asList(args("--stdin", "--raw", "--silent")));
            a.addAll(settings.get(c));
            Run r = run(clips.get(c), a.toArray(String[]::new)).assertOk();
            String text = r.text(); // throws on a split character
            assertOneLine(text);
            if (text.chars().anyMatch(ch -> ch > 0x7F)) nonAscii++;
        }
        assertTrue(nonAscii > 0, "the random model's output should exercise multi-byte characters");
    }

    /** Raw PCM of the first {@code seconds} of a 16 kHz mono 16-bit WAV file. */
    private static byte[] firstSeconds(byte[] wavFile, int seconds) {
        byte[] pcm = TestFiles.wavDataChunk(wavFile);
        return Arrays.copyOf(pcm, Math.min(pcm.length, seconds * 32000));
    }

    @Test
    void skipSilenceCompactsTheFileFirst() {
        Run r = run(new byte[0], args("-i", wav.toString(), "--skip-silence")).assertOk();
        assertOneLine(r.text());
        assertTrue(r.errLines().stream().anyMatch(l -> l.matches(
                "Silence skip: used \\d+\\.\\d%, skipped \\d+\\.\\d% \\(58268 -> \\d+ samples\\)")), r.stderr());
        // The Audio line reports the original length, as in the offline mode (docs/modes.md 1.5).
        assertTrue(r.errLines().stream().anyMatch(l -> AUDIO.matcher(l).matches()), r.stderr());
    }

    @Test
    void closedStdoutIsOneErrorLineWithoutStackTrace() {
        OutputStream closedPipe = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }
        };
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args("-i", wav.toString()), new ByteArrayInputStream(new byte[0]),
                new PrintStream(closedPipe, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        CliRun r = new CliRun(code, "", err.toString(StandardCharsets.UTF_8));
        r.assertFailure(ExitCodes.FAILURE, "cannot write the output to stdout");
    }

    @Test
    void emptyOrBrokenStdinIsOneError() {
        CliRun.withStdin(new byte[2], args("--stdin")).assertFailure(ExitCodes.FAILURE, "no audio data on stdin");
        byte[] cut = Arrays.copyOf(wavBytes, 30);
        CliRun.withStdin(cut, args("--stdin")).assertFailure(ExitCodes.FAILURE, "truncated WAV header");
        CliRun.withStdin(streamingWavHeader(16000, 1), args("--stdin"))
                .assertFailure(ExitCodes.FAILURE, "no audio data on stdin");
    }

    @Test
    void pastTextNoWarns() {
        Run r = run(new byte[0], args("-i", wav.toString(), "--past-text", "no")).assertOk();
        assertOneLine(r.text());
        assertTrue(r.stderr().contains("Warning: --past-text no"), r.stderr());
    }
}
