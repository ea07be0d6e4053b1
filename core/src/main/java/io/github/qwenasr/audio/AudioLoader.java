package io.github.qwenasr.audio;

import io.github.qwenasr.QwenAsrException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Turns any supported audio input into the model's input signal: mono float samples at 16 kHz
 * (docs/model.md 2.1; input detection as in docs/modes.md 2.1 and 2.3).
 *
 * <p>Steps: decode ({@link WavDecoder}, or raw signed 16-bit little-endian 16 kHz mono), average the
 * channels, resample to 16 kHz ({@link Resampler}), then the peak guard of docs/model.md 2.1 step 4: if
 * {@code max|x| > 1} divide by that peak, then clip to [−1, 1]. Decoded WAV audio keeps its own
 * scaling (only float files louder than full scale are changed by the guard); arrays handed to
 * {@link #fromPcm} are not rescaled from any integer range, they are only peak-guarded.
 *
 * <p>The result must hold at least {@value #MIN_SAMPLES} samples, the shortest input the log-mel
 * front end accepts (docs/model.md 2.6); NaN or infinite samples are rejected.
 */
public final class AudioLoader {
    /** Sample rate of the model input. */
    public static final int SAMPLE_RATE = Resampler.TARGET_RATE;
    /** Shortest accepted input at 16 kHz (reflect padding of 200 samples needs 201, docs/model.md 2.6). */
    public static final int MIN_SAMPLES = 201;
    /** Highest input rate the resampler accepts. */
    public static final int MAX_SAMPLE_RATE = SAMPLE_RATE * Resampler.MAX_DOWNSAMPLING;
    /**
     * Lowest input rate accepted. No real recording is slower (telephone audio is 8 kHz), and a
     * header claiming 1 or 8 Hz turns a few kilobytes into hours of audio to resample and decode.
     */
    public static final int MIN_SAMPLE_RATE = 1000;

    private AudioLoader() {
    }

    /**
     * Loads a WAV file (any format {@link WavDecoder} accepts).
     *
     * @throws QwenAsrException "cannot read audio file F: reason" when the file cannot be read, or a
     *                          message naming the file when its content is not usable audio
     */
    public static float[] load16k(Path file) {
        try (WavFileSource source = WavFileSource.open(file)) {
            return source.readAll();
        }
    }

    /**
     * Loads audio held in memory: a WAV file when it starts with "RIFF" (or "RF64"/"RIFX", which get
     * the WAV decoder's own verdict), otherwise raw signed 16-bit little-endian PCM at 16 kHz, mono,
     * with a trailing odd byte dropped.
     */
    public static float[] load16k(byte[] wavOrRaw) {
        if (isWav(wavOrRaw)) {
            DecodedAudio audio = WavDecoder.decode(wavOrRaw);
            return finish(audio.samples(), audio.sampleRate(), true);
        }
        return finish(decodeRawS16le(wavOrRaw), SAMPLE_RATE, true);
    }

    /** Reads all of {@code in} (to end of stream) and loads it like {@link #load16k(byte[])}. */
    public static float[] readStdin(InputStream in) {
        byte[] bytes;
        try {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new QwenAsrException("cannot read audio from stdin: " + WavDecoder.describe(e), e);
        }
        if (bytes.length < 4) throw new QwenAsrException("no audio data on stdin");
        return load16k(bytes);
    }

    /**
     * Prepares caller-supplied samples (mono, any rate): resample to 16 kHz, then peak guard. The
     * input array is not modified.
     *
     * @throws QwenAsrException for a rate below {@link #MIN_SAMPLE_RATE} or above {@link #MAX_SAMPLE_RATE}, empty, too short or
     *                          non-finite audio
     */
    public static float[] fromPcm(float[] samples, int sampleRate) {
        if (sampleRate < 1) throw new QwenAsrException("invalid sample rate: " + sampleRate);
        checkLowestRate(sampleRate, "");
        return finish(samples, sampleRate, false);
    }

    /**
     * Fails when {@code rate} (positive) is below {@link #MIN_SAMPLE_RATE}; {@code where} ends the
     * message's first words, e.g. " on stdin".
     */
    public static void checkLowestRate(long rate, String where) {
        if (rate < MIN_SAMPLE_RATE) {
            throw new QwenAsrException("unsupported sample rate" + where + ": " + rate + " Hz (lowest supported: "
                    + MIN_SAMPLE_RATE + " Hz)");
        }
    }

    /**
     * Peak guard of docs/model.md 2.1 step 4, in place: divide by the peak when it exceeds 1, then clip
     * to [−1, 1].
     *
     * @throws QwenAsrException when a sample is NaN or infinite
     */
    public static void applyPeakGuard(float[] samples) {
        float peak = 0;
        for (float v : samples) {
            if (!Float.isFinite(v)) throw new QwenAsrException("audio contains NaN or infinite samples");
            peak = Math.max(peak, Math.abs(v));
        }
        if (peak > 1f) {
            for (int i = 0; i < samples.length; i++) samples[i] /= peak;
        }
        for (int i = 0; i < samples.length; i++) samples[i] = Math.max(-1f, Math.min(1f, samples[i]));
    }

    /** Raw signed 16-bit little-endian PCM to floats ({@code s/32768}); an odd last byte is ignored. */
    static float[] decodeRawS16le(byte[] bytes) {
        ShortBuffer pcm = ByteBuffer.wrap(bytes, 0, bytes.length & ~1).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
        float[] out = new float[pcm.remaining()];
        for (int i = 0; i < out.length; i++) out[i] = pcm.get(i) / 32768f;
        return out;
    }

    private static boolean isWav(byte[] b) {
        if (b.length < 4 || b[0] != 'R') return false;
        String magic = new String(b, 0, 4, StandardCharsets.ISO_8859_1);
        return magic.equals("RIFF") || magic.equals("RF64") || magic.equals("RIFX");
    }

    /** Resample (into a new array unless {@code owned}), guard the peak and check the length. */
    private static float[] finish(float[] samples, int rate, boolean owned) {
        if (rate > MAX_SAMPLE_RATE) {
            throw new QwenAsrException("unsupported sample rate: " + rate + " Hz (highest supported: "
                    + MAX_SAMPLE_RATE + " Hz)");
        }
        if (samples.length == 0) throw new QwenAsrException("audio is empty");
        float[] out = rate == SAMPLE_RATE ? (owned ? samples : samples.clone()) : Resampler.to16k(samples, rate);
        applyPeakGuard(out);
        checkLength(out.length);
        return out;
    }

    /** Fails unless {@code samples} at 16 kHz are enough for the log-mel front end. */
    static void checkLength(int samples) {
        if (samples < MIN_SAMPLES) {
            throw new QwenAsrException(String.format(Locale.ROOT,
                    "audio too short: %d samples at 16 kHz (%.1f ms); at least %d samples (%.1f ms) are needed",
                    samples, samples / 16.0, MIN_SAMPLES, MIN_SAMPLES / 16.0));
        }
    }

    /**
     * Fails when a file is clearly something other than WAV ({@link InputFormat}): another audio
     * container (with a conversion hint) or a well-known non-audio file. Text and unknown bytes are
     * left to the WAV decoder, which says what is wrong with the header.
     */
    static void rejectOtherContainers(Path file) {
        InputFormat kind = InputFormat.sniff(file);
        if (kind == null || kind.isWav() || kind == InputFormat.WAV_BIG_ENDIAN || !kind.certain() && !kind.isAudio()) {
            return;
        }
        throw new QwenAsrException(file + ": not a WAV file (looks like " + kind.label() + ")"
                + (kind.isAudio() ? "; convert it with: ffmpeg -i IN -ac 1 -ar 16000 -c:a pcm_s16le OUT.wav" : ""));
    }
}
