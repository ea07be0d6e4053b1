package io.github.qwenasr.audio;

import io.github.qwenasr.QwenAsrException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Audio arriving on a stream (stdin) for an offline run: copied to a temporary file, then read in
 * pieces like any file, so an hour piped in costs disk, not memory. The input is WAV when it
 * starts with "RIFF", "RF64" or "RIFX", otherwise raw signed 16-bit little-endian 16 kHz mono
 * (docs/modes.md 2.3), exactly as {@link AudioLoader#load16k(byte[])} decides. The copy is deleted on
 * close (and at exit, should the process end first).
 */
public final class SpooledAudio implements AudioSource {
    private final Path copy;
    private final WavFileSource source;

    private SpooledAudio(Path copy, WavFileSource source) {
        this.copy = copy;
        this.source = source;
    }

    /** Reads {@code in} to its end into a temporary file and opens it; errors call the input {@code name}. */
    public static SpooledAudio of(InputStream in, String name) {
        Path copy;
        try {
            copy = Files.createTempFile("qwen-asr-input-", ".audio");
        } catch (IOException e) {
            throw new QwenAsrException("cannot create a temporary file for the audio on " + name + ": "
                    + WavDecoder.describe(e), e);
        }
        copy.toFile().deleteOnExit();
        try {
            long size;
            try {
                size = Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new QwenAsrException("cannot read audio from " + name + ": " + WavDecoder.describe(e), e);
            }
            if (size < 4) throw new QwenAsrException("no audio data on " + name);
            return new SpooledAudio(copy, WavFileSource.open(copy, name, !startsLikeWav(copy)));
        } catch (RuntimeException e) {
            delete(copy);
            throw e;
        }
    }

    private static boolean startsLikeWav(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            String magic = new String(in.readNBytes(4), StandardCharsets.ISO_8859_1);
            return magic.equals("RIFF") || magic.equals("RF64") || magic.equals("RIFX");
        } catch (IOException e) {
            throw new QwenAsrException("cannot read the temporary copy of the audio: " + WavDecoder.describe(e), e);
        }
    }

    /** The temporary copy (for tests). */
    Path copy() {
        return copy;
    }

    @Override
    public int length() {
        return source.length();
    }

    @Override
    public void read(int start, float[] dst, int offset, int count) {
        source.read(start, dst, offset, count);
    }

    @Override
    public void close() {
        source.close();
        delete(copy);
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // deleteOnExit still removes it when the process ends.
        }
    }
}
