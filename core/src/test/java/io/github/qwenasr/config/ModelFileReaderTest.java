package io.github.qwenasr.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.QwenAsrException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model files that cannot be read say why (issue 20, item 11). */
class ModelFileReaderTest {
    @TempDir
    Path dir;

    /**
     * The tests run as root here, where a mode-000 file is still readable, so the wording is checked
     * on the exceptions the JDK raises for an unreadable file (its own message is only the path).
     */
    @Test
    void readFailuresSayWhy() {
        Path f = Path.of("model", "config.json");
        assertEquals("cannot read model file " + f + ": permission denied",
                ModelFileReader.failure(f, "model file", new AccessDeniedException(f.toString())).getMessage());
        assertEquals("cannot read tokenizer file " + f + ": Input/output error", ModelFileReader.failure(f,
                "tokenizer file", new FileSystemException(f.toString(), null, "Input/output error")).getMessage());
        assertEquals("missing model file " + f,
                ModelFileReader.failure(f, "model file", new NoSuchFileException(f.toString())).getMessage());
        assertEquals("cannot read model file " + f + ": disk on fire",
                ModelFileReader.failure(f, "model file", new IOException("disk on fire")).getMessage());
    }

    @Test
    void foldersMissingFilesAndBadTextAreNamed() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("vocab.json"));
        assertEquals("tokenizer file " + folder + " is a directory, not a file",
                assertThrows(QwenAsrException.class, () -> ModelFileReader.readBytes(folder, "tokenizer file")).getMessage());
        Path missing = dir.resolve("merges.txt");
        assertEquals("missing tokenizer file " + missing,
                assertThrows(QwenAsrException.class, () -> ModelFileReader.readText(missing, "tokenizer file")).getMessage());
        Path latin1 = Files.write(dir.resolve("config.json"), new byte[] {'{', (byte) 0xE9, '}'});
        String msg = assertThrows(QwenAsrException.class, () -> ModelFileReader.readText(latin1, "model file")).getMessage();
        assertTrue(msg.endsWith("config.json: not valid UTF-8 text"), msg);
        assertEquals("{}", ModelFileReader.readText(Files.writeString(dir.resolve("ok.json"), "{}"), "model file"));
    }
}
