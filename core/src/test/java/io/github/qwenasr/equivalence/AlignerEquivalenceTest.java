package io.github.qwenasr.equivalence;

import static io.github.qwenasr.equivalence.GoldenManifest.*;
import static org.junit.jupiter.api.Assertions.*;

import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.align.AlignedItem;
import io.github.qwenasr.align.AlignerDiagnostics;
import io.github.qwenasr.align.AlignmentResult;
import io.github.qwenasr.align.ForcedAligner;
import io.github.qwenasr.audio.AudioLoader;
import io.github.qwenasr.EncoderAttention;
import io.github.qwenasr.tools.Preset;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Java forced aligner against the official {@code Qwen3ForcedAligner.align} on the tiny-aligner
 * checkpoint (fixtures: tools/golden/make_aligner_golden.py, docs/model.md 7): same units, input ids, raw
 * classes at every {@code <timestamp>} position and repaired timestamps, head logits within 1e-3.
 * Japanese cases must be refused here: the core has no Japanese word segmenter (the qwen-asr-align module
 * supplies one; its JapaneseAlignerEquivalenceTest compares this Japanese case with the official output).
 */
class AlignerEquivalenceTest {
    static final double LOGITS_ABS = 1e-3;

    static GoldenManifest golden;
    static ForcedAligner aligner;

    @BeforeAll
    static void load() throws IOException {
        golden = GoldenManifest.load("tiny-aligner");
        Path dir = TestModels.model(Preset.TINY_ALIGNER, golden.seed(), golden.sha256("model.safetensors"));
        aligner = ForcedAligner.load(dir, 2);
    }

    @AfterAll
    static void close() {
        if (aligner != null) aligner.close();
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> cases() {
        return (List<Map<String, Object>>) golden.root.get("cases");
    }

    static float[] samples(Map<String, Object> c) {
        Map<String, Object> audio = obj(c, "audio");
        float[] s = AudioLoader.load16k(TestModels.shared().resolve((String) audio.get("path")));
        if (Boolean.TRUE.equals(audio.get("reversed"))) {
            for (int i = 0, j = s.length - 1; i < j; i++, j--) {
                float t = s[i];
                s[i] = s[j];
                s[j] = t;
            }
        }
        assertEquals(((Number) c.get("samples")).intValue(), s.length, "samples of " + c.get("name"));
        return s;
    }

    static boolean refusedLanguage(Map<String, Object> c) {
        String lang = ((String) c.get("language")).toLowerCase(java.util.Locale.ROOT);
        return lang.equals("japanese");
    }

    @Test
    void everyCaseMatchesTheOfficialAligner() throws IOException {
        assertTrue(cases().size() >= 5, "fixture has too few cases");
        int compared = checkAll(golden, aligner, "tiny-aligner");
        assertTrue(compared >= 4, "fewer than four cases compared");
    }

    /** Checks every case of a fixture; returns how many were compared (the others must be refused). */
    @SuppressWarnings("unchecked")
    static int checkAll(GoldenManifest golden, ForcedAligner aligner, String label) throws IOException {
        List<String> report = new ArrayList<>();
        int compared = 0;
        for (Map<String, Object> c : (List<Map<String, Object>>) golden.root.get("cases")) {
            String name = (String) c.get("name");
            String text = (String) c.get("text");
            String language = (String) c.get("language");
            float[] s = samples(c);
            if (refusedLanguage(c)) {
                QwenAsrException e = assertThrows(QwenAsrException.class, () -> aligner.align(s, text, language), name);
                assertTrue(e.getMessage().contains("needs the qwen-asr-align module"), e.getMessage());
                report.add(name + ": refused");
                continue;
            }
            assertArrayEquals(ints(c.get("input_ids")), AlignerDiagnostics.inputIds(aligner, s.length, text, language), name + " input ids");

            AlignmentResult r = aligner.align(s, text, language);
            assertArrayEquals(ints(c.get("raw_classes")), r.rawClasses().stream().mapToInt(Integer::intValue).toArray(),
                    name + " raw classes");
            List<Map<String, Object>> items = (List<Map<String, Object>>) c.get("items");
            List<String> units = (List<String>) c.get("units");
            assertEquals(units, r.items().stream().map(AlignedItem::text).toList(), name + " units");
            assertEquals(items.size(), r.items().size(), name + " item count");
            for (int i = 0; i < items.size(); i++) {
                AlignedItem got = r.items().get(i);
                Map<String, Object> want = items.get(i);
                assertEquals((String) want.get("text"), got.text(), name + " item " + i);
                assertEquals(((Number) want.get("start")).doubleValue(), got.startSeconds(), 0.0, name + " start " + i);
                assertEquals(((Number) want.get("end")).doubleValue(), got.endSeconds(), 0.0, name + " end " + i);
            }

            Map<String, Object> lg = obj(c, "logits");
            int[] positions = ints(lg.get("positions"));
            float[] want = golden.tensor((String) lg.get("file"));
            float[] got = AlignerDiagnostics.logitsAt(aligner, s, text, language, EncoderAttention.FULL, positions);
            assertEquals(want.length, got.length, name + " logits size");
            double worst = 0;
            for (int i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(want[i] - got[i]));
            assertTrue(worst <= LOGITS_ABS, name + ": logits differ by " + worst);
            report.add(name + ": " + units.size() + " units, logits max |diff| " + String.format("%.2e", worst));
            compared++;
        }
        System.out.println("[" + label + "] " + String.join("; ", report));
        return compared;
    }

    @Test
    void officialEncoderAttentionIsFull() throws IOException {
        // jfk has two encoder windows (143 tokens): the fixtures, made by the transformers path without a mask,
        // match FULL attention (checked above) and not the windowed computation, which stays an option.
        Map<String, Object> jfk = cases().stream().filter(c -> "jfk_english".equals(c.get("name"))).findFirst().orElseThrow();
        float[] s = samples(jfk);
        String text = (String) jfk.get("text");
        Map<String, Object> lg = obj(jfk, "logits");
        float[] want = golden.tensor((String) lg.get("file"));
        float[] windowed = AlignerDiagnostics.logitsAt(aligner, s, text, "English", EncoderAttention.WINDOWED,
                ints(lg.get("positions")));
        double worst = 0;
        for (int i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(want[i] - windowed[i]));
        System.out.println("aligner jfk WINDOWED vs official logits max |diff| " + String.format("%.3g", worst));
        assertTrue(worst > 100 * LOGITS_ABS, "windowed attention should not reproduce the official (FULL) logits: " + worst);
    }

    @Test
    void speechRecognitionModelIsNotAnAligner() throws IOException {
        Path asr = TestModels.model(Preset.TINY, 1234, null);
        QwenAsrException e = assertThrows(QwenAsrException.class, () -> ForcedAligner.load(asr, 1));
        assertTrue(e.getMessage().contains("not a forced aligner"), e.getMessage());
    }

    @Test
    void audioBeyondTheClassRangeIsRefused() {
        assertEquals(400.0, aligner.maxSeconds() * 1.0, 1e-9);
        float[] tooLong = new float[400 * 16000 + 1];
        QwenAsrException e = assertThrows(QwenAsrException.class, () -> aligner.align(tooLong, "hello", "English"));
        assertTrue(e.getMessage().contains("longer than"), e.getMessage());
        // The same check on a length alone, before any audio is read (the CLI's --align on a file).
        aligner.checkLength(400L * 16000);
        QwenAsrException byLength = assertThrows(QwenAsrException.class, () -> aligner.checkLength(4L * 3600 * 16000));
        assertTrue(byLength.getMessage().contains("audio of 14400.00 s is longer than"), byLength.getMessage());
    }
}
