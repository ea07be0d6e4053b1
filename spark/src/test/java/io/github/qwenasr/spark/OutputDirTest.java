package io.github.qwenasr.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputDirTest {
    @TempDir
    Path tmp;

    private static JobManifest manifest(String format) {
        return new JobManifest("Qwen3-ASR-0.6B", null, "English", "", 0, format);
    }

    @Test
    void aSecondRunOnTheSameFolderIsRefusedWhileTheFirstHoldsIt() {
        Path out = tmp.resolve("out");
        try (OutputDir first = OutputDir.open(out, manifest("jsonl"))) {
            assertEquals(out, first.dir());
            QwenAsrSparkException e = assertThrows(QwenAsrSparkException.class,
                    () -> OutputDir.open(out, manifest("jsonl")));
            assertTrue(e.getMessage().startsWith("another batch run is writing to " + out), e.getMessage());
        }
        OutputDir.open(out, manifest("jsonl")).close();
    }

    @Test
    void rowsOfOtherSettingsAreNotMixedIn() {
        Path out = tmp.resolve("out");
        OutputDir.open(out, manifest("jsonl")).close();
        QwenAsrSparkException e = assertThrows(QwenAsrSparkException.class,
                () -> OutputDir.open(out, new JobManifest("Qwen3-ASR-1.7B", null, "English", "", 0, "jsonl")));
        assertEquals("the output folder " + out + " holds rows made with other settings (model 'Qwen3-ASR-0.6B' -> "
                + "'Qwen3-ASR-1.7B'); rerun with the same settings or use another --output", e.getMessage());
        e = assertThrows(QwenAsrSparkException.class, () -> OutputDir.open(out, manifest("parquet")));
        assertTrue(e.getMessage().contains("format 'jsonl' -> 'parquet'"), e.getMessage());
    }

    @Test
    void aFolderHoldingOtherFilesIsNotUsed() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("photos"));
        Files.writeString(out.resolve("holiday.jpg"), "not ours");
        QwenAsrSparkException e = assertThrows(QwenAsrSparkException.class,
                () -> OutputDir.open(out, manifest("jsonl")));
        assertTrue(e.getMessage().contains("holds holiday.jpg"), e.getMessage());
        assertFalse(Files.exists(out.resolve(OutputDir.JOB)), "nothing written into a folder that is not ours");
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        e = assertThrows(QwenAsrSparkException.class, () -> OutputDir.open(file, manifest("jsonl")));
        assertTrue(e.getMessage().endsWith("is not a folder"), e.getMessage());
    }

    @Test
    void openingCleansWhatAKilledRunLeftAndCommitIsAllOrNothing() throws IOException {
        Path out = tmp.resolve("out");
        Path leftover;
        try (OutputDir dir = OutputDir.open(out, manifest("jsonl"))) {
            leftover = OutputDir.tempFile(out, "run1", 3, 77, OutputFormat.JSONL);
            Files.writeString(leftover, "{\"half\": ");
            dir.markSuccess("{}");
            Path temp = OutputDir.tempFile(out, "run1", 4, 78, OutputFormat.JSONL);
            Files.writeString(temp, "{}\n");
            Path part = OutputDir.partFile(out, "run1", 4, OutputFormat.JSONL);
            OutputDir.commit(temp, part);
            assertFalse(Files.exists(temp));
            assertEquals("{}\n", Files.readString(part));
            // A second attempt of the same partition (a speculative copy) leaves the first one's file.
            Path twin = OutputDir.tempFile(out, "run1", 4, 79, OutputFormat.JSONL);
            Files.writeString(twin, "{\"other\": 1}\n");
            OutputDir.commit(twin, part);
            assertEquals("{}\n", Files.readString(part));
            assertFalse(Files.exists(twin));
            assertEquals(List.of(part), dir.committedParts(OutputFormat.JSONL));
        }
        assertTrue(Files.exists(leftover));
        assertTrue(Files.exists(out.resolve(OutputDir.SUCCESS)));
        OutputDir.open(out, manifest("jsonl")).close();
        assertFalse(Files.exists(leftover), "a killed run's temporary file survived");
        assertFalse(Files.exists(out.resolve(OutputDir.SUCCESS)), "a run in progress must not look complete");
        assertEquals("part-run1-00004.jsonl", OutputDir.partFile(out, "run1", 4, OutputFormat.JSONL).getFileName().toString());
    }
}
