package io.github.qwenasr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.tools.Preset;
import io.github.qwenasr.tools.SyntheticCheckpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many inputs in one run (docs/modes.md 1.9) on a tiny random-weight model: a folder with a corrupt
 * file among good ones (WAV and MP3), inputs given by -i and --input-list, name clashes under
 * --output-dir and --recursive. Every good input's result equals the run of that file alone; a bad
 * one is one error line and its own JSON line, the others go on, and the exit status says so.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ManyInputsTest {
    private static final String TOKENS = "8";

    @TempDir
    static Path tmp;
    private Path model;
    private Path speech;
    private Path jfk;
    private Path mp3;
    /** The text of each good clip run alone (--output-format json), by file name. */
    private final Map<String, Map<String, Object>> alone = new HashMap<>();

    @BeforeAll
    void modelClipsAndSoloRuns() throws Exception {
        model = SyntheticCheckpoint.generate(Preset.TINY, 7, tmp.resolve("tiny"), 1, TestFiles.shared());
        speech = TestFiles.speechWav();
        jfk = TestFiles.shared().resolve("data/audio/jfk.wav");
        mp3 = FfmpegFiles.make(tmp.resolve("five.mp3"), "-i",
                TestFiles.shared().resolve("data/audio/notld_5s_dont_worry_about_him.wav").toString(), "-c:a", "libmp3lame");
        for (Path clip : List.of(speech, jfk, mp3)) {
            CliRun r = CliRun.of("-d", model.toString(), "-i", clip.toString(), "-t", "2", "--max-new-tokens", TOKENS,
                    "--output-format", "json", "--silent");
            assertEquals(ExitCodes.OK, r.exitCode(), r.stderr());
            alone.put(clip.getFileName().toString(), io.github.qwenasr.json.Json.parseObject(r.stdout()));
        }
    }

    private CliRun run(String... args) {
        List<String> all = new ArrayList<>(List.of("-d", model.toString(), "-t", "2", "--max-new-tokens", TOKENS));
        all.addAll(Arrays.asList(args));
        return CliRun.of(all.toArray(String[]::new));
    }

    private static List<Map<String, Object>> jsonLines(CliRun r) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String line : r.stdout().split("\n", -1)) {
            if (!line.isEmpty()) out.add(io.github.qwenasr.json.Json.parseObject(line));
        }
        assertTrue(r.stdout().endsWith("\n"), "the last line ends");
        return out;
    }

    /** A good input's line: no error, and the language, text and finish of the file run alone. */
    private void assertSameAsAlone(Map<String, Object> line, Path expectedPath, String clipName) {
        assertEquals(expectedPath.toString(), line.get("path"));
        assertNull(line.get("error"), () -> "error in " + line);
        Map<String, Object> solo = alone.get(clipName);
        assertEquals(solo.get("language"), line.get("language"));
        assertEquals(solo.get("text"), line.get("text"), "text of " + clipName + " in the run vs alone");
        assertEquals(solo.get("finish_reason"), line.get("finish_reason"));
        assertEquals(solo.get("truncated"), line.get("truncated"));
        assertEquals(solo.get("audio_seconds"), line.get("audio_seconds"));
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aFolderWithACorruptFileAmongGoodOnes() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("folder"));
        Files.copy(speech, dir.resolve("a.wav"));
        Files.copy(mp3, dir.resolve("b.mp3"));
        byte[] wav = Files.readAllBytes(jfk);
        Files.write(dir.resolve("c.wav"), Arrays.copyOf(wav, 30)); // a header cut short
        Files.copy(jfk, dir.resolve("d.WAV"));
        Files.writeString(dir.resolve("notes.txt"), "not an input");
        Files.copy(speech, dir.resolve(".hidden.wav"));
        Path out = tmp.resolve("out");

        CliRun r = run("-i", dir.toString(), "--output-dir", out.toString());

        assertEquals(ExitCodes.FAILURE, r.exitCode(), r.stderr());
        List<Map<String, Object>> lines = jsonLines(r);
        assertEquals(4, lines.size(), r.stdout());
        assertSameAsAlone(lines.get(0), dir.resolve("a.wav"), speech.getFileName().toString());
        assertSameAsAlone(lines.get(1), dir.resolve("b.mp3"), "five.mp3");
        assertSameAsAlone(lines.get(3), dir.resolve("d.WAV"), "jfk.wav");
        Map<String, Object> bad = lines.get(2);
        assertEquals(dir.resolve("c.wav").toString(), bad.get("path"));
        assertTrue(((String) bad.get("error")).contains("c.wav"), bad.toString());
        for (String key : List.of("language", "text", "finish_reason", "output")) assertNull(bad.get(key), key);

        // One file per good input, the run's txt output of that file; nothing for the bad one, no temporary files.
        assertEquals(List.of("a.txt", "b.txt", "d.txt"), names(out));
        assertEquals(out.resolve("a.txt").toString(), lines.get(0).get("output"));
        assertEquals(TranscriptLine.of((String) alone.get("jfk.wav").get("text")),
                Files.readString(out.resolve("d.txt"), StandardCharsets.UTF_8));

        List<String> errors = r.errorLines();
        assertEquals(1, errors.size(), r.stderr());
        assertTrue(errors.get(0).contains("c.wav"), errors.get(0));
        assertTrue(r.stderrLines().contains("Transcribing 4 inputs, 4 at a time"), r.stderr());
        assertTrue(r.stderrLines().stream().anyMatch(l -> l.matches(
                "Done: 3 of 4 files transcribed, 1 failed; 0\\.00\\d h of audio in \\d+\\.\\d s, \\d+\\.\\d\\dx realtime")), r.stderr());
        r.assertNoStackTrace();
    }

    @Test
    void inputsComeOutInTheirOrderFromMinusIAndAList() throws Exception {
        Path list = tmp.resolve("inputs.txt");
        Path missing = tmp.resolve("missing.wav");
        Files.writeString(list, "# clips to transcribe\n\n  " + mp3 + "  \n" + missing + "\n" + speech + "\n",
                StandardCharsets.UTF_8);

        CliRun r = run("-i", jfk.toString(), "-i", speech.toString(), "--input-list", list.toString(), "--jobs", "3",
                "--silent");

        assertEquals(ExitCodes.FAILURE, r.exitCode(), r.stderr());
        List<Map<String, Object>> lines = jsonLines(r);
        assertEquals(4, lines.size(), "the repeated clip is transcribed once: " + r.stdout());
        assertSameAsAlone(lines.get(0), jfk, "jfk.wav");
        assertSameAsAlone(lines.get(1), speech, speech.getFileName().toString());
        assertSameAsAlone(lines.get(2), mp3, "five.mp3");
        assertEquals(missing.toString(), lines.get(3).get("path"));
        assertNotNull(lines.get(3).get("error"));
        assertNull(lines.get(0).get("output"));
        // --silent: the error line only.
        assertEquals(r.errorLines(), r.stderrLines(), r.stderr());
        assertEquals(1, r.errorLines().size());
    }

    @Test
    void clashingNamesGetNumberedInInputOrderAndSubFoldersNeedRecursive() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("tree"));
        Files.createDirectories(dir.resolve("sub/.cache"));
        Files.copy(speech, dir.resolve("x.wav"));
        Files.copy(jfk, dir.resolve("sub/x.wav"));
        Files.copy(mp3, dir.resolve("X.mp3"));
        Files.copy(speech, dir.resolve("sub/.cache/y.wav"));
        Path out = tmp.resolve("subtitles");

        CliRun flat = run("-i", dir.toString(), "--output-dir", out.toString(), "--output-format", "srt", "--jobs", "1");
        assertEquals(ExitCodes.OK, flat.exitCode(), flat.stderr());
        assertEquals(List.of(dir.resolve("X.mp3").toString(), dir.resolve("x.wav").toString()),
                jsonLines(flat).stream().map(l -> l.get("path")).toList());
        assertEquals(List.of("X.srt", "x-2.srt"), names(out));

        CliRun deep = run("-i", dir.toString(), "--recursive", "--output-dir", out.toString(), "--output-format", "srt");
        assertEquals(ExitCodes.OK, deep.exitCode(), deep.stderr());
        List<Map<String, Object>> lines = jsonLines(deep);
        // Sorted by the path inside the folder ("X.mp3" < "sub/x.wav" < "x.wav"), the hidden folder skipped.
        assertEquals(List.of(dir.resolve("X.mp3").toString(), dir.resolve("sub/x.wav").toString(), dir.resolve("x.wav").toString()),
                lines.stream().map(l -> l.get("path")).toList());
        assertEquals(List.of(out.resolve("X.srt").toString(), out.resolve("x-2.srt").toString(), out.resolve("x-3.srt").toString()),
                lines.stream().map(l -> l.get("output")).toList());
        assertSameAsAlone(lines.get(1), dir.resolve("sub/x.wav"), "jfk.wav");
        assertEquals(List.of("X.srt", "x-2.srt", "x-3.srt"), names(out));
        assertTrue(Files.readString(out.resolve("x-2.srt")).startsWith("1\n00:00:00,000 --> "), "an srt file");
    }

    @Test
    void aFolderWithoutAudioIsAnError() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("empty"));
        Files.writeString(dir.resolve("readme.md"), "nothing to hear");
        CliRun r = run("-i", dir.toString());
        r.assertFailure(ExitCodes.FAILURE, "no inputs to transcribe: no audio files in " + dir);
        assertFalse(r.stderr().contains("Loading model"), "fails before loading the model");
    }

    @Test
    void flagsForOneInputAreUsageErrorsWithMany() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("usage"));
        String a = speech.toString();
        String b = jfk.toString();
        String[][] cases = {
                {"-o", "x.txt", "-i", a, "-i", b}, {"-o writes one output", "several -i inputs", "--output-dir"},
                {"--stream", "-i", dir.toString()}, {"--stream", "-i <folder>"},
                {"--stdin", "--input-list", a}, {"--stdin", "--input-list"},
                {"--align", "hello", "-i", a, "-i", b}, {"--align"},
                {"--profile", "-i", a, "-i", b}, {"--profile"},
                {"--timestamps", "-i", a, "-i", b}, {"--timestamps", "needs --output-dir"},
                {"--output-format", "srt", "-i", a, "-i", b}, {"--output-format srt", "needs --output-dir"},
                {"--jobs", "2", "-i", a}, {"--jobs needs many inputs"},
                {"--jobs", "0", "-i", a, "-i", b}, {"--jobs must be between 1 and 64, got 0"},
                {"--recursive", "-i", a, "-i", b}, {"--recursive needs -i <folder>"},
                {"--live", "-i", a, "-i", b}, {"--live"},
        };
        for (int i = 0; i < cases.length; i += 2) {
            List<String> args = new ArrayList<>(List.of("-d", model.toString()));
            args.addAll(List.of(cases[i]));
            CliRun.of(args.toArray(String[]::new)).assertFailure(ExitCodes.USAGE, cases[i + 1]);
        }
    }
}
