package io.github.qwenasr.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.QwenAsrException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where ffmpeg is looked for, and what is said when it is missing or broken. */
class FfmpegTest {
    @TempDir
    Path dir;

    private Path executable(Path folder, String content) throws IOException {
        Files.createDirectories(folder);
        Path f = Files.writeString(folder.resolve("ffmpeg"), content);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwx------"));
        return f;
    }

    @Test
    void theFirstExecutableFfmpegOnThePathIsUsed() throws IOException {
        Path notExecutable = Files.createDirectories(dir.resolve("a"));
        Files.writeString(notExecutable.resolve("ffmpeg"), "not a program");
        Path b = executable(dir.resolve("b"), "#!/bin/sh\n");
        executable(dir.resolve("c"), "#!/bin/sh\n");
        String path = dir.resolve("none") + File.pathSeparator + notExecutable + File.pathSeparator + File.pathSeparator
                + b.getParent() + File.pathSeparator + dir.resolve("c");
        assertEquals(b, Ffmpeg.fromEnvironment(Map.of("PATH", path)).executable().orElseThrow());
    }

    @Test
    void theOverrideWinsAndAMissingOneSaysWhereItLooked() throws IOException {
        Path c = executable(dir.resolve("c"), "#!/bin/sh\n");
        Path b = executable(dir.resolve("b"), "#!/bin/sh\n");
        assertEquals(c, Ffmpeg.fromEnvironment(Map.of("PATH", b.getParent().toString(), Ffmpeg.ENV, c.toString()))
                .executable().orElseThrow());
        Ffmpeg missing = Ffmpeg.fromEnvironment(Map.of("PATH", b.getParent().toString(), Ffmpeg.ENV,
                dir.resolve("gone").toString()));
        assertFalse(missing.available());
        QwenAsrException e = assertThrows(QwenAsrException.class, () -> missing.require("talk.mp3: MP3 audio"));
        assertEquals("talk.mp3: MP3 audio needs ffmpeg to be decoded, and ffmpeg was not found at " + dir.resolve("gone")
                + " (set by QWEN_ASR_FFMPEG); " + Ffmpeg.INSTALL_HINT + ", or convert the audio to WAV", e.getMessage());
    }

    @Test
    void withoutAPathNothingIsFound() {
        Ffmpeg none = Ffmpeg.fromEnvironment(Map.of());
        assertFalse(none.available());
        assertTrue(assertThrows(QwenAsrException.class, () -> none.require("x: FLAC audio")).getMessage()
                .contains("ffmpeg was not found on the PATH; install ffmpeg (Debian/Ubuntu: sudo apt install ffmpeg;"));
    }

    @Test
    void anExecutableThatIsNotFfmpegIsRefused() throws IOException {
        Path broken = executable(dir.resolve("x"), "#!/bin/sh\nexit 3\n");
        QwenAsrException e = assertThrows(QwenAsrException.class, () -> Ffmpeg.at(broken).require("x: MP3 audio"));
        assertEquals(broken + " does not run as ffmpeg (ffmpeg -version failed); " + Ffmpeg.INSTALL_HINT, e.getMessage());
    }

    @Test
    void theRealFfmpegTagsItsLogLines() {
        assertTrue(FfmpegFixtures.ffmpeg().levelTags(), "the installed ffmpeg accepts -loglevel level+warning, so warnings of damage are seen");
    }
}
