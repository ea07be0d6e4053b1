package io.github.qwenasr.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.align.AlignedItem;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SrtWriterTest {
    static final String ENGLISH = "Hello, world! This is a test of the subtitle writer, which should break long "
            + "passages into readable cues of at most two lines. It keeps punctuation; doesn't it? "
            + "Short. Then a final sentence that goes on for a while without stopping anywhere at all";

    /** Order, non-overlap, at most two lines, and every cue starting where one of its items starts. */
    static void assertWellFormed(List<SubtitleParser.Cue> cues, List<TimedItem> items) {
        Set<Long> itemStarts = items.stream().map(i -> Math.round(i.start() * 1000)).collect(Collectors.toSet());
        for (int i = 0; i < cues.size(); i++) {
            SubtitleParser.Cue c = cues.get(i);
            assertTrue(c.startMs() <= c.endMs(), "cue " + i + " ends before it starts");
            assertTrue(c.lines().size() <= 2, "cue " + i + " has more than two lines: " + c.lines());
            assertTrue(itemStarts.contains(c.startMs()), "cue " + i + " does not start at an item");
            if (i + 1 < cues.size()) {
                assertTrue(c.endMs() <= cues.get(i + 1).startMs(), "cue " + i + " overlaps the next");
                assertTrue(c.startMs() < cues.get(i + 1).startMs(), "cues out of order");
            }
        }
    }

    @Test
    void englishCuesGiveBackTheTextWithinTheLimits() {
        List<TimedItem> items = ItemFixtures.items(ENGLISH, 0.24, 0.32);
        List<SubtitleParser.Cue> cues = SubtitleParser.parseSrt(SrtWriter.render(new TranscriptDocument("English", ENGLISH, items), 30));
        assertWellFormed(cues, items);
        assertEquals(ENGLISH, cues.stream().map(c -> c.joined(" ")).collect(Collectors.joining(" ")));
        for (SubtitleParser.Cue c : cues) {
            for (String line : c.lines()) assertTrue(line.length() <= 42, "line too long: " + line);
            assertTrue(c.endMs() - c.startMs() <= 6000, "cue longer than 6 s");
            // A sentence end only ever closes a cue.
            String body = c.joined(" ");
            String inner = body.substring(0, body.length() - 1);
            assertFalse(inner.matches(".*[.!?](\\s.*|$)"), "sentence end inside a cue: " + body);
        }
        assertEquals("Hello, world!", cues.get(0).joined(" "));
        // The second sentence needs more than two lines: its first cue ends at the comma, not mid-phrase.
        assertEquals("This is a test of the subtitle writer,", cues.get(1).joined(" "));
        assertEquals("Short.", cues.stream().filter(c -> c.joined(" ").startsWith("Short")).findFirst().orElseThrow().joined(" "));
        // The first cue runs from "Hello" (0.24 s) to the end of "world" (0.88 s).
        assertEquals(240, cues.get(0).startMs());
        assertEquals(880, cues.get(0).endMs());
    }

    @Test
    void cjkCuesHaveNoSpacesAndAtMostTwentyOneCharactersPerLine() {
        String text = "今天天气很好，我们一起去公园散步吧。然后我们再去一家新开的餐厅吃晚饭，那里的菜听说非常好吃，价格也不贵，你觉得怎么样？好的。";
        List<TimedItem> items = ItemFixtures.items(text, 0, 0.16);
        List<SubtitleParser.Cue> cues = SubtitleParser.parseSrt(SrtWriter.render(new TranscriptDocument("Chinese", text, items), 20));
        assertWellFormed(cues, items);
        assertEquals(text, cues.stream().map(c -> c.joined("")).collect(Collectors.joining()));
        for (SubtitleParser.Cue c : cues) {
            for (String line : c.lines()) {
                assertFalse(line.contains(" "), "space in a CJK line: " + line);
                assertTrue(line.codePointCount(0, line.length()) <= 21, "CJK line too long: " + line);
            }
        }
        assertEquals("今天天气很好，我们一起去公园散步吧。", cues.get(0).joined(""));
        assertEquals("好的。", cues.getLast().joined(""));
    }

    @Test
    void cuesNeverLastLongerThanSixSeconds() {
        String text = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen";
        List<TimedItem> items = ItemFixtures.items(text, 0, 0.95);
        List<SubtitleParser.Cue> cues = SubtitleParser.parseSrt(SrtWriter.render(new TranscriptDocument("English", text, items), 0));
        assertWellFormed(cues, items);
        assertTrue(cues.size() >= 3);
        for (SubtitleParser.Cue c : cues) assertTrue(c.endMs() - c.startMs() <= 6000, c.toString());
        assertEquals(text, cues.stream().map(c -> c.joined(" ")).collect(Collectors.joining(" ")));
    }

    @Test
    void shortCuesAreStretchedToHalfASecondOnlyWhereTheyFit() {
        List<TimedItem> items = List.of(new TimedItem("Hi", 1.0, 1.08), new TimedItem("Yes", 3.0, 3.08),
                new TimedItem("No", 3.2, 3.28));
        String srt = SrtWriter.render(new TranscriptDocument("English", "Hi. Yes. No.", items), 3.4);
        assertEquals("""
                1
                00:00:01,000 --> 00:00:01,500
                Hi.

                2
                00:00:03,000 --> 00:00:03,200
                Yes.

                3
                00:00:03,200 --> 00:00:03,400
                No.

                """, srt);
    }

    @Test
    void pausesStartANewCue() {
        List<TimedItem> items = List.of(new TimedItem("before", 0, 0.5), new TimedItem("after", 2.5, 3.0));
        List<SubtitleParser.Cue> cues = SubtitleParser.parseSrt(SrtWriter.render(new TranscriptDocument("English", "before after", items), 3));
        assertEquals(List.of(List.of("before"), List.of("after")), cues.stream().map(SubtitleParser.Cue::lines).toList());
    }

    @Test
    void punctuationAndQuotesAreRecoveredAroundUnits() {
        String text = "“Well,” she said — “it's fine (really).”";
        List<TimedItem> items = ItemFixtures.items(text, 0, 0.3);
        assertEquals(List.of("Well", "she", "said", "it's", "fine", "really"), items.stream().map(TimedItem::text).toList());
        List<SubtitleParser.Cue> cues = SubtitleParser.parseSrt(SrtWriter.render(new TranscriptDocument("English", text, items), 2));
        assertEquals(List.of(text), cues.stream().map(c -> c.joined(" ")).toList());
    }

    @Test
    void mixedScriptsKeepTheirOriginalSpacing() {
        String text = "我用 Java 写了hello世界程序。";
        List<TimedItem> items = ItemFixtures.items(text, 0, 0.2);
        List<SubtitleParser.Cue> cues = SubtitleParser.parseSrt(SrtWriter.render(new TranscriptDocument("Chinese", text, items), 3));
        assertEquals(1, cues.size());
        assertEquals(text, cues.get(0).joined(""));
    }

    @Test
    void itemsThatDoNotMatchTheTextAreJoinedByScript() {
        List<TimedItem> items = List.of(new TimedItem("good", 0, 0.3), new TimedItem("morning", 0.3, 0.6),
                new TimedItem("早", 0.6, 0.8), new TimedItem("上", 0.8, 1.0), new TimedItem("好", 1.0, 1.2));
        List<SubtitleParser.Cue> cues = SubtitleParser.parseSrt(SrtWriter.render(new TranscriptDocument("", "unrelated text", items), 2));
        assertEquals(List.of("good morning 早上好"), cues.stream().map(c -> c.joined(" ")).toList());
    }

    @Test
    void alignerItemsConvertAndTimestampsPassOneHour() {
        List<TimedItem> items = TimedItem.fromAligned(List.of(new AlignedItem("late", 3723.456, 3724.0)));
        assertEquals(new TimedItem("late", 3723.456, 3724.0), items.get(0));
        String srt = SrtWriter.render(new TranscriptDocument("English", "late", items), 3725);
        assertEquals("1\n01:02:03,456 --> 01:02:04,000\nlate\n\n", srt);
    }

    @Test
    void withoutItemsOneCueSpansTheAudio() {
        List<SubtitleParser.Cue> cues = SubtitleParser.parseSrt(SrtWriter.render(new TranscriptDocument("English", "Hello there.", List.of()), 12.5));
        assertEquals(List.of(new SubtitleParser.Cue(0, 12_500, List.of("Hello there."))), cues);
        String longText = ENGLISH;
        List<SubtitleParser.Cue> wrapped = SubtitleParser.parseSrt(SrtWriter.render(new TranscriptDocument("English", longText, List.of()), 40));
        assertEquals(1, wrapped.size());
        assertEquals(longText, wrapped.get(0).joined(" "));
        for (String line : wrapped.get(0).lines()) assertTrue(line.length() <= 42, line);
    }

    @Test
    void overlongWordsKeepALineOfTheirOwn() {
        String word = "Pneumonoultramicroscopicsilicovolcanoconiosis-and-more";
        String text = "a " + word + " b";
        List<TimedItem> items = ItemFixtures.items(text, 0, 0.5);
        List<SubtitleParser.Cue> cues = SubtitleParser.parseSrt(SrtWriter.render(new TranscriptDocument("English", text, items), 2));
        assertEquals(List.of(List.of("a", word), List.of("b")), cues.stream().map(SubtitleParser.Cue::lines).toList());
    }

    @Test
    void disorderedTimesStillGiveOrderedNonOverlappingCues() {
        List<TimedItem> items = List.of(new TimedItem("one", 2.0, 2.0), new TimedItem("two", 1.0, 1.0),
                new TimedItem("three", 1.0, 0.5), new TimedItem("four", 5.0, 4.0), new TimedItem("five", 4.5, 4.5));
        List<SubtitleParser.Cue> cues = SubtitleParser.parseSrt(
                SrtWriter.render(new TranscriptDocument("English", "One. Two. Three. Four. Five.", items), 6));
        assertEquals(List.of("One.", "Two.", "Three.", "Four.", "Five."), cues.stream().map(c -> c.joined(" ")).toList());
        for (int i = 0; i < cues.size(); i++) {
            assertTrue(cues.get(i).startMs() <= cues.get(i).endMs(), cues.get(i).toString());
            if (i + 1 < cues.size()) assertTrue(cues.get(i).endMs() <= cues.get(i + 1).startMs(), cues.toString());
        }
    }

    @Test
    void emptyTextGivesNoCues() {
        assertEquals("", SrtWriter.render(new TranscriptDocument("", "", List.of()), 5));
        assertEquals("", SrtWriter.render(new TranscriptDocument("", "  \n ", List.of()), 5));
    }
}
