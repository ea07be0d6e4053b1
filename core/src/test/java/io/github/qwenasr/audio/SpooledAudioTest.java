package io.github.qwenasr.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.QwenAsrException;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Audio piped in for an offline run: the same samples as decoding the bytes in memory, and no copy left behind. */
class SpooledAudioTest {
    private static void assertSameAsInMemory(byte[] bytes) {
        float[] expected = AudioLoader.load16k(bytes);
        Path copy;
        try (SpooledAudio spooled = SpooledAudio.of(new ByteArrayInputStream(bytes), "stdin")) {
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
        assertSameAsInMemory(Arrays.copyOf(raw, raw.length + 1));
    }

    @Test
    void wavAtAnotherRate() {
        assertSameAsInMemory(WavBuilder.pcm16(44100, 2, WavBuilder.sine16(30000, 300, 44100, 0.7)));
    }

    @Test
    void badInputFailsNamingTheStreamAndLeavesNoCopy() {
        QwenAsrException empty = assertThrows(QwenAsrException.class,
                () -> SpooledAudio.of(new ByteArrayInputStream(new byte[2]), "stdin"));
        assertTrue(empty.getMessage().equals("no audio data on stdin"), empty.getMessage());
        byte[] wav = WavBuilder.pcm16(16000, 1, WavBuilder.sine16(8000, 300, 16000, 0.7));
        QwenAsrException cut = assertThrows(QwenAsrException.class,
                () -> SpooledAudio.of(new ByteArrayInputStream(Arrays.copyOf(wav, wav.length - 100)), "stdin"));
        assertTrue(cut.getMessage().startsWith("stdin: truncated WAV file"), cut.getMessage());
        QwenAsrException tooShort = assertThrows(QwenAsrException.class,
                () -> SpooledAudio.of(new ByteArrayInputStream(new byte[100]), "stdin"));
        assertTrue(tooShort.getMessage().startsWith("stdin: audio too short"), tooShort.getMessage());
    }
}
