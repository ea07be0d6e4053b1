package io.github.qwenasr.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.QwenAsrException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileWriterTest {
    @TempDir
    Path dir;

    private List<Path> listing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void writesAndReplacesUtf8Content() throws IOException {
        Path target = dir.resolve("out.txt");
        AtomicFileWriter.write(target, "première 😀 你好\n");
        assertEquals("première 😀 你好\n", Files.readString(target, StandardCharsets.UTF_8));
        AtomicFileWriter.write(target, "second");
        assertEquals("second", Files.readString(target));
        assertEquals(List.of(target), listing());
    }

    @Test
    void failingContentLeavesTheTargetAndNoTemporaryFile() throws IOException {
        Path target = dir.resolve("out.srt");
        Files.writeString(target, "old content");
        IOException cause = new IOException("disk on fire");
        QwenAsrException e = assertThrows(QwenAsrException.class, () -> AtomicFileWriter.write(target, out -> {
            out.write("half of the new conte");
            out.flush();
            throw cause;
        }));
        assertTrue(e.getMessage().contains("disk on fire"), e.getMessage());
        assertEquals("old content", Files.readString(target));
        assertEquals(List.of(target), listing());

        assertThrows(UncheckedIOException.class, () -> AtomicFileWriter.write(target, out -> {
            out.write("partial");
            throw new UncheckedIOException(cause);
        }));
        assertEquals("old content", Files.readString(target));
        assertEquals(List.of(target), listing());
    }

    @Test
    void parentThatIsAFileIsReported() throws IOException {
        Path file = dir.resolve("plain");
        Files.writeString(file, "x");
        QwenAsrException e = assertThrows(QwenAsrException.class,
                () -> AtomicFileWriter.write(file.resolve("out.json"), "{}"));
        assertTrue(e.getMessage().contains("not a directory"), e.getMessage());
        assertEquals("x", Files.readString(file));
        assertEquals(List.of(file), listing());
    }

    @Test
    void missingDirectoryAndDirectoryTargetAreReported() throws IOException {
        QwenAsrException missing = assertThrows(QwenAsrException.class,
                () -> AtomicFileWriter.write(dir.resolve("nope").resolve("out.txt"), "x"));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        Path sub = Files.createDirectory(dir.resolve("sub"));
        QwenAsrException isDir = assertThrows(QwenAsrException.class, () -> AtomicFileWriter.write(sub, "x"));
        assertTrue(isDir.getMessage().contains("is a directory"), isDir.getMessage());
        assertEquals(List.of(sub), listing());
    }
}
