package io.github.qwenasr.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputFormatTest {
    @Test
    void namesParseCaseInsensitively() {
        assertEquals(OutputFormat.TXT, OutputFormat.parse("txt"));
        assertEquals(OutputFormat.JSON, OutputFormat.parse("JSON"));
        assertEquals(OutputFormat.SRT, OutputFormat.parse(" Srt "));
        assertEquals(OutputFormat.VTT, OutputFormat.parse("vtt"));
        assertEquals("srt", OutputFormat.SRT.extension());
    }

    @Test
    void unknownNamesGiveAOneLineErrorListingTheChoices() {
        for (String bad : new String[] {"docx", "", null, "s rt"}) {
            QwenAsrException e = assertThrows(QwenAsrException.class, () -> OutputFormat.parse(bad));
            assertTrue(e.getMessage().contains("txt, json, srt, vtt"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
        assertTrue(assertThrows(QwenAsrException.class, () -> OutputFormat.parse("docx")).getMessage().contains("'docx'"));
    }

    @Test
    void renderUsesTheMatchingWriter() {
        TranscriptDocument doc = new TranscriptDocument("English", "Hi there.", List.of(
                new TimedItem("Hi", 0.0, 0.4), new TimedItem("there", 0.4, 0.8)));
        assertEquals("Hi there.\n", OutputFormat.TXT.render(doc, 1));
        assertEquals("Hi there.", Json.parseObject(OutputFormat.JSON.render(doc, 1)).get("text"));
        assertEquals("1\n00:00:00,000 --> 00:00:00,800\nHi there.\n\n", OutputFormat.SRT.render(doc, 1));
        assertEquals("WEBVTT\n\n00:00:00.000 --> 00:00:00.800\nHi there.\n", OutputFormat.VTT.render(doc, 1));
        assertEquals("\n", OutputFormat.TXT.render(new TranscriptDocument("", "", List.of()), 0));
    }
}
