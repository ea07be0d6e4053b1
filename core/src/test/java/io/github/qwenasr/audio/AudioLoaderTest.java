package io.github.qwenasr.audio;

import io.github.qwenasr.QwenAsrException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.github.qwenasr.audio.WavBuilder.*;
import static org.junit.jupiter.api.Assertions.*;

class AudioLoaderTest {

    private static short[] ramp(int n) {
        short[] s = new short[n];
        for (int i = 0; i < n; i++) s[i] = (short) (i * 64 - 16000);
        return s;
    }

    @Test
    void rawS16leIsDetectedWhenThereIsNoRiffHeader() {
        short[] pcm = ramp(300);
        byte[] bytes = java.util.Arrays.copyOf(s16Bytes(pcm), 601); // trailing odd byte
        bytes[600] = 0x7F;
        float[] x = AudioLoader.load16k(bytes);
        assertEquals(300, x.length);
        for (int i = 0; i < pcm.length; i++) assertEquals(pcm[i] / 32768f, x[i], 0f);
    }

    @Test
    void wavBytesAreDecodedAndResampled() {
        short[] tone = sine16(44100, 440, 44100, 0.5);
        short[] stereo = new short[2 * tone.length];
        for (int i = 0; i < tone.length; i++) {
            stereo[2 * i] = tone[i];
            stereo[2 * i + 1] = tone[i];
        }
        float[] x = AudioLoader.load16k(pcm16(44100, 2, stereo));
        assertEquals(16000, x.length);
        double peak = 0;
        for (int i = 100; i < x.length - 100; i++) peak = Math.max(peak, Math.abs(x[i]));
        assertEquals(0.5, peak, 2e-3);
    }

    @Test
    void sixteenKilohertzWavKeepsItsSamplesExactly() {
        short[] pcm = ramp(400);
        float[] x = AudioLoader.load16k(pcm16(16000, 1, pcm));
        for (int i = 0; i < pcm.length; i++) assertEquals(pcm[i] / 32768f, x[i], 0f);
    }

    @Test
    void loudFloatWavIsPeakNormalised() {
        float[] loud = new float[400];
        loud[10] = 2f;
        loud[20] = -4f;
        loud[30] = 1f;
        float[] x = AudioLoader.load16k(wav(FLOAT, 1, 16000, 32, f32Bytes(loud)));
        assertEquals(0.5f, x[10]);
        assertEquals(-1f, x[20]);
        assertEquals(0.25f, x[30]);
    }

    @Test
    void readStdinDetectsWavAndRaw() {
        float[] fromWav = AudioLoader.readStdin(new ByteArrayInputStream(pcm16(16000, 1, ramp(250))));
        float[] fromRaw = AudioLoader.readStdin(new ByteArrayInputStream(s16Bytes(ramp(250))));
        assertArrayEquals(fromRaw, fromWav);
        assertEquals(250, fromRaw.length);
    }

    @Test
    void readStdinNeedsFourBytes() {
        QwenAsrException e = assertThrows(QwenAsrException.class,
                () -> AudioLoader.readStdin(new ByteArrayInputStream(new byte[3])));
        assertEquals("no audio data on stdin", e.getMessage());
    }

    @Test
    void readStdinReportsIoErrors() {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("broken pipe");
            }
        };
        QwenAsrException e = assertThrows(QwenAsrException.class, () -> AudioLoader.readStdin(broken));
        assertEquals("cannot read audio from stdin: broken pipe", e.getMessage());
    }

    @Test
    void fromPcmPeakGuardsWithoutTouchingTheInput() {
        float[] in = new float[300];
        in[0] = 0.5f;
        in[1] = -2f;
        in[2] = 1f;
        float[] out = AudioLoader.fromPcm(in, 16000);
        assertEquals(0.25f, out[0]);
        assertEquals(-1f, out[1]);
        assertEquals(0.5f, out[2]);
        assertEquals(-2f, in[1], "caller's array unchanged");
        assertNotSame(in, out);
    }

    @Test
    void fromPcmLeavesQuietAudioAlone() {
        float[] in = new float[300];
        in[5] = 1f;
        in[6] = -0.75f;
        float[] out = AudioLoader.fromPcm(in, 16000);
        assertArrayEquals(in, out);
    }

    @Test
    void fromPcmTreatsIntegerRangeArraysByPeak() {
        // docs/model.md 2.1 step 4: an int16-range array is peak-normalised, not divided by 32768
        float[] in = new float[300];
        in[0] = 16384f;
        in[1] = -32768f;
        float[] out = AudioLoader.fromPcm(in, 16000);
        assertEquals(0.5f, out[0]);
        assertEquals(-1f, out[1]);
    }

    @Test
    void fromPcmResamples() {
        float[] in = new float[8000];
        for (int i = 0; i < in.length; i++) in[i] = (float) (0.5 * Math.sin(2 * Math.PI * 1000 * i / 8000));
        assertEquals(16000, AudioLoader.fromPcm(in, 8000).length);
        assertEquals(16000, AudioLoader.fromPcm(new float[48000], 48000).length);
    }

    @Test
    void emptyShortAndBrokenAudioAreRejected() {
        assertMessage("audio is empty", () -> AudioLoader.fromPcm(new float[0], 16000));
        assertMessage("audio is empty", () -> AudioLoader.load16k(new byte[0]));
        assertMessage("audio is empty", () -> AudioLoader.load16k(wav(PCM, 1, 16000, 16, new byte[0])));
        assertMessage("audio too short: 200 samples at 16 kHz (12.5 ms); at least 201 samples (12.6 ms) are needed",
                () -> AudioLoader.fromPcm(new float[200], 16000));
        AudioLoader.fromPcm(new float[201], 16000); // the minimum is accepted
        // 500 samples at 44.1 kHz become 181 at 16 kHz
        assertMessage("audio too short: 181 samples", () -> AudioLoader.fromPcm(new float[500], 44100));
        float[] nan = new float[300];
        nan[7] = Float.NaN;
        assertMessage("audio contains NaN or infinite samples", () -> AudioLoader.fromPcm(nan, 16000));
        assertMessage("invalid sample rate: 0", () -> AudioLoader.fromPcm(new float[300], 0));
        assertMessage("unsupported sample rate: 2000000 Hz (highest supported: 768000 Hz)",
                () -> AudioLoader.load16k(wav(PCM, 1, 2_000_000, 16, new byte[2000])));
    }

    @Test
    void filesAreLoadedAndProblemsNameTheFile(@TempDir Path dir) throws IOException {
        Path good = dir.resolve("tone.wav");
        Files.write(good, pcm16(16000, 1, ramp(1000)));
        assertEquals(1000, AudioLoader.load16k(good).length);

        Path missing = dir.resolve("nope.wav");
        assertMessage("cannot read audio file " + missing + ": no such file", () -> AudioLoader.load16k(missing));

        Path mp3 = dir.resolve("song.mp3");
        Files.write(mp3, new byte[] {'I', 'D', '3', 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        assertMessage(mp3 + ": not a WAV file (looks like MP3)", () -> AudioLoader.load16k(mp3));

        Path flac = dir.resolve("a.flac");
        Files.write(flac, "fLaC\0\0\0\"".getBytes());
        assertMessage(flac + ": not a WAV file (looks like FLAC)", () -> AudioLoader.load16k(flac));

        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "hello, this is not audio");
        assertMessage(text + ": not a WAV file (no RIFF header)", () -> AudioLoader.load16k(text));

        Path shortWav = dir.resolve("short.wav");
        Files.write(shortWav, pcm16(16000, 1, ramp(100)));
        assertMessage(shortWav + ": audio too short: 100 samples", () -> AudioLoader.load16k(shortWav));

        Path truncated = dir.resolve("cut.wav");
        byte[] full = pcm16(16000, 1, ramp(1000));
        Files.write(truncated, java.util.Arrays.copyOf(full, 1000));
        assertMessage(truncated + ": truncated WAV file: data chunk declares 2000 bytes, only 956 present",
                () -> AudioLoader.load16k(truncated));
    }

    @Test
    void sharedClipsHaveTheirDocumentedLengths() {
        assertEquals(176000, AudioLoader.load16k(SharedAudio.clip("jfk.wav")).length);
        assertEquals(58268, AudioLoader.load16k(SharedAudio.clip("test_speech.wav")).length);
    }

    private static void assertMessage(String expectedStart, org.junit.jupiter.api.function.Executable call) {
        QwenAsrException e = assertThrows(QwenAsrException.class, call);
        assertTrue(e.getMessage().startsWith(expectedStart), "message was: " + e.getMessage());
    }

    /** The same lowest rate for samples handed over through the API (issue 20, item 7). */
    @Test
    void sampleRatesBelowTheLowestSupportedAreRejected() {
        assertMessage("unsupported sample rate: 8 Hz (lowest supported: 1000 Hz)",
                () -> AudioLoader.fromPcm(new float[300], 8));
        assertMessage("unsupported sample rate: 1 Hz", () -> AudioLoader.fromPcm(new float[300], 1));
        assertMessage("unsupported sample rate: 8 Hz", () -> AudioLoader.load16k(wav(PCM, 1, 8, 16, new byte[600])));
        assertEquals(3200, AudioLoader.fromPcm(new float[200], 1000).length);
    }
}
