package io.github.qwenasr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.ComputeMode;
import io.github.qwenasr.ComputeStatus;
import io.github.qwenasr.LoadOptions;
import io.github.qwenasr.QwenAsr;
import io.github.qwenasr.eval.TextNormalizer;
import io.github.qwenasr.json.Json;
import io.github.qwenasr.tools.Preset;
import io.github.qwenasr.tools.SyntheticCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code qwen-asr eval} end to end on the tiny random-weight model and the shared speech clip. The
 * model's words are meaningless, so the references are made from its own transcript (docs/modes.md
 * 13.5): the transcript itself must score no error, and the transcript with one word replaced, or
 * with one word added, exactly one substitution or one deletion over the known number of words.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EvalCommandTest {
    private static final String TOKENS = "12";

    @TempDir
    static Path tmp;
    private Path model;
    private Path wav;
    /** The model's transcript of the clip, as the transcription command prints it. */
    private String transcript;
    /** Its words after the scoring normalisation. */
    private List<String> words;

    @BeforeAll
    void generateModelAndTranscribeOnce() throws IOException {
        model = SyntheticCheckpoint.generate(Preset.TINY, 7, tmp.resolve("tiny"), 1, TestFiles.shared());
        wav = Files.copy(TestFiles.speechWav(), Files.createDirectories(tmp.resolve("data")).resolve("clip.wav"));
        CliRun r = CliRun.of("-d", model.toString(), "-i", wav.toString(), "-t", "2", "--max-new-tokens", TOKENS, "--silent");
        assertEquals(ExitCodes.OK, r.exitCode(), r.stderr());
        transcript = r.stdout().strip();
        words = TextNormalizer.words(TextNormalizer.normalize(transcript));
        // The checks below need a transcript of a few words; a changed fixture must fail here, not pass vacuously.
        assertTrue(words.size() >= 2, () -> "the tiny model's transcript has too few words to test with: " + transcript);
    }

    @Test
    void ownTranscriptScoresZeroAndOneChangedWordIsExactlyOneSubstitution() throws IOException {
        List<String> changed = new ArrayList<>(words);
        changed.set(words.size() / 2, "zzqxj");
        List<String> longer = new ArrayList<>(words);
        longer.add("zzqxj");
        Path tsv = tmp.resolve("data/three.tsv");
        Files.writeString(tsv, "# made-up references\npath\treference\n"
                + "clip.wav\t" + transcript + "\n"
                + "clip.wav\t" + String.join(" ", changed) + "\n"
                + wav + "\t" + String.join(" ", longer) + "\n");
        Path details = tmp.resolve("details.jsonl");
        CliRun r = CliRun.of("eval", "--model", model.toString(), "--tsv", tsv.toString(), "-t", "2",
                "--max-new-tokens", TOKENS, "--details", details.toString());
        assertEquals(ExitCodes.OK, r.exitCode(), r.stderr());
        r.assertNoStackTrace();

        int n = words.size();
        List<String> row = tableRow(r.stdout(), "exact");
        // utts, failed, words, WER, sub, del, ins: 3n + 1 reference words, one substitution, one deletion.
        assertEquals(List.of("3", "0", String.valueOf(3 * n + 1), percent(2, 3 * n + 1), "1", "1", "0"),
                row.subList(1, 8), r.stdout());
        assertTrue(r.stdout().endsWith("Primary metric: WER (words)\n") || r.stdout().endsWith("Primary metric: CER "
                + "(characters; the references' language is scored by character)\n"), r.stdout());
        assertTrue(r.stderr().contains("Data set: TSV " + tsv + ": 3 utterances\n"), r.stderr());
        assertTrue(r.stderr().contains("exact: 3 utterances in "), r.stderr());

        List<Map<String, Object>> rows = Files.readAllLines(details).stream().map(Json::parseObject).toList();
        assertEquals(3, rows.size());
        for (Map<String, Object> d : rows) {
            assertEquals("exact", d.get("mode"));
            assertEquals(transcript, d.get("hypothesis"), "every line transcribes the same clip");
            // 58 268 samples at 16 kHz, written with three decimals.
            assertEquals(58268 / 16000.0, Json.getDouble(d, "audio_seconds", -1), 0.0005);
            assertTrue(d.get("error") == null, d.toString());
        }
        assertEquals(List.of(0L, 0L, 0L), counts(rows.get(0), "words"));
        assertEquals(List.of(0L, 0L, 0L), counts(rows.get(0), "characters"));
        assertEquals(List.of(1L, 0L, 0L), counts(rows.get(1), "words"));
        assertEquals(List.of(0L, 1L, 0L), counts(rows.get(2), "words"));
        // "zzqxj" adds five reference letters the hypothesis lacks.
        assertEquals(List.of(0L, 5L, 0L), counts(rows.get(2), "characters"));
        assertEquals(Path.of(tsv.getParent().toString(), "clip.wav").toAbsolutePath().toString(), rows.get(0).get("audio"));
    }

    @Test
    void libriSpeechLayoutWithFlacThroughFfmpegAndLimit() throws IOException, InterruptedException {
        Path chapter = Files.createDirectories(tmp.resolve("ls/test-clean/61/70968"));
        // 16 kHz FLAC decodes to exactly the WAV's samples (docs/modes.md 2.6), so the transcript is the same.
        FfmpegFiles.make(chapter.resolve("61-70968-0000.flac"), "-i", wav.toString(), "-c:a", "flac");
        FfmpegFiles.make(chapter.resolve("61-70968-0001.flac"), "-i", wav.toString(), "-c:a", "flac");
        Files.writeString(chapter.resolve("61-70968.trans.txt"),
                "61-70968-0000 " + transcript.toUpperCase(java.util.Locale.ROOT) + "\n61-70968-0001 NEVER RUN\n");
        CliRun r = CliRun.of("eval", "--model", model.toString(), "--librispeech", tmp.resolve("ls").toString(),
                "--max-new-tokens", TOKENS, "-t", "2", "--limit", "1", "--mode", "EXACT");
        assertEquals(ExitCodes.OK, r.exitCode(), r.stderr());
        assertEquals(List.of("1", "0", String.valueOf(words.size()), "0.00%", "0", "0", "0"),
                tableRow(r.stdout(), "exact").subList(1, 8), r.stdout());
        assertTrue(r.stderr().contains(": 2 utterances\nLimited to the first 1\n"), r.stderr());
    }

    @Test
    void int8ModeIsARowOfItsOwnBesideExact() throws IOException {
        Path tsv = tmp.resolve("data/one.tsv");
        Files.writeString(tsv, "clip.wav\t" + transcript + "\n");
        Path details = tmp.resolve("details-int8.jsonl");
        CliRun r = CliRun.of("eval", "--model", model.toString(), "--tsv", tsv.toString(), "-t", "2",
                "--max-new-tokens", TOKENS, "--mode", "exact,int8", "--details", details.toString());
        assertEquals(ExitCodes.OK, r.exitCode(), r.stderr());
        assertEquals(List.of("1", "0", String.valueOf(words.size()), "0.00%"), tableRow(r.stdout(), "exact").subList(1, 5),
                r.stdout());
        // The int8 transcript may differ from the exact one (random weights, near-tied logits): only its row is checked.
        assertEquals(List.of("1", "0", String.valueOf(words.size())), tableRow(r.stdout(), "int8").subList(1, 4), r.stdout());
        assertTrue(r.stderr().contains("int8: 1 utterance in "), r.stderr());
        List<Map<String, Object>> rows = Files.readAllLines(details).stream().map(Json::parseObject).toList();
        assertEquals(List.of("exact", "int8"), rows.stream().map(d -> d.get("mode")).toList());
        assertTrue(rows.get(1).get("error") == null, rows.get(1).toString());
    }

    /** bf16 is a row of its own where oneDNN and the CPU allow it, and a one-line error where they do not. */
    @Test
    void bf16ModeIsARowOfItsOwnOrSaysWhyNot() throws IOException {
        Path tsv = tmp.resolve("data/one-bf16.tsv");
        Files.writeString(tsv, "clip.wav\t" + transcript + "\n");
        ComputeStatus here;
        try (QwenAsr asr = QwenAsr.load(model, LoadOptions.defaults().withThreads(1).withCompute(ComputeMode.BF16))) {
            here = asr.info().compute();
        }
        CliRun r = CliRun.of("eval", "--model", model.toString(), "--tsv", tsv.toString(), "-t", "2",
                "--max-new-tokens", TOKENS, "--mode", "exact,bf16");
        if (here.fellBack()) {
            r.assertFailure(ExitCodes.FAILURE, "mode 'bf16' cannot run here: " + here.detail());
        } else {
            assertEquals(ExitCodes.OK, r.exitCode(), r.stderr());
            assertEquals(List.of("1", "0", String.valueOf(words.size())), tableRow(r.stdout(), "bf16").subList(1, 4), r.stdout());
            assertTrue(r.stderr().contains("bf16: 1 utterance in "), r.stderr());
        }
    }

    /** Without the library (a path that does not exist) the bf16 row is refused with the reason, not run as exact. */
    @Test
    void bf16WithoutTheLibraryIsAnErrorNotAnExactRow() throws IOException {
        Path tsv = tmp.resolve("data/one-missing.tsv");
        Files.writeString(tsv, "clip.wav\t" + transcript + "\n");
        String old = System.getProperty("qwenasr.bf16.library");
        Path missing = tmp.resolve("libdnnl-missing.so");
        System.setProperty("qwenasr.bf16.library", missing.toString());
        try {
            CliRun r = CliRun.of("eval", "--model", model.toString(), "--tsv", tsv.toString(), "-t", "2",
                    "--max-new-tokens", TOKENS, "--mode", "bf16");
            r.assertFailure(ExitCodes.FAILURE, "mode 'bf16' cannot run here: ");
            assertTrue(r.stderr().contains("oneDNN library " + missing + " (-Dqwenasr.bf16.library) cannot be loaded")
                    || r.stderr().contains("neither avx512_bf16 nor amx_bf16"), r.stderr());
            assertTrue(r.stdout().lines().noneMatch(l -> l.startsWith("bf16 ")), "no bf16 row: " + r.stdout());
        } finally {
            if (old == null) System.clearProperty("qwenasr.bf16.library");
            else System.setProperty("qwenasr.bf16.library", old);
        }
    }

    @Test
    void everyUtteranceFailingIsAnErrorAfterTheTable() throws IOException {
        Path text = Files.writeString(tmp.resolve("data/notes.txt"), "this is not audio\n");
        Path tsv = Files.writeString(tmp.resolve("data/text.tsv"), text.getFileName() + "\tsome words here\n");
        CliRun r = CliRun.of("eval", "--model", model.toString(), "--tsv", tsv.toString(), "-t", "2");
        assertEquals(ExitCodes.FAILURE, r.exitCode(), r.stderr());
        // Scored as an empty transcript: all three words deleted.
        assertEquals(List.of("1", "1", "3", "100.00%", "0", "3", "0"), tableRow(r.stdout(), "exact").subList(1, 8));
        assertTrue(r.stderr().contains("Warning: exact: notes.txt: "), r.stderr());
        assertEquals(1, r.errorLines().size(), r.stderr());
        assertTrue(r.errorLines().get(0).startsWith("Error: every utterance failed in mode exact (the first: "),
                r.stderr());
        r.assertNoStackTrace();
    }

    @Test
    void badDataSetsAreOneErrorBeforeAnyModelIsLoaded() throws IOException {
        Path data = Files.createDirectories(tmp.resolve("bad"));
        Files.copy(wav, data.resolve("ok.wav"));
        Path noTab = Files.writeString(data.resolve("notab.tsv"), "ok.wav\tfine\nok.wav reference without a tab\n");
        Path empty = Files.writeString(data.resolve("empty.tsv"), "# nothing yet\n\n");
        Path chapter = Files.createDirectories(data.resolve("ls/1/10"));
        Files.writeString(chapter.resolve("1-10.trans.txt"), "1-10-0000 THE AUDIO IS MISSING\n");
        Path absentModel = tmp.resolve("no-model");
        String m = model.toString();

        expectFailure(ExitCodes.FAILURE, List.of("eval", "--model", m, "--librispeech", data.resolve("nope").toString()),
                "LibriSpeech folder not found: " + data.resolve("nope"));
        expectFailure(ExitCodes.FAILURE, List.of("eval", "--model", m, "--tsv", empty.toString()),
                empty + " lists no utterances");
        expectFailure(ExitCodes.FAILURE, List.of("eval", "--model", m, "--tsv", noTab.toString()),
                noTab + " line 2: expected 'path<TAB>reference', found no tab");
        expectFailure(ExitCodes.FAILURE, List.of("eval", "--model", m, "--librispeech", data.resolve("ls").toString()),
                "1-10.trans.txt line 1: audio file not found: " + chapter.resolve("1-10-0000.flac"));
        expectFailure(ExitCodes.FAILURE, List.of("eval", "--model", m, "--tsv", noTab.toString().replace("notab", "absent")),
                "TSV file not found: ");
        // The details file is checked before the model is loaded.
        Path ok = Files.writeString(data.resolve("ok.tsv"), "ok.wav\tfine\n");
        expectFailure(ExitCodes.FAILURE, List.of("eval", "--model", m, "--tsv", ok.toString(), "--details", data.toString()),
                data.toString());
        // Nor may it be a file the run reads: the TSV (spelled another way) or an audio file.
        String tsvAgain = data.resolve("ls/../ok.tsv").toString();
        expectFailure(ExitCodes.FAILURE, List.of("eval", "--model", m, "--tsv", ok.toString(), "--details", tsvAgain),
                "--details " + tsvAgain + " is the data set's file " + ok);
        expectFailure(ExitCodes.FAILURE, List.of("eval", "--model", m, "--tsv", ok.toString(), "--details",
                data.resolve("ok.wav").toString()), "is the data set's file " + data.resolve("ok.wav"));
        assertEquals("ok.wav\tfine\n", Files.readString(ok));
        // The data set is read first, then the model fails to load.
        CliRun r = expectFailure(ExitCodes.FAILURE, List.of("eval", "--model", absentModel.toString(), "--tsv", ok.toString()),
                "model directory not found: " + absentModel);
        assertTrue(r.stderr().contains("Loading model from " + absentModel), r.stderr());
    }

    @Test
    void usageErrors() {
        String m = model.toString();
        String tsv = tmp.resolve("data/any.tsv").toString();
        expectFailure(ExitCodes.USAGE, List.of("eval", "--tsv", tsv), "eval needs --model <dir>");
        expectFailure(ExitCodes.USAGE, List.of("eval", "--model", m), "no data set: give --librispeech <dir> or --tsv <file>");
        expectFailure(ExitCodes.USAGE, List.of("eval", "--model", m, "--tsv", tsv, "--librispeech", m),
                "--librispeech and --tsv are mutually exclusive");
        expectFailure(ExitCodes.USAGE, List.of("eval", "--model", m, "--tsv", tsv, "--mode", "fast"),
                "unknown mode 'fast' for --mode; modes: exact, int8, bf16");
        expectFailure(ExitCodes.USAGE, List.of("eval", "--model", m, "--tsv", tsv, "--mode", "exact,EXACT"),
                "--mode lists 'exact' twice");
        expectFailure(ExitCodes.USAGE, List.of("eval", "--model", m, "--tsv", tsv, "--limit", "0"),
                "--limit must be at least 1, got 0");
        expectFailure(ExitCodes.USAGE, List.of("eval", "--model", m, "--tsv", tsv, "--language", "en"),
                "unsupported language 'en' for --language");
        expectFailure(ExitCodes.USAGE, List.of("eval", "--model", m, "--tsv", tsv, "--bogus"), "(see qwen-asr eval --help)");
        expectFailure(ExitCodes.USAGE, List.of("--silent", "eval", "--model", m, "--tsv", tsv),
                "'eval' comes first: qwen-asr eval [options]");
    }

    @Test
    void helpNamesTheOptions() {
        CliRun r = CliRun.of("eval", "--help");
        assertEquals(ExitCodes.OK, r.exitCode(), r.stderr());
        for (String option : List.of("--model", "--librispeech", "--tsv", "--mode", "--limit", "--language", "--details")) {
            assertTrue(r.stdout().contains(option), () -> option + " missing from:\n" + r.stdout());
        }
        assertFalse(r.stdout().contains("--stdin"), "the transcription options are not the eval command's");
    }

    private static CliRun expectFailure(int exit, List<String> args, String fragment) {
        CliRun r = CliRun.of(args.toArray(String[]::new));
        r.assertFailure(exit, fragment);
        assertFalse(r.stderr().contains("model loaded"), r.stderr());
        return r;
    }

    /** The cells of the table row of {@code mode}. */
    private static List<String> tableRow(String stdout, String mode) {
        return stdout.lines().filter(l -> l.startsWith(mode + " ")).findFirst()
                .map(l -> List.of(l.split(" +"))).orElseThrow(() -> new AssertionError("no row " + mode + " in:\n" + stdout));
    }

    private static List<Long> counts(Map<String, Object> row, String unit) {
        Map<String, Object> c = Json.object(row, unit);
        return List.of(Json.getLong(c, "substitutions", -1), Json.getLong(c, "deletions", -1),
                Json.getLong(c, "insertions", -1));
    }

    private static String percent(int errors, int words) {
        return String.format(java.util.Locale.ROOT, "%.2f%%", 100.0 * errors / words);
    }
}
