package io.github.qwenasr.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.audio.AudioLoader;
import io.github.qwenasr.audio.Resampler;
import io.github.qwenasr.capture.testing.TestAudio;
import io.github.qwenasr.capture.testing.TestDevice;
import io.github.qwenasr.capture.testing.TestDevices;
import io.github.qwenasr.capture.testing.TestLine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import javax.sound.sampled.AudioFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The capture through the sound system, on test devices that play WAV audio on the clock: the
 * delivered 16 kHz samples are those the engine reads from the same audio as a file, whatever the
 * device's format; a consumer that falls behind loses the oldest audio, and is told how much.
 */
class AudioCaptureTest {
    private static Path speechWav;
    private static byte[] speechPcm;

    @BeforeAll
    static void load() throws IOException {
        speechWav = TestAudio.clip("test_speech.wav");
        speechPcm = TestAudio.pcm(speechWav);
    }

    @AfterEach
    void clear() {
        TestDevices.install();
    }

    private static float[] captureAll(AudioCapture capture) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        float[] all = new float[0];
        CapturedAudio b;
        while ((b = capture.next()) != null) {
            int at = all.length;
            all = Arrays.copyOf(all, at + b.length());
            System.arraycopy(b.samples(), 0, all, at, b.length());
        }
        return all;
    }

    /** In real time: the clip takes its own length to arrive, in reads of about 32 ms, sample for sample the file's audio. */
    @Test
    void aSixteenKilohertzMicrophoneInRealTimeDeliversTheFilesSamples() {
        TestDevices.install(TestDevice.playing("Test Microphone", TestDevice.s16le(16_000, 1), speechPcm, 1));
        long t0 = System.nanoTime();
        float[] got;
        try (AudioCapture c = AudioCapture.open(TestDevices.only().select(null), AudioCapture.Options.DEFAULTS)) {
            assertEquals("0 'Test Microphone' (16000 Hz, 1 ch, s16le)", c.describe());
            c.start();
            got = captureAll(c);
            assertEquals(0, c.droppedSamples());
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        float[] file = AudioLoader.load16k(speechWav);
        assertArrayEquals(file, got);
        assertTrue(seconds >= 3.6 && seconds < 8, "3.64 s of audio captured in " + seconds + " s");
        TestLine line = TestDevices.opened().get(0);
        // 3.64 s in 32 ms reads: about 114 of them (the last one comes back short, when the device ends).
        assertTrue(line.reads() >= 100 && line.reads() <= 130, "reads: " + line.reads());
    }

    /** 44.1 kHz stereo with different channels: averaged and resampled as the file of the same audio is. */
    @Test
    void otherRatesAndChannelsGiveTheFilesSamples() {
        short[] mono = TestAudio.shorts(speechPcm);
        float[] x = new float[mono.length];
        for (int i = 0; i < x.length; i++) x[i] = mono[i] / 32768f;
        float[] up = Resampler.resample(x, 16_000, 44_100);
        short[] stereo = new short[2 * up.length];
        for (int i = 0; i < up.length; i++) {
            stereo[2 * i] = (short) Math.max(-32768, Math.min(32767, Math.round(up[i] * 32767)));
            stereo[2 * i + 1] = (short) Math.round(up[i] * 16000);
        }
        TestDevices.install(TestDevice.playing("Studio", TestDevice.s16le(44_100, 2), TestAudio.s16le(stereo),
                Double.POSITIVE_INFINITY));
        float[] got;
        try (AudioCapture c = AudioCapture.open(TestDevices.only().select("Studio"), AudioCapture.Options.DEFAULTS)) {
            c.start();
            got = captureAll(c);
        }
        assertArrayEquals(AudioLoader.load16k(TestAudio.wavS16(stereo, 44_100, 2)), got);
    }

    /** Every readable encoding and byte order decodes to the same values as the WAV the engine reads. */
    @Test
    void everyReadableEncodingDecodesAsTheEngineDoes() {
        short[] q = TestAudio.shorts(Arrays.copyOf(speechPcm, 32_000));
        float[] expected16 = new float[q.length];
        float[] expected8 = new float[q.length];
        for (int i = 0; i < q.length; i++) {
            expected16[i] = q[i] / 32768f;
            expected8[i] = (q[i] >> 8) / 128f;
        }
        record Case(AudioFormat format, float[] expected) {}
        Case[] cases = {
                new Case(new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, 16_000, 16, 1, 2, 16_000, true), expected16),
                new Case(new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, 16_000, 24, 1, 3, 16_000, false), expected16),
                new Case(new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, 16_000, 32, 1, 4, 16_000, true), expected16),
                new Case(new AudioFormat(AudioFormat.Encoding.PCM_FLOAT, 16_000, 32, 1, 4, 16_000, true), expected16),
                new Case(new AudioFormat(AudioFormat.Encoding.PCM_FLOAT, 16_000, 64, 1, 8, 16_000, false), expected16),
                new Case(new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, 16_000, 8, 1, 1, 16_000, false), expected8),
                new Case(new AudioFormat(AudioFormat.Encoding.PCM_UNSIGNED, 16_000, 8, 1, 1, 16_000, false), expected8),
        };
        for (Case k : cases) {
            TestDevices.install(TestDevice.playing("mic", k.format(), encode(q, k.format()), Double.POSITIVE_INFINITY));
            try (AudioCapture c = AudioCapture.open(TestDevices.only().select(null), AudioCapture.Options.DEFAULTS)) {
                c.start();
                assertArrayEquals(k.expected(), captureAll(c), k.format().toString());
            }
        }
    }

    private static byte[] encode(short[] q, AudioFormat f) {
        int bytes = f.getSampleSizeInBits() / 8;
        ByteBuffer b = ByteBuffer.allocate(q.length * bytes).order(f.isBigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        boolean floating = f.getEncoding().equals(AudioFormat.Encoding.PCM_FLOAT);
        for (short s : q) {
            if (floating && bytes == 4) b.putFloat(s / 32768f);
            else if (floating) b.putDouble(s / 32768.0);
            else if (bytes == 1) b.put((byte) ((s >> 8) + (f.getEncoding().equals(AudioFormat.Encoding.PCM_UNSIGNED) ? 128 : 0)));
            else if (bytes == 2) b.putShort(s);
            else if (bytes == 3) {
                int v = s << 8;
                if (f.isBigEndian()) b.put((byte) (v >> 16)).put((byte) (v >> 8)).put((byte) v);
                else b.put((byte) v).put((byte) (v >> 8)).put((byte) (v >> 16));
            } else b.putInt(s << 16);
        }
        return b.array();
    }

    /**
     * A consumer slower than the device: with half a second of buffer, the oldest audio is dropped
     * and each block after a gap says how much was lost; what arrives plus what was dropped is all of it.
     */
    @Test
    void aConsumerThatFallsBehindLosesTheOldestAudioAndIsToldHowMuch() throws InterruptedException {
        TestDevices.install(TestDevice.playing("mic", TestDevice.s16le(16_000, 1), speechPcm, 8));
        long received = 0;
        long reported = 0;
        long expectedStart = 0;
        int gaps = 0;
        try (AudioCapture c = AudioCapture.open(TestDevices.only().select(null), AudioCapture.Options.DEFAULTS.withBufferSeconds(0.5))) {
            c.start();
            CapturedAudio b;
            while ((b = c.next()) != null) {
                if (b.droppedBefore() > 0) gaps++;
                reported += b.droppedBefore();
                assertEquals(expectedStart + b.droppedBefore(), b.startSample(), "a block starts after the audio dropped before it");
                expectedStart = b.startSample() + b.length();
                received += b.length();
                Thread.sleep(40); // about 32 ms of audio per block arrive every 4 ms: eight times faster than this
            }
            assertEquals(reported, c.droppedSamples());
        }
        assertTrue(gaps > 0 && reported > 16_000, "gaps " + gaps + ", dropped " + reported);
        assertEquals(speechPcm.length / 2, received + reported, "delivered and dropped add up to the clip");
    }

    /** stop() ends a device that would go on for ever (silence after the clip), soon. */
    @Test
    void stopEndsTheCapture() {
        TestDevices.install(TestDevice.playing("mic", TestDevice.s16le(16_000, 1), new byte[3200], 1).thenSilence());
        try (AudioCapture c = AudioCapture.open(TestDevices.only().select(null), AudioCapture.Options.DEFAULTS)) {
            c.start();
            long samples = 0;
            CapturedAudio b;
            long t0 = System.nanoTime();
            while ((b = c.next()) != null) {
                samples += b.length();
                if (samples >= 8000) c.stop();
                assertTrue(System.nanoTime() - t0 < 5e9, "stop did not end the capture");
            }
            assertTrue(samples >= 8000 && samples < 16_000, "samples " + samples);
            assertNull(c.next());
        }
    }
}
