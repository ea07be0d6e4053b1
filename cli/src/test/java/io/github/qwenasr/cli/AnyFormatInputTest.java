package io.github.qwenasr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.tools.Preset;
import io.github.qwenasr.tools.SyntheticCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command on files that are not WAV (made by ffmpeg from the shared speech clip at test time), on
 * the tiny random-weight model. What is asserted:
 * <ul>
 *   <li>FLAC of the 16 kHz WAV: the decoded samples are the WAV's (core FfmpegFileSourceTest), so the
 *       output is identical to the WAV's, offline, streaming, from stdin and in alignment mode.</li>
 *   <li>Lossy formats (MP3, Ogg/Opus, M4A, an MP4 with a video stream): the output is identical to that of
 *       the WAV ffmpeg writes from the same file, i.e. the path into the engine adds nothing; how close the
 *       decoded audio is to the original is checked at the log-mel level in core (mean |difference| below
 *       0.1, where the same clip 20 ms late is at 0.13). A random model's words cannot be compared across a
 *       codec.</li>
 *   <li>Damaged files and a video without sound fail with one line and exit 1 before the model is loaded;
 *       without ffmpeg the line names the format and how to install it.</li>
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnyFormatInputTest {
    /** Few tokens keep the runs short; --stream takes its own token limit. */
    private static final String[] FAST = {"-t", "2", "--max-new-tokens", "6"};
    private static final String[] FAST_STREAM = {"-t", "2", "--stream-max-new-tokens", "6"};
    private static final ModelLoader REACHED = (dir, options) -> {
        throw new QwenAsrException("input accepted, model reached");
    };
    private static final Duration BOUND = Duration.ofSeconds(60);

    @TempDir
    static Path tmp;
    private Path model;
    private Path wav;
    private Path flac;
    private CliRun fromWav;

    @BeforeAll
    void setUp() throws Exception {
        model = SyntheticCheckpoint.generate(Preset.TINY, 7, tmp.resolve("tiny"), 1, TestFiles.shared());
        wav = TestFiles.speechWav();
        flac = FfmpegFiles.make(tmp.resolve("speech.flac"), "-i", wav.toString());
        fromWav = run("-i", wav.toString());
        assertEquals(ExitCodes.OK, fromWav.exitCode(), fromWav.stderr());
    }

    private CliRun run(String... args) {
        return CliRun.of(withModel(args));
    }

    private String[] withModel(String... args) {
        List<String> a = new ArrayList<>(List.of("-d", model.toString()));
        a.addAll(List.of(args));
        a.addAll(List.of(a.contains("--stream") ? FAST_STREAM : FAST));
        return a.toArray(String[]::new);
    }

    private static void assertOk(CliRun r) {
        assertEquals(ExitCodes.OK, r.exitCode(), r.stderr());
        r.assertNoStackTrace();
    }

    @Test
    void flacGivesTheWavsTranscriptFromAFileAndFromStdin() throws IOException {
        CliRun r = run("-i", flac.toString());
        assertOk(r);
        assertEquals(fromWav.stdout(), r.stdout());
        CliRun piped = CliRun.withStdin(Files.readAllBytes(flac), withModel("--stdin"));
        assertOk(piped);
        assertEquals(fromWav.stdout(), piped.stdout());
    }

    @Test
    void lossyFilesGiveTheTranscriptOfTheirOwnDecode() throws Exception {
        String clip = wav.toString();
        List<Path> files = List.of(
                FfmpegFiles.make(tmp.resolve("speech.mp3"), "-i", clip, "-b:a", "64k"),
                FfmpegFiles.make(tmp.resolve("speech.ogg"), "-i", clip, "-c:a", "libopus"),
                FfmpegFiles.make(tmp.resolve("speech.m4a"), "-i", clip, "-c:a", "aac", "-ar", "44100"),
                FfmpegFiles.make(tmp.resolve("clip.mp4"), "-f", "lavfi", "-i", "testsrc=size=64x48:rate=5", "-i", clip,
                        "-shortest", "-c:v", "mpeg4", "-c:a", "aac"));
        for (Path f : files) {
            CliRun r = run("-i", f.toString());
            assertOk(r);
            assertEquals(1, r.stdout().lines().count(), f + ": " + r.stdout());
            Path decoded = FfmpegFiles.decodedWav(f, tmp.resolve(f.getFileName() + ".wav"));
            assertEquals(run("-i", decoded.toString()).stdout(), r.stdout(), f.toString());
        }
    }

    @Test
    void mp3OnStdinGivesTheSameTranscriptAsTheFile() throws Exception {
        Path mp3 = FfmpegFiles.make(tmp.resolve("stdin.mp3"), "-i", wav.toString());
        CliRun file = run("-i", mp3.toString());
        assertOk(file);
        CliRun piped = CliRun.withStdin(Files.readAllBytes(mp3), withModel("--stdin"));
        assertOk(piped);
        assertEquals(file.stdout(), piped.stdout());
    }

    @Test
    void streamingAFlacFileOrAFlacStreamGivesTheWavsText() throws IOException {
        String[] stream = {"--stream", "--stream-chunk-sec", "1"};
        CliRun reference = run(concat(new String[] {"-i", wav.toString()}, stream));
        assertOk(reference);
        CliRun file = run(concat(new String[] {"-i", flac.toString()}, stream));
        assertOk(file);
        assertEquals(reference.stdout(), file.stdout());
        CliRun live = CliRun.withStdin(Files.readAllBytes(flac), withModel(concat(new String[] {"--stdin"}, stream)));
        assertOk(live);
        assertEquals(reference.stdout(), live.stdout());
    }

    @Test
    void alignmentAndTimestampsTakeFlacAsTheWav() throws IOException {
        Path aligner = SyntheticCheckpoint.generate(Preset.TINY_ALIGNER, 1234, tmp.resolve("tiny-aligner"), 1,
                TestFiles.shared());
        String[] align = {"--aligner", aligner.toString(), "--align", "the quick brown fox", "-t", "2"};
        CliRun a = CliRun.of(concat(new String[] {"-i", flac.toString()}, align));
        assertOk(a);
        assertEquals(CliRun.of(concat(new String[] {"-i", wav.toString()}, align)).stdout(), a.stdout());
        String[] stamps = {"--aligner", aligner.toString(), "--timestamps", "--output-format", "json"};
        CliRun t = run(concat(new String[] {"-i", flac.toString()}, stamps));
        assertOk(t);
        assertEquals(run(concat(new String[] {"-i", wav.toString()}, stamps)).stdout(), t.stdout());
    }

    // ---- failures ----

    private CliRun failing(Map<String, String> env, String... args) {
        return assertTimeoutPreemptively(BOUND, () -> env == null ? CliRun.withLoader(new byte[0], REACHED, args)
                : CliRun.withStdinAndEnv(new byte[0], env, REACHED, args));
    }

    @Test
    void damagedFilesFailWithOneLineBeforeTheModelLoads() throws Exception {
        byte[] mp3 = Files.readAllBytes(FfmpegFiles.make(tmp.resolve("full.mp3"), "-i",
                TestFiles.shared().resolve("data/audio/jfk.wav").toString(), "-b:a", "64k"));
        Path truncated = Files.write(tmp.resolve("truncated.mp3"), Arrays.copyOf(mp3, mp3.length / 2));
        failing(null, "-d", model.toString(), "-i", truncated.toString())
                .assertFailure(ExitCodes.FAILURE, truncated + ": damaged MP3 audio");

        byte[] garbage = new byte[40_000];
        new Random(9).nextBytes(garbage);
        System.arraycopy(new byte[] {(byte) 0xFF, (byte) 0xFB, (byte) 0x90, 0x64}, 0, garbage, 0, 4);
        Path noise = Files.write(tmp.resolve("noise.mp3"), garbage);
        failing(null, "-d", model.toString(), "-i", noise.toString())
                .assertFailure(ExitCodes.FAILURE, noise + ": ffmpeg cannot decode this MP3 file");

        Path silentFilm = FfmpegFiles.make(tmp.resolve("silent-film.mp4"), "-f", "lavfi", "-i",
                "testsrc=size=64x48:rate=5", "-t", "2", "-c:v", "mpeg4");
        for (String mode : List.of("--silent", "--stream")) {
            failing(null, "-d", model.toString(), "-i", silentFilm.toString(), mode)
                    .assertFailure(ExitCodes.FAILURE, silentFilm + ": no audio stream in it");
        }
        failing(null, "-d", model.toString(), "-i", silentFilm.toString(), "--align", "words",
                "--aligner", model.toString()).assertFailure(ExitCodes.FAILURE, silentFilm + ": no audio stream in it");
    }

    @Test
    void aDamagedStreamOnStdinFailsAtItsEnd() throws Exception {
        byte[] bytes = Files.readAllBytes(flac);
        byte[] cut = Arrays.copyOf(bytes, bytes.length * 2 / 3);
        for (String mode : List.of("--silent", "--stream")) {
            CliRun r = assertTimeoutPreemptively(BOUND, () -> CliRun.withStdin(cut, withModel("--stdin", mode)));
            assertEquals(ExitCodes.FAILURE, r.exitCode(), r.stderr());
            List<String> errors = r.errorLines();
            assertEquals(1, errors.size(), r.stderr());
            assertTrue(errors.get(0).startsWith("Error: stdin: damaged FLAC audio"), r.stderr());
            r.assertNoStackTrace();
        }
    }

    @Test
    void withoutFfmpegTheErrorNamesTheFormatAndHowToInstallIt() throws Exception {
        Path mp3 = FfmpegFiles.make(tmp.resolve("talk.mp3"), "-i", wav.toString());
        Path missing = tmp.resolve("no/ffmpeg");
        Map<String, String> env = Map.of("QWEN_ASR_FFMPEG", missing.toString(), "PATH", System.getenv("PATH"));
        for (String mode : List.of("--silent", "--stream")) {
            failing(env, "-d", model.toString(), "-i", mp3.toString(), mode).assertFailure(ExitCodes.FAILURE,
                    mp3 + ": MP3 audio needs ffmpeg to be decoded", "ffmpeg was not found at " + missing,
                    "sudo apt install ffmpeg", "brew install ffmpeg", "winget install ffmpeg", "choco install ffmpeg");
        }
        failing(Map.of("PATH", tmp.resolve("empty-path").toString()), "-d", model.toString(), "-i", mp3.toString())
                .assertFailure(ExitCodes.FAILURE, "ffmpeg was not found on the PATH");
        // WAV never needs it.
        CliRun r = CliRun.withStdinAndEnv(new byte[0], env, REACHED, "-d", model.toString(), "-i", wav.toString());
        r.assertFailure(ExitCodes.FAILURE, "model reached");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
