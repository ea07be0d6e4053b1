package io.github.qwenasr.vad;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.QwenAsrException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Silero VAD against the silero-vad package's reference probabilities (golden/vad). */
class SileroVadTest {
    /** The bound on every frame. */
    private static final double TOLERANCE = 1e-4;

    private static VadGolden golden;

    @BeforeAll
    static void loadGolden() throws IOException {
        golden = VadGolden.load();
    }

    @Test
    void bundledWeightsAreTheOnesTheGoldensWereMadeWith() throws Exception {
        byte[] weights;
        try (InputStream in = SileroVad.class.getResourceAsStream(SileroWeights.RESOURCE)) {
            assertNotNull(in, "bundled weights missing");
            weights = in.readAllBytes();
        }
        assertEquals(golden.weightsSha256(), sha256(weights));
        try (InputStream in = SileroVad.class.getResourceAsStream("SILERO_VAD_LICENSE.txt")) {
            assertNotNull(in, "license notice missing beside the weights");
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(text.contains("MIT License") && text.contains("Copyright (c) 2020-present Silero Team"), text);
        }
    }

    /** Every frame of every clip within 1e-4 of the reference. */
    @Test
    void probabilitiesMatchTheReferenceOnEveryFrame() {
        SileroVad vad = SileroVad.load();
        double worst = 0;
        for (VadGolden.Clip clip : golden.clips) worst = Math.max(worst, assertMatchesReference(vad, clip));
        System.out.printf("Silero VAD (%s): max |p - reference| = %.2e over %d clips%n", MatVec.preferred(), worst, golden.clips.size());
    }

    /**
     * Each vector width and the scalar path give the same bits (every output is the same chain
     * of fused multiply-adds), and so the reference's probabilities.
     */
    @ParameterizedTest
    @EnumSource(MatVec.class)
    void everyVectorWidthGivesTheScalarBits(MatVec width) {
        SileroVad scalar = new SileroVad(SileroWeights.bundled(), MatVec.SCALAR);
        SileroVad vad = new SileroVad(SileroWeights.bundled(), width);
        for (String name : List.of("jfk", "notld_10s_back_down_the_road", "white_noise_5s")) {
            VadGolden.Clip clip = golden.clip(name);
            assertArrayEquals(scalar.probabilities(clip.audio(), 16_000), vad.probabilities(clip.audio(), 16_000), name);
            assertMatchesReference(vad, clip);
        }
    }

    private static double assertMatchesReference(SileroVad vad, VadGolden.Clip clip) {
        float[] ours = vad.probabilities(clip.audio(), 16_000);
        assertEquals(clip.probabilities().length, ours.length, clip.name() + " frames");
        double worst = 0;
        for (int k = 0; k < ours.length; k++) {
            double d = Math.abs(ours[k] - clip.probabilities()[k]);
            worst = Math.max(worst, d);
            if (d > TOLERANCE) {
                throw new AssertionError(clip.name() + " frame " + k + ": " + ours[k] + " vs reference " + clip.probabilities()[k]);
            }
        }
        return worst;
    }

    @Test
    void preferredKernelMatchesTheVectorWidth() {
        int bits = io.github.qwenasr.kernel.VectorWidth.FLOAT.vectorBitSize();
        assertEquals(bits,
                switch (MatVec.preferred()) {
                    case V512 -> 512;
                    case V256 -> 256;
                    case V128 -> 128;
                    case SCALAR -> bits;
                });
    }

    @Test
    void framesFedOneByOneGiveTheWholeBufferResult() {
        VadGolden.Clip clip = golden.clip("jfk");
        SileroVad whole = SileroVad.load();
        float[] expected = whole.probabilities(clip.audio(), 16_000);
        SileroVad stream = SileroVad.load();
        float[] frame = new float[SileroVad.FRAME_SAMPLES];
        for (int k = 0; k < expected.length; k++) {
            Arrays.fill(frame, 0f);
            int from = k * frame.length;
            System.arraycopy(clip.audio(), from, frame, 0, Math.min(frame.length, clip.audio().length - from));
            assertEquals(expected[k], stream.speechProbability(frame), "frame " + k);
        }
    }

    @Test
    void resetForgetsThePreviousStream() {
        float[] speech = golden.clip("jfk").audio();
        float[] other = golden.clip("test_speech").audio();
        float[] fresh = SileroVad.load().probabilities(other, 16_000);

        SileroVad vad = SileroVad.load();
        vad.probabilities(speech, 16_000);
        float[] frame = Arrays.copyOf(other, SileroVad.FRAME_SAMPLES);
        float carried = vad.speechProbability(frame); // state (and context) of jfk's last frame
        assertTrue(Math.abs(carried - fresh[0]) > 1e-6, "state must matter: " + carried + " vs " + fresh[0]);

        vad.reset();
        assertEquals(fresh[0], vad.speechProbability(frame));
        vad.reset();
        float[] again = new float[fresh.length];
        for (int k = 0; k < fresh.length; k++) {
            float[] f = new float[SileroVad.FRAME_SAMPLES];
            int from = k * f.length;
            System.arraycopy(other, from, f, 0, Math.min(f.length, other.length - from));
            again[k] = vad.speechProbability(f);
        }
        assertArrayEquals(fresh, again);
    }

    @Test
    void digitalSilenceIsNoSpeech() {
        VadGolden.Clip clip = golden.clip("silence_2s");
        float[] p = SileroVad.load().probabilities(clip.audio(), 16_000);
        float max = max(p);
        // The reference's own maximum on silence bounds ours (plus the tolerance); it is far below 0.5.
        assertTrue(clip.maxProbability() < 0.05, "reference on silence: " + clip.maxProbability());
        assertTrue(max <= clip.maxProbability() + TOLERANCE, "silence: " + max);
        assertEquals(List.of(), SpeechSegmenter.regions(p, clip.audio().length, SpeechSegmenter.Options.DEFAULTS));
        System.out.printf("Silero VAD on 2 s of digital silence: max p = %.4f (reference %.4f)%n", max, clip.maxProbability());
    }

    @Test
    void whiteNoiseIsNoSpeech() {
        VadGolden.Clip clip = golden.clip("white_noise_5s");
        float[] p = SileroVad.load().probabilities(clip.audio(), 16_000);
        float max = max(p);
        assertTrue(clip.maxProbability() < 0.1, "reference on white noise: " + clip.maxProbability());
        assertTrue(max <= clip.maxProbability() + TOLERANCE, "white noise: " + max);
        assertEquals(List.of(), SpeechSegmenter.regions(p, clip.audio().length, SpeechSegmenter.Options.DEFAULTS));
        System.out.printf("Silero VAD on 5 s of uniform white noise (amplitude 0.25): max p = %.4f (reference %.4f)%n",
                max, clip.maxProbability());
    }

    @Test
    void wrongFramesAndRatesAreClearErrors() {
        SileroVad vad = SileroVad.load();
        QwenAsrException e = assertThrows(QwenAsrException.class, () -> vad.speechProbability(new float[511]));
        assertEquals("Silero VAD takes frames of 512 samples (32 ms at 16 kHz), got 511", e.getMessage());
        assertThrows(QwenAsrException.class, () -> vad.speechProbability(new float[513]));
        float[] bad = new float[512];
        bad[100] = Float.NaN;
        assertEquals("audio contains NaN or infinite samples",
                assertThrows(QwenAsrException.class, () -> vad.speechProbability(bad)).getMessage());
        e = assertThrows(QwenAsrException.class, () -> vad.probabilities(new float[16_000], 8_000));
        assertEquals("voice activity detection needs 16000 Hz audio, got 8000 Hz (resample it first)", e.getMessage());
        assertThrows(QwenAsrException.class, () -> vad.probabilities(new float[48_000], 48_000));
        assertEquals(0, vad.probabilities(new float[0], 16_000).length);
        assertEquals(1, vad.probabilities(new float[1], 16_000).length);
    }

    @Test
    void weightsOfAnotherShapeAreRefused(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("none.safetensors");
        QwenAsrException e = assertThrows(QwenAsrException.class, () -> SileroVad.load(missing));
        assertTrue(e.getMessage().startsWith("cannot read Silero VAD weights "), e.getMessage());

        Path wrong = dir.resolve("wrong.safetensors");
        Files.write(wrong, safetensors("{\"conv1.bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8));
        e = assertThrows(QwenAsrException.class, () -> SileroVad.load(wrong));
        assertEquals("not a Silero VAD 16 kHz model: wrong.safetensors has no tensor stft_conv.weight", e.getMessage());

        Path garbage = dir.resolve("garbage.safetensors");
        Files.writeString(garbage, "not a model");
        e = assertThrows(QwenAsrException.class, () -> SileroVad.load(garbage));
        assertTrue(e.getMessage().startsWith("corrupt safetensors file garbage.safetensors"), e.getMessage());
    }

    @Test
    void weightsFromAFileGiveTheSameProbabilities(@TempDir Path dir) throws IOException {
        Path copy = dir.resolve("copy.safetensors");
        try (InputStream in = SileroVad.class.getResourceAsStream(SileroWeights.RESOURCE)) {
            Files.write(copy, in.readAllBytes());
        }
        float[] audio = golden.clip("test_speech").audio();
        assertArrayEquals(SileroVad.load().probabilities(audio, 16_000), SileroVad.load(copy).probabilities(audio, 16_000));
    }

    private static byte[] safetensors(String header, int dataBytes) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        return b.array();
    }

    private static float max(float[] p) {
        float m = 0;
        for (float v : p) m = Math.max(m, v);
        return m;
    }

    private static String sha256(byte[] b) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
