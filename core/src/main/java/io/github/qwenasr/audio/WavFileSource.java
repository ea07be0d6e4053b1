package io.github.qwenasr.audio;

import io.github.qwenasr.QwenAsrException;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * A WAV file read in pieces as model input, so a recording of any length costs memory only for
 * the stretch being read. It gives exactly the samples {@link AudioLoader#load16k(Path)} gives:
 * the same decoding ({@link WavDecoder}), the same resampler outputs (each depends only on its own
 * input window, {@link PolyphaseFilter}) and the same peak guard. The guard needs the peak of the
 * whole signal, so opening makes one streaming pass over the file when the peak can exceed full
 * scale: float encodings, and resampled audio (a band-limited signal can overshoot its samples).
 *
 * <p>Reads are positional and allocate their own buffers, so several threads may read at once.
 */
public final class WavFileSource implements AudioSource {
    /** Frames decoded per file read: bounds the byte buffer whatever the format. */
    private static final int BLOCK = 1 << 16;

    /** How errors name the input: the file, or e.g. "stdin" for a spooled copy. */
    private final String name;
    private final FileChannel channel;
    private final WavDecoder.Format format;
    private final long dataOffset;
    private final long frames;
    /** Null when the file is already at 16 kHz. */
    private final PolyphaseFilter filter;
    private final int length;
    /** Whether samples may lie outside [-1, 1] before the guard. */
    private final boolean guarded;
    /** The whole signal's peak when above 1 (samples are divided by it), else 0. */
    private final float peak;

    private WavFileSource(String name, FileChannel channel, WavDecoder.Layout layout) {
        this.name = name;
        this.channel = channel;
        this.format = layout.format();
        this.dataOffset = layout.dataOffset();
        this.frames = layout.frames();
        int rate = format.sampleRate();
        if (rate > AudioLoader.MAX_SAMPLE_RATE) {
            throw new QwenAsrException("unsupported sample rate: " + rate + " Hz (highest supported: "
                    + AudioLoader.MAX_SAMPLE_RATE + " Hz)");
        }
        if (frames == 0) throw new QwenAsrException("audio is empty");
        this.filter = rate == AudioLoader.SAMPLE_RATE ? null : PolyphaseFilter.of(rate, AudioLoader.SAMPLE_RATE);
        long total = filter == null ? frames : filter.outputLength(frames);
        if (total > Integer.MAX_VALUE - 8) {
            throw new QwenAsrException("WAV file too long: " + total + " samples at 16 kHz (limit "
                    + (Integer.MAX_VALUE - 8) + ", about 37 hours)");
        }
        this.length = (int) total;
        this.guarded = filter != null || format.tag() == WavDecoder.TAG_FLOAT;
        this.peak = guarded ? findPeak() : 0f;
        AudioLoader.checkLength(length);
    }

    /**
     * Opens a WAV file (any encoding {@link WavDecoder} accepts). Only the chunk headers are read
     * here, plus the peak pass described above; errors name the file, as {@link AudioLoader} does.
     */
    public static WavFileSource open(Path file) {
        if (Files.isDirectory(file)) throw new QwenAsrException("cannot read audio file " + file + ": is a directory");
        AudioLoader.rejectOtherContainers(file);
        return open(file, file.toString(), false);
    }

    /**
     * Opens a file that is either WAV or, when {@code raw}, headerless signed 16-bit little-endian
     * mono PCM at 16 kHz (a trailing odd byte is ignored); errors call it {@code name}.
     */
    static WavFileSource open(Path file, String name, boolean raw) {
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
            WavDecoder.Layout layout;
            long size = channel.size();
            if (raw) {
                layout = new WavDecoder.Layout(WavDecoder.Format.RAW_S16LE, 0, size / 2);
            } else {
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment seg = size == 0 ? MemorySegment.ofArray(new byte[0])
                            : channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
                    layout = WavDecoder.layout(seg);
                }
            }
            return new WavFileSource(name, channel, layout);
        } catch (QwenAsrException e) {
            closeQuietly(channel);
            throw new QwenAsrException(name + ": " + e.getMessage(), e);
        } catch (IOException | UnsupportedOperationException e) {
            closeQuietly(channel);
            throw new QwenAsrException("cannot read audio file " + name + ": " + WavDecoder.describe(e), e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /** The file's own sample rate. */
    public int nativeSampleRate() {
        return format.sampleRate();
    }

    /** The file's encoding, e.g. "pcm_s16le". */
    public String encoding() {
        return format.name();
    }

    public int channels() {
        return format.channels();
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public void read(int start, float[] dst, int offset, int count) {
        Objects.checkFromIndexSize(start, count, length);
        Objects.checkFromIndexSize(offset, count, dst.length);
        readUnguarded(start, dst, offset, count);
        if (!guarded) return; // integer PCM at 16 kHz is within [-1, 1] already
        for (int i = offset; i < offset + count; i++) {
            float v = dst[i];
            if (peak > 1f) v /= peak; // the same operations, in the same order, as AudioLoader.applyPeakGuard
            dst[i] = Math.max(-1f, Math.min(1f, v));
        }
    }

    /** 16 kHz samples before the peak guard. */
    private void readUnguarded(int start, float[] dst, int offset, int count) {
        if (filter == null) {
            readFrames(start, dst, offset, count);
            return;
        }
        for (int done = 0; done < count; ) {
            int n = Math.min(BLOCK, count - done);
            long i0 = start + (long) done;
            long first = filter.firstInput(i0);
            long end = filter.firstInput(i0 + n - 1) + filter.stride;
            float[] window = new float[(int) (end - first)];
            long from = Math.max(0, first);
            long to = Math.min(frames, end);
            if (to > from) readFrames(from, window, (int) (from - first), (int) (to - from)); // zero outside the file
            filter.run(i0, i0 + n, window, first, dst, offset + done);
            done += n;
        }
    }

    /** Decodes frames {@code [frame0, frame0 + count)} to mono at the file's rate. */
    private void readFrames(long frame0, float[] dst, int offset, int count) {
        int frameBytes = format.channels() * (format.bits() / 8);
        byte[] bytes = new byte[Math.min(BLOCK, count) * frameBytes];
        for (int done = 0; done < count; ) {
            int n = Math.min(BLOCK, count - done);
            ByteBuffer buf = ByteBuffer.wrap(bytes, 0, n * frameBytes);
            long pos = dataOffset + (frame0 + done) * frameBytes;
            try {
                while (buf.hasRemaining()) {
                    int got = channel.read(buf, pos + buf.position());
                    if (got < 0) throw new QwenAsrException(name + ": the file became shorter while it was read");
                }
            } catch (IOException e) {
                throw new QwenAsrException("cannot read audio file " + name + ": " + WavDecoder.describe(e), e);
            }
            WavDecoder.decodeFrames(MemorySegment.ofArray(bytes), 0, format, dst, offset + done, n);
            done += n;
        }
    }

    /** The largest magnitude of the unguarded signal, failing on NaN or infinity; 0 when at most 1. */
    private float findPeak() {
        float max = 0;
        float[] block = new float[BLOCK];
        for (int start = 0; start < length; start += BLOCK) {
            int n = Math.min(BLOCK, length - start);
            readUnguarded(start, block, 0, n);
            for (int i = 0; i < n; i++) {
                float v = block[i];
                if (!Float.isFinite(v)) throw new QwenAsrException("audio contains NaN or infinite samples");
                max = Math.max(max, Math.abs(v));
            }
        }
        return max > 1f ? max : 0f;
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) return;
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing was written; a failed close of a read-only file loses nothing.
        }
    }
}
