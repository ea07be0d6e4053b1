package io.github.qwenasr.align.japanese;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.align.AlignmentUnits;
import io.github.qwenasr.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * How far the Kuromoji units differ from the official nagisa units (docs/model.md 7.2), measured on the
 * sentences of tools/golden/nagisa_units.py, whose output (the official tokenize_japanese) is the
 * resource golden/japanese/nagisa_units.json. Two figures: the share of sentences whose unit lists are
 * identical, and the token-level F1 where a unit counts as matched when both sides cut the same span of
 * the cleaned sentence. The floors are the measured values less a small margin, so a change of analyser
 * or dictionary that moves further from nagisa fails here.
 */
class NagisaAgreementTest {
    // Measured with kuromoji-ipadic 0.9.0 against nagisa 0.2.11 on the 34 sentences: 26 identical (0.765),
    // token precision 0.957, recall 0.947, F1 0.952 (without the two adjustments of KuromojiSegmenter,
    // on the first 32 sentences: 20 identical (0.625), F1 0.904).
    private static final double EXACT_MATCH_FLOOR = 0.73;
    private static final double TOKEN_F1_FLOOR = 0.93;

    @Test
    @SuppressWarnings("unchecked")
    void kuromojiAgreesWithNagisaAtLeastAsMuchAsMeasured() throws IOException {
        List<Map<String, Object>> cases;
        try (InputStream in = NagisaAgreementTest.class.getResourceAsStream("/golden/japanese/nagisa_units.json")) {
            assertNotNull(in, "fixture golden/japanese/nagisa_units.json is missing");
            cases = (List<Map<String, Object>>) Json.parseObject(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .get("cases");
        }
        assertTrue(cases.size() >= 30, "fixture has too few sentences");
        int exact = 0;
        long matched = 0;
        long ours = 0;
        long theirs = 0;
        StringBuilder differences = new StringBuilder();
        for (Map<String, Object> c : cases) {
            String text = (String) c.get("text");
            List<String> reference = (List<String>) c.get("units");
            List<String> units = AlignmentUnits.split(text, "Japanese");
            // Both sides keep the same characters, so their spans index the same string.
            assertEquals(String.join("", reference), String.join("", units), "kept characters of " + text);
            if (units.equals(reference)) {
                exact++;
            } else {
                differences.append("\n  nagisa   ").append(reference).append("\n  kuromoji ").append(units);
            }
            Set<Long> referenceSpans = spans(reference);
            for (long span : spans(units)) {
                if (referenceSpans.contains(span)) matched++;
            }
            ours += units.size();
            theirs += reference.size();
        }
        double exactRate = (double) exact / cases.size();
        double precision = (double) matched / ours;
        double recall = (double) matched / theirs;
        double f1 = 2 * precision * recall / (precision + recall);
        System.out.printf("Kuromoji vs nagisa: %d/%d sentences identical (%.3f), token precision %.3f recall %.3f F1 %.3f%s%n",
                exact, cases.size(), exactRate, precision, recall, f1, differences);
        assertTrue(exactRate >= EXACT_MATCH_FLOOR, "exact-match rate " + exactRate);
        assertTrue(f1 >= TOKEN_F1_FLOOR, "token F1 " + f1);
    }

    /** Each unit as (start, end) in the concatenated units, packed in one long. */
    private static Set<Long> spans(List<String> units) {
        Set<Long> spans = new HashSet<>();
        int start = 0;
        for (String u : units) {
            int end = start + u.length();
            spans.add(((long) start << 32) | end);
            start = end;
        }
        return spans;
    }
}
