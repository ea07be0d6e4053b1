package io.github.qwenasr.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The LibriSpeech and TSV readers on small made-up data sets (the audio files only need to exist). */
class DatasetReadersTest {
    @TempDir
    Path tmp;

    @Test
    void libriSpeechTreeAtAnyDepthInPathOrder() throws IOException {
        Path root = tmp.resolve("LibriSpeech");
        chapter(root.resolve("test-clean/2/20"), "2-20", "2-20-0000 SECOND SPEAKER", "", "2-20-0001 AND AGAIN  ");
        chapter(root.resolve("test-clean/1/10"), "1-10", "1-10-0000 HE HOPED THERE WOULD BE STEW");
        // A chapter one level deeper: any depth counts.
        chapter(root.resolve("other/deeper/3/30"), "3-30", "3-30-0007 DEEP");
        Dataset d = LibriSpeechReader.read(root);
        assertEquals(List.of("3-30-0007", "1-10-0000", "2-20-0000", "2-20-0001"),
                d.items().stream().map(EvalItem::id).toList());
        EvalItem first = d.items().get(1);
        assertEquals("HE HOPED THERE WOULD BE STEW", first.reference());
        assertEquals(root.resolve("test-clean/1/10/1-10-0000.flac"), first.audio());
        assertEquals("AND AGAIN", d.items().get(3).reference());
        assertTrue(d.description().endsWith(": 4 utterances"), d.description());
        assertEquals(2, d.limit(2).items().size());
        assertEquals(4, d.limit(100).items().size());
    }

    @Test
    void libriSpeechTakesWavWhenThereIsNoFlac() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("8/80"));
        Files.writeString(dir.resolve("8-80.trans.txt"), "8-80-0000 CONVERTED\n");
        Files.write(dir.resolve("8-80-0000.wav"), new byte[44]);
        assertEquals(dir.resolve("8-80-0000.wav"), LibriSpeechReader.read(tmp).items().get(0).audio());
    }

    @Test
    void libriSpeechErrors() throws IOException {
        assertMessage(LibriSpeechReader::read, tmp.resolve("absent"), "LibriSpeech folder not found: ");
        assertMessage(LibriSpeechReader::read, tmp, "no LibriSpeech transcripts (*.trans.txt) under ");

        Path missing = Files.createDirectories(tmp.resolve("missing/1/10"));
        Files.writeString(missing.resolve("1-10.trans.txt"), "1-10-0000 HERE\n1-10-0001 NOT HERE\n");
        Files.write(missing.resolve("1-10-0000.flac"), new byte[4]);
        assertMessage(LibriSpeechReader::read, tmp.resolve("missing"),
                "1-10.trans.txt line 2: audio file not found: " + missing.resolve("1-10-0001.flac"));

        Path bad = chapter(tmp.resolve("bad/1/10"), "1-10", "1-10-0000 FINE", "1-10-0001");
        assertMessage(LibriSpeechReader::read, tmp.resolve("bad"), bad + " line 2: expected 'UTTERANCE-ID TEXT'");

        chapter(tmp.resolve("twice/a/1/10"), "1-10", "1-10-0000 ONE");
        chapter(tmp.resolve("twice/b/1/10"), "1-10", "1-10-0000 ONE AGAIN");
        assertMessage(LibriSpeechReader::read, tmp.resolve("twice"), "utterance 1-10-0000 is listed twice");

        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Files.writeString(empty.resolve("1-10.trans.txt"), "\n\n");
        assertMessage(LibriSpeechReader::read, empty, "list no utterances");
    }

    @Test
    void tsvWithCommentsHeaderAndRelativePaths() throws IOException {
        Path audio = Files.createDirectories(tmp.resolve("clips/sub"));
        Files.write(audio.resolve("a.wav"), new byte[4]);
        Path absolute = Files.write(tmp.resolve("b.mp3"), new byte[4]);
        Path tsv = tmp.resolve("clips/list.tsv");
        Files.writeString(tsv, "\uFEFF# made-up references\r\npath\treference\r\n\r\n"
                + "sub/a.wav\tHello there, world.\r\n"
                + "# a comment may hold a tab\tignored\n"
                + absolute + "\tsecond\twith a tab\n");
        Dataset d = TsvReader.read(tsv);
        assertEquals(2, d.items().size());
        assertEquals(new EvalItem("sub/a.wav", tsv.toAbsolutePath().getParent().resolve("sub/a.wav"), "Hello there, world."),
                d.items().get(0));
        assertEquals(new EvalItem(absolute.toString(), absolute, "second\twith a tab"), d.items().get(1));
    }

    @Test
    void tsvHeaderOnlyAsTheFirstLine() throws IOException {
        Files.write(tmp.resolve("path"), new byte[4]);
        Files.write(tmp.resolve("x.wav"), new byte[4]);
        // "path" as a later line is an utterance whose audio file is named "path".
        Path tsv = Files.writeString(tmp.resolve("l.tsv"), "x.wav\tfirst\npath\treference\n");
        assertEquals(List.of("x.wav", "path"), TsvReader.read(tsv).items().stream().map(EvalItem::id).toList());
    }

    @Test
    void tsvErrors() throws IOException {
        assertMessage(TsvReader::read, tmp.resolve("absent.tsv"), "TSV file not found: ");
        assertMessage(TsvReader::read, tmp, "a folder, not a TSV file");
        Files.write(tmp.resolve("a.wav"), new byte[4]);

        Path noTab = Files.writeString(tmp.resolve("notab.tsv"), "a.wav\tfine\na.wav  spaces instead of a tab\n");
        assertMessage(TsvReader::read, noTab, noTab + " line 2: expected 'path<TAB>reference', found no tab");

        Path missing = Files.writeString(tmp.resolve("missing.tsv"), "# one\nnope.flac\ttext\n");
        assertMessage(TsvReader::read, missing, missing + " line 2: audio file not found: " + tmp.resolve("nope.flac"));

        Path emptyPath = Files.writeString(tmp.resolve("emptypath.tsv"), "\ttext\n");
        assertMessage(TsvReader::read, emptyPath, "line 1: the audio path before the tab is empty");

        Path onlyComments = Files.writeString(tmp.resolve("comments.tsv"), "# nothing\n\npath\treference\n");
        assertMessage(TsvReader::read, onlyComments, "lists no utterances");

        Path latin1 = Files.write(tmp.resolve("latin1.tsv"), "a.wav\tcaf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertMessage(TsvReader::read, latin1, "not UTF-8 text");
    }

    private static Path chapter(Path dir, String name, String... lines) throws IOException {
        Files.createDirectories(dir);
        Path transcript = dir.resolve(name + ".trans.txt");
        Files.writeString(transcript, String.join("\n", lines) + "\n");
        for (String line : lines) {
            if (!line.isBlank()) Files.write(dir.resolve(line.strip().split(" ")[0] + ".flac"), new byte[4]);
        }
        return transcript;
    }

    private static void assertMessage(java.util.function.Function<Path, Dataset> reader, Path input, String fragment) {
        DatasetException e = assertThrows(DatasetException.class, () -> reader.apply(input));
        assertTrue(e.getMessage().contains(fragment), () -> "'" + fragment + "' not in: " + e.getMessage());
        assertTrue(e.getMessage().lines().count() == 1, e.getMessage());
    }
}
