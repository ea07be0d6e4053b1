package io.github.qwenasr.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.QwenAsrException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Audio piped in for an offline run: the same samples as decoding the bytes in memory, a private
 * copy in the temporary folder that is gone afterwards, copies of dead processes cleaned up, and
 * bytes that are not what the caller said refused.
 */
class SpooledAudioTest {
    @TempDir
    Path dir;

    private void assertSameAsInMemory(byte[] bytes, boolean raw) {
        float[] expected = AudioLoader.load16k(bytes);
        Path copy;
        try (SpooledAudio spooled = SpooledAudio.spool(new ByteArrayInputStream(bytes), "stdin", raw, dir)) {
            copy = spooled.copy();
            assertTrue(Files.exists(copy));
            assertArrayEquals(expected, spooled.readAll());
            assertArrayEquals(Arrays.copyOfRange(expected, 100, 900), spooled.read(100, 800));
        }
        assertFalse(Files.exists(copy), "the temporary copy is deleted on close");
    }

    @Test
    void rawS16leWithATrailingOddByte() {
        short[] sine = WavBuilder.sine16(16000, 440, 16000, 0.5);
        byte[] raw = WavBuilder.s16Bytes(sine);
        assertSameAsInMemory(Arrays.copyOf(raw, raw.length + 1), true);
    }

    @Test
    void wavAtAnotherRate() {
        assertSameAsInMemory(WavBuilder.pcm16(44100, 2, WavBuilder.sine16(30000, 300, 44100, 0.7)), false);
    }

    @Test
    void theCopyIsOwnerOnlyAndNamedWithThePid() throws IOException {
        byte[] wav = WavBuilder.pcm16(16000, 1, WavBuilder.sine16(8000, 300, 16000, 0.7));
        try (SpooledAudio spooled = SpooledAudio.spool(new ByteArrayInputStream(wav), "stdin", false, dir)) {
            Path copy = spooled.copy();
            assertEquals(dir, copy.getParent());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(copy)));
            String name = copy.getFileName().toString();
            assertTrue(name.startsWith("qwen-asr-stdin-" + ProcessHandle.current().pid() + "-") && name.endsWith(".spool"),
                    name);
        }
    }

    @Test
    void theCopyGoesToJavaIoTmpdirAsSetNow() throws IOException {
        String before = System.getProperty("java.io.tmpdir");
        System.setProperty("java.io.tmpdir", dir.toString());
        try (SpooledAudio spooled = SpooledAudio.rawS16le(new ByteArrayInputStream(new byte[1000]), "stdin")) {
            assertEquals(dir, spooled.copy().getParent());
        } finally {
            System.setProperty("java.io.tmpdir", before);
        }
    }

    @Test
    void copiesOfDeadProcessesAreRemovedOthersKept() throws Exception {
        Process finished = new ProcessBuilder("true").start();
        assertTrue(finished.waitFor(30, TimeUnit.SECONDS));
        long deadPid = finished.pid();
        Path dead = Files.writeString(dir.resolve("qwen-asr-stdin-" + deadPid + "-123.spool"), "old audio");
        // Above any Linux pid_max (2^22): this process cannot be running.
        Path impossible = Files.writeString(dir.resolve("qwen-asr-stdin-99999999-5.spool"), "old audio");
        Path mine = Files.writeString(dir.resolve("qwen-asr-stdin-" + ProcessHandle.current().pid() + "-7.spool"), "x");
        Path other = Files.writeString(dir.resolve("qwen-asr-stdin-notapid-1.spool"), "x");
        Path folder = Files.createDirectory(dir.resolve("qwen-asr-stdin-99999998-2.spool"));
        Path unrelated = Files.writeString(dir.resolve("notes-99999999.spool"), "x");

        byte[] wav = WavBuilder.pcm16(16000, 1, WavBuilder.sine16(8000, 300, 16000, 0.7));
        try (SpooledAudio ignored = SpooledAudio.spool(new ByteArrayInputStream(wav), "stdin", false, dir)) {
            assertFalse(Files.exists(dead, LinkOption.NOFOLLOW_LINKS), "copy of an ended process removed");
            assertFalse(Files.exists(impossible, LinkOption.NOFOLLOW_LINKS), "copy of an ended process removed");
            for (Path kept : List.of(mine, other, folder, unrelated)) assertTrue(Files.exists(kept), kept + " kept");
        }
    }

    @Test
    void ownerPidIsReadFromTheName() {
        assertEquals(1234, SpooledAudio.ownerPid("qwen-asr-stdin-1234-987654.spool"));
        assertEquals(-1, SpooledAudio.ownerPid("qwen-asr-stdin--1.spool"));
        assertEquals(-1, SpooledAudio.ownerPid("qwen-asr-stdin-x1-1.spool"));
        assertEquals(-1, SpooledAudio.ownerPid("qwen-asr-input-1-1.audio"));
    }

    @Test
    void bytesThatAreNotWavAreRefusedNamingWhatTheyLookLike() throws IOException {
        byte[] mp3 = Arrays.copyOf(new byte[] {'I', 'D', '3', 4, 0, 0, 0, 0, 0, 0}, 5000);
        QwenAsrException e = assertThrows(QwenAsrException.class,
                () -> SpooledAudio.spool(new ByteArrayInputStream(mp3), "stdin", false, dir));
        assertEquals("stdin: not WAV audio (looks like MP3)", e.getMessage());
        byte[] png = Arrays.copyOf(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10}, 5000);
        e = assertThrows(QwenAsrException.class, () -> SpooledAudio.spool(new ByteArrayInputStream(png), "stdin", false, dir));
        assertEquals("stdin: not WAV audio (looks like a PNG image)", e.getMessage());
        // What used to be decoded as raw PCM: any bytes without a RIFF header.
        byte[] pcm = WavBuilder.s16Bytes(WavBuilder.sine16(8000, 300, 16000, 0.7));
        e = assertThrows(QwenAsrException.class, () -> SpooledAudio.spool(new ByteArrayInputStream(pcm), "stdin", false, dir));
        assertTrue(e.getMessage().startsWith("stdin: not WAV audio (looks like "), e.getMessage());
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(), left.toList(), "no copy left behind");
        }
    }

    @Test
    void badInputFailsNamingTheStreamAndLeavesNoCopy() throws IOException {
        QwenAsrException empty = assertThrows(QwenAsrException.class,
                () -> SpooledAudio.spool(new ByteArrayInputStream(new byte[2]), "stdin", true, dir));
        assertTrue(empty.getMessage().equals("no audio data on stdin"), empty.getMessage());
        byte[] wav = WavBuilder.pcm16(16000, 1, WavBuilder.sine16(8000, 300, 16000, 0.7));
        QwenAsrException cut = assertThrows(QwenAsrException.class, () -> SpooledAudio.spool(
                new ByteArrayInputStream(Arrays.copyOf(wav, wav.length - 100)), "stdin", false, dir));
        assertTrue(cut.getMessage().startsWith("stdin: truncated WAV file"), cut.getMessage());
        QwenAsrException tooShort = assertThrows(QwenAsrException.class,
                () -> SpooledAudio.spool(new ByteArrayInputStream(new byte[100]), "stdin", true, dir));
        assertTrue(tooShort.getMessage().startsWith("stdin: audio too short"), tooShort.getMessage());
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(), left.toList(), "no copy left behind");
        }
    }

    @Test
    void anyFormatDecodesWhatIsNotWavWithFfmpegFromTheCopy() throws Exception {
        Path work = Files.createDirectory(dir.resolve("work"));
        Path spool = Files.createDirectory(dir.resolve("spool"));
        Path wav = SharedAudio.clip("test_speech.wav");
        // An M4A whose index comes last: a file (or this copy) can be decoded, a pipe could not.
        Path m4a = FfmpegFixtures.make(work.resolve("s.m4a"), "-i", wav.toString(), "-c:a", "alac");
        float[] expected;
        try (WavFileSource w = WavFileSource.open(wav)) {
            expected = w.readAll();
        }
        Path copy;
        try (SpooledAudio s = SpooledAudio.spool(new ByteArrayInputStream(Files.readAllBytes(m4a)), "stdin",
                SpooledAudio.Kind.ANY, FfmpegFixtures.ffmpeg(), spool)) {
            copy = s.copy();
            assertArrayEquals(expected, s.readAll());
        }
        assertFalse(Files.exists(copy), "the copy is deleted on close");
        // WAV still takes the Java decoder.
        try (SpooledAudio s = SpooledAudio.spool(new ByteArrayInputStream(Files.readAllBytes(wav)), "stdin",
                SpooledAudio.Kind.ANY, FfmpegFixtures.ffmpeg(), spool)) {
            assertArrayEquals(expected, s.readAll());
        }
    }

    @Test
    void withoutFfmpegNothingIsCopied() throws Exception {
        Path mp3 = FfmpegFixtures.make(dir.resolve("s.mp3"), "-i", SharedAudio.clip("jfk.wav").toString());
        int[] taken = {0};
        InputStream counting = new java.io.FilterInputStream(new ByteArrayInputStream(Files.readAllBytes(mp3))) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) taken[0] += n;
                return n;
            }
        };
        Path spool = Files.createDirectory(dir.resolve("spool"));
        QwenAsrException e = assertThrows(QwenAsrException.class, () -> SpooledAudio.spool(counting, "stdin",
                SpooledAudio.Kind.ANY, Ffmpeg.at(dir.resolve("missing")), spool));
        assertTrue(e.getMessage().startsWith("stdin: MP3 audio needs ffmpeg to be decoded, and ffmpeg was not found at "),
                e.getMessage());
        assertTrue(taken[0] <= InputFormat.SNIFF_BYTES, "only the signature was read: " + taken[0]);
        try (Stream<Path> left = Files.list(spool)) {
            assertEquals(List.of(), left.toList());
        }
    }
}
