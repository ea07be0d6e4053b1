package io.github.qwenasr.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class VttWriterTest {
    @Test
    void cuesRoundTripWithTheSameLayoutAsSrt() {
        List<TimedItem> items = ItemFixtures.items(SrtWriterTest.ENGLISH, 0.5, 0.4);
        TranscriptDocument doc = new TranscriptDocument("English", SrtWriterTest.ENGLISH, items);
        String vtt = VttWriter.render(doc, 40);
        assertTrue(vtt.startsWith("WEBVTT\n\n00:00:00.500 --> "), vtt);
        List<SubtitleParser.Cue> cues = SubtitleParser.parseVtt(vtt);
        SrtWriterTest.assertWellFormed(cues, items);
        assertEquals(SrtWriterTest.ENGLISH, cues.stream().map(c -> c.joined(" ")).collect(Collectors.joining(" ")));
        assertEquals(SubtitleParser.parseSrt(SrtWriter.render(doc, 40)), cues);
    }

    @Test
    void markupCharactersAreEscaped() {
        String text = "Tom & Jerry <live> --> now";
        List<TimedItem> items = ItemFixtures.items(text, 0, 0.5);
        String vtt = VttWriter.render(new TranscriptDocument("English", text, items), 3);
        List<SubtitleParser.Cue> cues = SubtitleParser.parseVtt(vtt);
        assertEquals(List.of(text), cues.stream().map(c -> c.joined(" ")).toList());
    }

    @Test
    void emptyTextGivesTheHeaderOnly() {
        assertEquals("WEBVTT\n", VttWriter.render(new TranscriptDocument("", "", List.of()), 3));
        assertEquals(List.of(), SubtitleParser.parseVtt(VttWriter.render(new TranscriptDocument("", "", List.of()), 3)));
    }

    @Test
    void withoutItemsOneCueSpansTheAudio() {
        String vtt = VttWriter.render(new TranscriptDocument("Chinese", "你好，世界。", List.of()), 2.25);
        assertEquals("WEBVTT\n\n00:00:00.000 --> 00:00:02.250\n你好，世界。\n", vtt);
    }
}
