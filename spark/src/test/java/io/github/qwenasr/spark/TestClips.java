package io.github.qwenasr.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Short clips cut at test time from the shared recordings (16 kHz mono 16-bit), written as WAV files
 * of a few encodings, and files that are not usable audio.
 */
final class TestClips {
    private TestClips() {
    }

    /** The sample frames of every shared recording, read from their data chunks. */
    static List<short[]> recordings() {
        List<short[]> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(SparkTests.shared().resolve("data/audio"))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".wav")).sorted().toList()) {
                byte[] data = dataChunk(Files.readAllBytes(p));
                short[] s = new short[data.length / 2];
                ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(s);
                out.add(s);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (out.size() < 5) throw new IllegalStateException("expected the shared recordings, found " + out.size());
        return out;
    }

    /**
     * Writes {@code count} clips of 0.5 to 3 s into {@code dir} as clip-NNN.wav: most 16-bit mono at
     * 16 kHz, every 7th 16-bit stereo (both channels the same), every 11th 32-bit float mono.
     */
    static List<Path> write(Path dir, int count, long seed) {
        return write(dir, count, seed, 0.5, 3.0);
    }

    /** {@link #write(Path, int, long)} with clip lengths between {@code minSeconds} and {@code maxSeconds}. */
    static List<Path> write(Path dir, int count, long seed, double minSeconds, double maxSeconds) {
        List<short[]> recs = recordings();
        int minLen = (int) Math.round(minSeconds * 16000);
        int spread = (int) Math.round((maxSeconds - minSeconds) * 16000);
        Random rnd = new Random(seed);
        List<Path> out = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            for (int i = 0; i < count; i++) {
                short[] rec = recs.get(rnd.nextInt(recs.size()));
                int len = minLen + rnd.nextInt(spread + 1);
                len = Math.min(len, rec.length);
                int start = rnd.nextInt(rec.length - len + 1);
                short[] clip = Arrays.copyOfRange(rec, start, start + len);
                Path p = dir.resolve(String.format("clip-%03d.wav", i));
                byte[] wav = i % 11 == 10 ? float32Mono(clip) : i % 7 == 6 ? pcm16(clip, 2) : pcm16(clip, 1);
                Files.write(p, wav);
                out.add(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * Files the engine cannot transcribe, each a different way: random bytes, a header cut short, an
     * MP3's ID3 tag, an empty file, a WAV of 100 samples (too short), and a symbolic link to nothing.
     */
    static List<Path> writeBad(Path dir, long seed) {
        Random rnd = new Random(seed);
        List<Path> out = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            byte[] noise = new byte[3000];
            rnd.nextBytes(noise);
            out.add(Files.write(dir.resolve("bad-noise.wav"), noise));
            byte[] good = pcm16(new short[16000], 1);
            out.add(Files.write(dir.resolve("bad-truncated.wav"), Arrays.copyOf(good, 30)));
            byte[] id3 = new byte[2000];
            rnd.nextBytes(id3);
            System.arraycopy("ID3".getBytes(StandardCharsets.ISO_8859_1), 0, id3, 0, 3);
            id3[3] = 4;
            id3[4] = 0;
            out.add(Files.write(dir.resolve("bad-mp3.wav"), id3));
            out.add(Files.write(dir.resolve("bad-empty.wav"), new byte[0]));
            out.add(Files.write(dir.resolve("bad-short.wav"), pcm16(new short[100], 1)));
            Path link = dir.resolve("bad-dangling.wav");
            Files.createSymbolicLink(link, dir.resolve("no-such-target.wav"));
            out.add(link);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** A canonical 16 kHz 16-bit WAV with each sample repeated over {@code channels} channels. */
    static byte[] pcm16(short[] samples, int channels) {
        ByteBuffer b = header(samples.length * channels * 2, 1, channels, 16000, 16);
        for (short s : samples) {
            for (int c = 0; c < channels; c++) b.putShort(s);
        }
        return b.array();
    }

    static byte[] float32Mono(short[] samples) {
        ByteBuffer b = header(samples.length * 4, 3, 1, 16000, 32);
        for (short s : samples) b.putFloat(s / 32768f);
        return b.array();
    }

    static ByteBuffer header(int dataBytes, int tag, int channels, int rate, int bits) {
        ByteBuffer b = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        int block = channels * bits / 8;
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + dataBytes)
                .put("WAVE".getBytes(StandardCharsets.US_ASCII))
                .put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) tag)
                .putShort((short) channels).putInt(rate).putInt(rate * block).putShort((short) block)
                .putShort((short) bits)
                .put("data".getBytes(StandardCharsets.US_ASCII)).putInt(dataBytes);
        return b;
    }

    static byte[] dataChunk(byte[] wav) {
        ByteBuffer b = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
        int pos = 12;
        while (pos + 8 <= wav.length) {
            String id = new String(wav, pos, 4, StandardCharsets.US_ASCII);
            int size = b.getInt(pos + 4);
            if (id.equals("data")) return Arrays.copyOfRange(wav, pos + 8, pos + 8 + size);
            pos += 8 + size + (size & 1);
        }
        throw new IllegalStateException("no data chunk");
    }
}
