package io.github.qwenasr.audio;

import io.github.qwenasr.QwenAsrException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * A file in any format ffmpeg reads (MP3, M4A, FLAC, Ogg/Opus, the first audio stream of a video, ...)
 * as model input, decoded by an ffmpeg subprocess to 16 kHz float samples (docs/modes.md 2.6). Nothing
 * is written to disk and memory stays bounded whatever the length: a decoder cannot seek to a sample,
 * so the source streams instead.
 *
 * <ul>
 *   <li>Opening runs one full decode: it gives the length, the peak for the guard of docs/model.md 2.1
 *       step 4 (lossy decoders overshoot full scale, so the guard always applies), a checksum of every
 *       {@value #HASH_BLOCK} samples, and ffmpeg's verdict on the whole file ({@link FfmpegDiagnostics}):
 *       a damaged file fails here, before any model work.</li>
 *   <li>Reads are served by a live ffmpeg moving forward, whose last {@link #WINDOW_SAMPLES} samples
 *       are kept: the engine reads in increasing order (silence pass, cut searches, then pieces), with
 *       small steps back that the window covers. A read before the window starts ffmpeg again from the
 *       beginning and discards up to the start ({@link #decodePasses()} counts the decodes). The opening
 *       decode leaves the file's last window in place, so a file of up to 60 s is decoded only once.</li>
 *   <li>Every pass is checked against the first one's checksums and length, so a file that changes
 *       while it is read, or a decoder that is not repeatable, fails instead of giving mixed audio.</li>
 * </ul>
 *
 * <p>Channels are averaged as for WAV (docs/model.md 2.1 step 2); resampling to 16 kHz is ffmpeg's
 * own, so samples of input at another rate differ slightly from the engine's resampler (step 3);
 * 16 kHz input in an integer or lossless format (FLAC, ALAC, PCM in any container) gives exactly the
 * samples of the same audio in a WAV file. Reads are synchronized.
 */
final class FfmpegFileSource implements AudioSource {
    /** Samples kept behind the decoding position: 60 s, 3.8 MB. */
    static final int WINDOW_SAMPLES = 60 * AudioLoader.SAMPLE_RATE;
    /** Samples per checksum: about 8 s (13 000 checksums for the longest input). */
    static final int HASH_BLOCK = 1 << 17;
    /** A read that waits this long for ffmpeg's next output means a hung decoder. */
    static final long STALL_MILLIS = 120_000;
    private static final int READ_BYTES = 1 << 16;
    /** How long a failed read waits for ffmpeg to exit and say why. */
    private static final long VERDICT_WAIT_MILLIS = 2_000;
    private static final long HASH_SEED = 0xcbf29ce484222325L;

    private final Ffmpeg ffmpeg;
    private final String url;
    private final String name;
    private final InputFormat kind;
    private final long stallMillis;
    private final int length;
    /** The whole signal's peak when above 1 (samples are divided by it), else 0. */
    private final float peak;
    private final long[] hashes;
    /** The last samples of the current pass, as a ring ending at {@link #ringEnd}. */
    private final float[] window;

    private FfmpegProcess process;
    private IncrementalPcmReader reader;
    /** Samples the current pass has produced. */
    private long decoded;
    /** Samples of the window in use: those just before {@link #decoded}. */
    private int filled;
    private int ringEnd;
    private long blockHash = HASH_SEED;
    private int passes;
    private boolean closed;

    private FfmpegFileSource(Ffmpeg ffmpeg, Path file, String name, InputFormat kind, long stallMillis,
                             int windowSamples) {
        this.ffmpeg = ffmpeg;
        this.url = "file:" + file.toAbsolutePath();
        this.name = name;
        this.kind = kind;
        this.stallMillis = stallMillis;
        this.window = new float[windowSamples];
        FirstPass first = firstPass();
        this.length = first.length;
        this.peak = first.peak;
        this.hashes = first.hashes;
    }

    /**
     * Opens {@code file} through ffmpeg, decoding it once (see the class comment); errors name the file.
     *
     * @throws QwenAsrException without ffmpeg (saying how to install it), or when ffmpeg cannot decode
     *                          the whole file, finds no audio stream, or the audio is empty or too short
     */
    static FfmpegFileSource open(Path file, Ffmpeg ffmpeg) {
        return open(file, file.toString(), InputFormat.sniff(file), ffmpeg);
    }

    /**
     * {@link #open(Path, Ffmpeg)} with errors calling the input {@code name} and naming its format
     * {@code kind} (null or {@link InputFormat#UNKNOWN} when not known).
     */
    static FfmpegFileSource open(Path file, String name, InputFormat kind, Ffmpeg ffmpeg) {
        return open(file, name, kind, ffmpeg, STALL_MILLIS, WINDOW_SAMPLES);
    }

    static FfmpegFileSource open(Path file, String name, InputFormat kind, Ffmpeg ffmpeg, long stallMillis,
                                 int windowSamples) {
        if (Files.isDirectory(file)) throw new QwenAsrException("cannot read audio file " + name + ": is a directory");
        if (!Files.exists(file)) throw new QwenAsrException("cannot read audio file " + name + ": no such file");
        if (!Files.isRegularFile(file)) throw new QwenAsrException("cannot read audio file " + name + ": not a regular file");
        if (!Files.isReadable(file)) throw new QwenAsrException("cannot read audio file " + name + ": permission denied");
        return new FfmpegFileSource(ffmpeg, file, name, kind, stallMillis, windowSamples);
    }

    /** ffmpeg decodes of the file so far: the opening one, plus one per restart. */
    synchronized int decodePasses() {
        return passes;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public synchronized void read(int start, float[] dst, int offset, int count) {
        Objects.checkFromIndexSize(start, count, length);
        Objects.checkFromIndexSize(offset, count, dst.length);
        if (closed) throw new IllegalStateException("source is closed");
        if (count == 0) return;
        long end = start + (long) count;
        if (start < decoded - filled || process == null && end > decoded) restart();
        long from = Math.max(start, decoded - filled);
        long to = Math.min(end, decoded);
        if (to > from) copyFromWindow(from, to, dst, offset + (int) (from - start));
        while (decoded < end) {
            float[] block = nextBlock();
            if (block == null) throw changed("ended after " + decoded + " of " + length + " samples");
            take(block, start, end, dst, offset);
        }
        for (int i = offset; i < offset + count; i++) {
            float v = dst[i];
            if (peak > 1f) v /= peak; // the same operations, in the same order, as AudioLoader.applyPeakGuard
            dst[i] = Math.max(-1f, Math.min(1f, v));
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        stopPass();
    }

    // ---- passes ----

    private record FirstPass(int length, float peak, long[] hashes) {}

    /**
     * The opening decode: length, peak, checksums and ffmpeg's verdict on the whole file; its last
     * {@link #WINDOW_SAMPLES} samples stay in the window.
     */
    private FirstPass firstPass() {
        startPass();
        try {
            long count = 0;
            float max = 0;
            long h = HASH_SEED;
            long[] sums = new long[16];
            int blocks = 0;
            float[] block;
            while ((block = nextBlock()) != null) {
                push(block); // the last window of the file stays: a file no longer than it needs no second pass
                decoded += block.length;
                for (float v : block) {
                    if (!Float.isFinite(v)) throw new QwenAsrException(name + ": audio contains NaN or infinite samples");
                    max = Math.max(max, Math.abs(v));
                    h = mix(h, v);
                    if (++count % HASH_BLOCK == 0) {
                        if (blocks == sums.length) sums = Arrays.copyOf(sums, blocks * 2);
                        sums[blocks++] = h;
                        h = HASH_SEED;
                    }
                }
                if (count > Integer.MAX_VALUE - 8) {
                    throw new QwenAsrException(name + ": audio too long: more than " + (Integer.MAX_VALUE - 8)
                            + " samples at 16 kHz (about 37 hours)");
                }
            }
            if (count % HASH_BLOCK != 0) {
                if (blocks == sums.length) sums = Arrays.copyOf(sums, blocks + 1);
                sums[blocks++] = h;
            }
            if (count == 0) throw new QwenAsrException(name + ": audio is empty");
            try {
                AudioLoader.checkLength((int) count);
            } catch (QwenAsrException e) {
                throw new QwenAsrException(name + ": " + e.getMessage(), e);
            }
            return new FirstPass((int) count, max > 1f ? max : 0f, Arrays.copyOf(sums, blocks));
        } finally {
            stopPass();
        }
    }

    private void restart() {
        stopPass();
        startPass();
    }

    private void startPass() {
        process = FfmpegProcess.start(ffmpeg, url, null, name, kind, stallMillis);
        reader = new IncrementalPcmReader(process.output(), READ_BYTES, name, false);
        decoded = 0;
        filled = 0;
        ringEnd = 0;
        blockHash = HASH_SEED;
        passes++;
        try {
            reader.readHeader();
        } catch (QwenAsrException e) {
            throw decodeFailure(e);
        }
        if (reader.sampleRate() != AudioLoader.SAMPLE_RATE) {
            throw decodeFailure(new QwenAsrException(name + ": ffmpeg gave " + reader.sampleRate()
                    + " Hz audio instead of " + AudioLoader.SAMPLE_RATE + " Hz"));
        }
    }

    private void stopPass() {
        if (process != null) process.close();
        process = null;
        reader = null;
    }

    /**
     * The next block of the current pass, or null at its end, once ffmpeg has been judged (exit status,
     * errors, damage): a decode that failed throws here, so a failure is never taken for the end.
     */
    private float[] nextBlock() {
        float[] block;
        try {
            block = reader.read();
        } catch (QwenAsrException e) {
            throw decodeFailure(e);
        }
        if (block == null) {
            FfmpegProcess p = process;
            stopPassAfter(p::finish);
        }
        return block;
    }

    /** Runs the end-of-pass check, then stops the pass whatever it found. */
    private void stopPassAfter(Runnable check) {
        try {
            check.run();
        } finally {
            stopPass();
        }
    }

    /** ffmpeg's own verdict when it failed (the likelier cause: it wrote nothing usable), else the reader's error. */
    private QwenAsrException decodeFailure(QwenAsrException readerError) {
        FfmpegProcess p = process;
        if (p == null) return readerError;
        String failure;
        try {
            failure = p.failureOnceExited(VERDICT_WAIT_MILLIS);
        } finally {
            stopPass();
        }
        return failure != null ? new QwenAsrException(failure, readerError) : readerError;
    }

    /** Keeps {@code block} (the next samples of the pass) in the window, and copies what the read wants. */
    private void take(float[] block, long start, long end, float[] dst, int offset) {
        long first = decoded;
        int n = block.length;
        if (first + n > length) throw changed("gave more than the " + length + " samples of the first decode");
        long from = Math.max(start, first);
        long to = Math.min(end, first + n);
        if (to > from) System.arraycopy(block, (int) (from - first), dst, offset + (int) (from - start), (int) (to - from));
        for (int i = 0; i < n; i++) {
            blockHash = mix(blockHash, block[i]);
            long pos = first + i + 1;
            if (pos % HASH_BLOCK == 0 || pos == length) {
                if (blockHash != hashes[(int) ((pos - 1) / HASH_BLOCK)]) {
                    throw changed("decoded samples differ from the first decode near " + (pos - 1) / AudioLoader.SAMPLE_RATE + " s");
                }
                blockHash = HASH_SEED;
            }
        }
        push(block);
        decoded += n;
        if (decoded == length) {
            // Read the end now, so the pass's exit status is checked even when nothing more is read.
            float[] more = nextBlock();
            if (more != null) throw changed("gave more than the " + length + " samples of the first decode");
        }
    }

    private void push(float[] block) {
        int n = block.length;
        int skip = Math.max(0, n - window.length);
        int pos = skip;
        while (pos < n) {
            int run = Math.min(n - pos, window.length - ringEnd);
            System.arraycopy(block, pos, window, ringEnd, run);
            ringEnd = (ringEnd + run) % window.length;
            pos += run;
        }
        filled = Math.min(window.length, filled + n);
    }

    private void copyFromWindow(long from, long to, float[] dst, int at) {
        // The sample at position decoded - 1 sits just before ringEnd.
        int back = (int) (decoded - from);
        int idx = Math.floorMod(ringEnd - back, window.length);
        int n = (int) (to - from);
        while (n > 0) {
            int run = Math.min(n, window.length - idx);
            System.arraycopy(window, idx, dst, at, run);
            at += run;
            n -= run;
            idx = (idx + run) % window.length;
        }
    }

    private QwenAsrException changed(String how) {
        stopPass();
        return new QwenAsrException(name + ": a repeated ffmpeg decode " + how
                + "; was the file changed while it was read?");
    }

    private static long mix(long h, float v) {
        return (h ^ Float.floatToRawIntBits(v)) * 0x100000001b3L;
    }
}
