package io.github.qwenasr.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.TranscribeOptions;
import io.github.qwenasr.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Totals, the table and the JSON lines on results made up by hand (no model involved). */
class ReportAndDetailsTest {
    @TempDir
    Path tmp;

    private final EvalItem first = new EvalItem("u1", Path.of("a.wav"), "one two");
    private final EvalItem second = new EvalItem("u2", Path.of("b.wav"), "a b c d e f g h");

    @Test
    void totalsAreCorpusLevelAndFailuresCountAsEmptyTranscripts() {
        ModeReport r = ModeReport.of(EvalMode.EXACT, 1.5, List.of(
                result(first, "one three", 2.0, 1.0, null),
                result(second, "", 6.0, 0.5, "damaged audio")));
        assertEquals(2, r.utterances());
        assertEquals(1, r.failures());
        // 1 substitution of 2 words, then 8 deletions of 8 words: 9 of 10.
        assertEquals(new EditCounts(10, 1, 8, 0), r.words());
        assertEquals(0.9, r.wordErrorRate(), 1e-12);
        // "onetwo" / "onethree": o n e t kept, w->h, o->r, +e, +e (the longest common subsequence is "onet",
        // so no cheaper alignment exists); then the 8 letters of the failed utterance deleted.
        assertEquals(new EditCounts(14, 2, 8, 2), r.characters());
        assertEquals(8.0, r.audioSeconds());
        assertEquals(1.5, r.wallSeconds());
        assertEquals(1.5 / 8.0, r.realTimeFactor(), 1e-12);
    }

    @Test
    void tableHasAFigureInEveryColumnAndNamesThePrimaryMetric() {
        ModeReport r = ModeReport.of(EvalMode.EXACT, 1.5, List.of(result(first, "one three", 2.0, 1.0, null)));
        Dataset d = new Dataset("made up", List.of(first));
        String table = ReportTable.render(new EvalResult(d, PrimaryMetric.WER, List.of(r), List.of()));
        List<String> lines = table.lines().toList();
        assertEquals(3, lines.size(), table);
        assertEquals(List.of("mode", "utts", "failed", "words", "WER", "sub", "del", "ins", "chars", "CER", "c.sub",
                "c.del", "c.ins", "audio_s", "load_s", "wall_s", "RTF"), List.of(lines.get(0).split(" +")));
        // 1 of 2 words; "onetwo" / "onethree" is 4 character errors of 6.
        assertEquals(List.of("exact", "1", "0", "2", "50.00%", "1", "0", "0", "6", "66.67%", "2", "0", "2", "2.0",
                "1.5", "1.0", "0.500"), List.of(lines.get(1).split(" +")));
        assertEquals("Primary metric: WER (words)", lines.get(2));
        assertEquals(lines.get(0).length(), lines.get(1).length(), "columns line up");
    }

    @Test
    void emptyReferencesGiveNoRate() {
        EvalItem silent = new EvalItem("s", Path.of("s.wav"), "[noise]");
        ModeReport r = ModeReport.of(EvalMode.EXACT, 0, List.of(result(silent, "uh", 1.0, 0.1, null)));
        assertEquals(new EditCounts(0, 0, 0, 1), r.words());
        assertEquals("n/a", ReportTable.percent(r.wordErrorRate()));
        assertEquals("12.35%", ReportTable.percent(0.12345));
    }

    @Test
    void primaryMetricByLanguageOrByTheReferencesScript() {
        assertEquals(PrimaryMetric.CER, PrimaryMetric.forLanguage("Chinese"));
        assertEquals(PrimaryMetric.CER, PrimaryMetric.forLanguage("Korean"));
        assertEquals(PrimaryMetric.WER, PrimaryMetric.forLanguage("English"));
        assertEquals(PrimaryMetric.CER, PrimaryMetric.forReferences(List.of("今天天气很好", "OK")));
        assertEquals(PrimaryMetric.WER, PrimaryMetric.forReferences(List.of("Hello world", "用")));
        assertEquals(PrimaryMetric.CER, PrimaryMetric.forReferences(List.of("안녕하세요")));
        assertEquals(PrimaryMetric.WER, PrimaryMetric.forReferences(List.of("...", "")));
    }

    @Test
    void detailsAreOneParsableObjectPerLineWithEveryField() throws IOException {
        String tricky = "quote \" backslash \\ tab \t newline \n cr \r bell \u0007 emoji \uD83D\uDE00 lone \uD800 end";
        EvalItem item = new EvalItem("id \"1\"", Path.of("dir", "a b.wav"), tricky);
        Dataset d = new Dataset("made up", List.of(item, first));
        EvalResult result = new EvalResult(d, PrimaryMetric.WER, List.of(), List.of(
                result(item, "end", 3.25, 0.5, null), result(first, "", 0, 0.01, "cannot open")));
        Path file = tmp.resolve("details.jsonl");
        DetailsWriter.write(file, result);
        List<String> lines = Files.readAllLines(file);
        assertEquals(2, lines.size());
        Map<String, Object> row = Json.parseObject(lines.get(0));
        assertEquals(List.of("mode", "id", "audio", "reference", "hypothesis", "language", "normalized_reference",
                "normalized_hypothesis", "words", "characters", "wer", "cer", "audio_seconds", "seconds", "error"),
                List.copyOf(row.keySet()));
        assertEquals("exact", row.get("mode"));
        assertEquals("id \"1\"", row.get("id"));
        assertEquals(Path.of("dir", "a b.wav").toString(), row.get("audio"));
        assertEquals(tricky, row.get("reference"));
        assertEquals(3.25, Json.getDouble(row, "audio_seconds", -1));
        assertNull(row.get("error"));
        Map<String, Object> words = Json.object(row, "words");
        assertEquals(result.utterances().get(0).score().words().reference(), Json.getLong(words, "reference", -1));
        Map<String, Object> failed = Json.parseObject(lines.get(1));
        assertEquals("cannot open", failed.get("error"));
        assertEquals(2, Json.getLong(Json.object(failed, "words"), "deletions", -1));
        assertEquals(1.0, Json.getDouble(failed, "wer", -1));
    }

    @Test
    void detailsFileIsLeftAsItWasWhenItCannotBeWritten() throws IOException {
        Path folder = Files.createDirectory(tmp.resolve("a-folder"));
        EvalResult result = new EvalResult(new Dataset("d", List.of(first)), PrimaryMetric.WER, List.of(),
                List.of(result(first, "one two", 1, 1, null)));
        assertThrows(RuntimeException.class, () -> DetailsWriter.write(folder, result));
        assertTrue(Files.isDirectory(folder));
        try (var files = Files.list(tmp)) {
            assertEquals(List.of(folder), files.toList(), "no temporary file left behind");
        }
    }

    @Test
    void modes() {
        assertEquals(Optional.of(EvalMode.INT8), EvalMode.parse(" INT8 "));
        assertEquals(Optional.of(EvalMode.BF16), EvalMode.parse("bf16"));
        assertEquals(Optional.empty(), EvalMode.parse("fast"));
        assertEquals(List.of("exact", "int8", "bf16"), Arrays.stream(EvalMode.values()).map(EvalMode::label).toList());
        // Every mode goes through the engine's load, which reports a folder without a model in one line.
        for (EvalMode m : EvalMode.values()) {
            QwenAsrException e = assertThrows(QwenAsrException.class, () -> m.load(tmp.resolve("no-model"), 1));
            assertEquals("model directory not found: " + tmp.resolve("no-model"), e.getMessage());
        }
        assertEquals(List.of(EvalMode.EXACT, EvalMode.BF16),
                new EvalSettings(tmp, List.of(EvalMode.EXACT, EvalMode.BF16), 1, TranscribeOptions.defaults()).modes());
        assertThrows(IllegalArgumentException.class,
                () -> new EvalSettings(tmp, List.of(EvalMode.EXACT, EvalMode.EXACT), 1, TranscribeOptions.defaults()));
    }

    private static UtteranceResult result(EvalItem item, String hypothesis, double audio, double seconds, String error) {
        return new UtteranceResult(EvalMode.EXACT, item, hypothesis, "", Score.of(item.reference(), hypothesis), audio,
                seconds, Optional.ofNullable(error));
    }
}
