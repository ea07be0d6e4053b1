package io.github.qwenasr.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.QwenAsrException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Format sniffing from the first bytes: the signatures of the formats' own specifications. */
class InputFormatTest {
    private static InputFormat sniff(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < b.length; i++) b[i] = (byte) bytes[i];
        return InputFormat.sniff(b, b.length);
    }

    private static InputFormat sniff(String latin1) {
        byte[] b = latin1.getBytes(StandardCharsets.ISO_8859_1);
        return InputFormat.sniff(b, b.length);
    }

    @Test
    void wellKnownSignatures() {
        assertEquals(InputFormat.WAV, sniff("RIFF\u0024\u0000\u0000\u0000WAVEfmt "));
        assertEquals(InputFormat.WAV, sniff("RF64\u00ff\u00ff\u00ff\u00ffWAVEds64"));
        assertEquals(InputFormat.WAV_BIG_ENDIAN, sniff("RIFX\u0000\u0000\u0000\u0024WAVE"));
        assertEquals(InputFormat.MP3, sniff("ID3\u0004\u0000\u0000\u0000\u0000\u0000\u0023TSSE"));
        // MPEG-1 layer III frame header, 128 kbit/s, 44.1 kHz.
        assertEquals(InputFormat.MP3, sniff(0xFF, 0xFB, 0x90, 0x64, 0, 0, 0, 0));
        assertEquals(InputFormat.AAC, sniff(0xFF, 0xF1, 0x50, 0x80, 0x02, 0x1F, 0xFC));
        assertEquals(InputFormat.FLAC, sniff("fLaC\u0000\u0000\u0000\""));
        assertEquals(InputFormat.OGG, sniff("OggS\u0000\u0002\u0000\u0000"));
        assertEquals(InputFormat.MP4, sniff("\u0000\u0000\u0000\u0020ftypM4A "));
        assertEquals(InputFormat.AIFF, sniff("FORM\u0000\u0000\u0010\u0000AIFF"));
        assertEquals(InputFormat.WEBM, sniff(0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x86, 0x81));
        assertEquals(InputFormat.PNG, sniff(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13));
        assertEquals(InputFormat.JPEG, sniff(0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 'J', 'F', 'I', 'F'));
        assertEquals(InputFormat.GIF, sniff("GIF89a\u0001\u0000"));
        assertEquals(InputFormat.PDF, sniff("%PDF-1.7\n%"));
        assertEquals(InputFormat.ZIP, sniff("PK\u0003\u0004\u0014\u0000"));
        assertEquals(InputFormat.GZIP, sniff(0x1F, 0x8B, 0x08, 0, 0, 0, 0, 0));
        assertEquals(InputFormat.TEXT, sniff("hello, world\n"));
    }

    @Test
    void otherContainersFfmpegReads() {
        assertEquals(InputFormat.AVI, sniff("RIFF\u0000\u0010\u0000\u0000AVI LIST"));
        assertEquals(InputFormat.WEBP, sniff("RIFF\u0000\u0010\u0000\u0000WEBPVP8 "));
        assertEquals(InputFormat.ASF, sniff(0x30, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11, 0xA6, 0xD9, 0x00, 0xAA));
        assertEquals(InputFormat.AMR, sniff("#!AMR\n<"));
        assertEquals(InputFormat.CAF, sniff("caff\u0000\u0001\u0000\u0000desc"));
        assertEquals(InputFormat.AU, sniff(".snd\u0000\u0000\u0000\u0018"));
        assertTrue(InputFormat.AVI.isAudio() && InputFormat.ASF.certain() && !InputFormat.WEBP.isAudio());
    }

    @Test
    void pcmWithoutAHeaderIsNeverWavNorCertain() {
        Random r = new Random(20);
        for (int i = 0; i < 10_000; i++) {
            byte[] b = new byte[InputFormat.SNIFF_BYTES];
            r.nextBytes(b);
            InputFormat f = InputFormat.sniff(b, b.length);
            assertFalse(f.isWav(), () -> "random bytes sniffed as WAV");
        }
        assertEquals(InputFormat.UNKNOWN, sniff(0, 0, 0, 0, 0, 0, 0, 0));
        assertEquals(InputFormat.UNKNOWN, sniff(0x10, 0x27, 0xF0, 0xD8, 0x10, 0x27, 0xF0, 0xD8));
    }

    @Test
    void labelsReadAsTheObjectOfLooksLike() {
        assertEquals("MP3", InputFormat.MP3.label());
        assertEquals("a PNG image", InputFormat.PNG.label());
        assertTrue(InputFormat.FLAC.isAudio() && InputFormat.FLAC.certain());
        assertFalse(InputFormat.PNG.isAudio());
        assertFalse(InputFormat.MP3.certain(), "two sync bytes can begin PCM");
        assertFalse(InputFormat.UNKNOWN.certain());
    }

    @Test
    void shortInputIsJudgedOnWhatThereIs(@TempDir Path dir) throws IOException {
        assertEquals(InputFormat.UNKNOWN, sniff());
        assertEquals(InputFormat.UNKNOWN, sniff("abc"));
        assertEquals(InputFormat.FLAC, InputFormat.sniff(Files.writeString(dir.resolve("a.flac"), "fLaC")));
        assertNull(InputFormat.sniff(dir.resolve("missing")));
    }

    @Test
    void aNonAudioFileGivenAsWavIsNamed(@TempDir Path dir) throws IOException {
        Path png = Files.write(dir.resolve("cover.wav"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0});
        QwenAsrException e = assertThrows(QwenAsrException.class, () -> AudioLoader.load16k(png));
        assertEquals(png + ": not a WAV file (looks like a PNG image)", e.getMessage());
    }
}
