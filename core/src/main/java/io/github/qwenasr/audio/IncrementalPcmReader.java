package io.github.qwenasr.audio;

import static io.github.qwenasr.audio.WavDecoder.PLACEHOLDER_MIN;
import static io.github.qwenasr.audio.WavDecoder.SUBFORMAT_GUID_TAIL;
import static io.github.qwenasr.audio.WavDecoder.TAG_EXTENSIBLE;
import static io.github.qwenasr.audio.WavDecoder.TAG_FLOAT;
import static io.github.qwenasr.audio.WavDecoder.TAG_PCM;

import io.github.qwenasr.QwenAsrException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads audio from a stream as it arrives (live {@code --stdin --stream}, docs/modes.md 2.4), handing
 * over mono samples block by block instead of waiting for the end of the stream.
 *
 * <p>Format detection as in docs/modes.md 2.3: a stream starting with "RIFF" (or "RF64") is WAV, anything
 * else raw signed 16-bit little-endian PCM, 16 kHz, mono. WAV headers are walked chunk by chunk up to
 * {@code data}, so they may be of any length; the encodings are those of {@link WavDecoder} (integer PCM
 * of 8/16/24/32 bits, float of 32/64 bits, plain or WAVE_FORMAT_EXTENSIBLE), with any channel count
 * (averaged, scaled exactly as {@link WavDecoder} does) and any sample rate (reported by
 * {@link #sampleRate()}; resampling is the consumer's job). Unlike the C reader, a declared data size of
 * 0, or of 0x7FFFFFFF and above, is the placeholder of a writer that cannot seek back and means "until
 * the end of the stream"; any other size ends the audio there, leaving the rest of the stream unread.
 *
 * <p>{@link #read()} blocks only until some bytes are available, decodes every whole sample frame
 * among them and keeps a partial frame for the next call, so a frame split across reads is decoded
 * once it is complete. Float samples are clipped to [-1, 1] (a stream has no global peak to divide by,
 * docs/model.md 2.1 step 4); NaN or infinite samples fail. Nothing is accumulated: memory stays bounded
 * whatever the stream length. Not thread-safe.
 */
public final class IncrementalPcmReader {
    /** Bytes asked for per read: one second of 16 kHz 16-bit mono; a read returns whatever has arrived. */
    public static final int DEFAULT_READ_BYTES = 32_000;
    /** A metadata chunk larger than this before 'data' is not a header any more. */
    private static final long MAX_SKIPPED_CHUNK = 64L << 20;
    private static final String CONVERT_HINT = "; convert it with: ffmpeg -i IN -ac 1 -ar 16000 -c:a pcm_s16le OUT.wav";

    private final InputStream in;
    private final byte[] buffer;
    /** How errors call the stream ("stdin"). */
    private final String name;
    /** Whether float samples are clipped to [-1, 1] (a live stream has no global peak). */
    private final boolean clip;
    /** Bytes of an incomplete frame (or, right after detection, header bytes that are audio) at buffer[0..]. */
    private int pending;
    private boolean headerDone;
    private boolean wav;
    private int tag = TAG_PCM;
    private int bits = 16;
    private int channels = 1;
    private int sampleRate = AudioLoader.SAMPLE_RATE;
    /** Audio bytes still allowed by the declared data size; -1 for "until end of stream". */
    private long remaining = -1;
    private boolean ended;
    private long framesRead;

    /** A reader asking for {@value #DEFAULT_READ_BYTES} bytes per read. */
    public IncrementalPcmReader(InputStream in) {
        this(in, DEFAULT_READ_BYTES);
    }

    /** @param readBytes most bytes taken from the stream per read (at least 64) */
    public IncrementalPcmReader(InputStream in, int readBytes) {
        this(in, readBytes, "stdin", true);
    }

    /**
     * A reader whose errors call the stream {@code name}; with {@code clip} false, float samples are
     * handed out as they are, for a caller that applies the whole signal's peak guard itself
     * ({@link FfmpegFileSource}).
     */
    IncrementalPcmReader(InputStream in, int readBytes, String name, boolean clip) {
        if (readBytes < 64) throw new IllegalArgumentException("read size must be at least 64 bytes, got " + readBytes);
        this.in = in;
        this.buffer = new byte[readBytes];
        this.name = name;
        this.clip = clip;
    }

    /**
     * Detects the format, reading (and blocking) as far as the start of the audio. Called by the first
     * {@link #read()}; call it earlier to learn the format before any audio is decoded.
     *
     * @throws QwenAsrException "no audio data on " + name for fewer than 4 bytes, or a one-line reason for a
     *                          truncated or unsupported WAV header
     */
    public void readHeader() {
        if (headerDone) return;
        int n = fill(buffer, 0, 4);
        if (n < 4) throw new QwenAsrException("no audio data on " + name);
        String magic = new String(buffer, 0, 4, StandardCharsets.ISO_8859_1);
        if (magic.equals("RIFX")) throw new QwenAsrException("big-endian WAV (RIFX) on " + name + " is not supported" + CONVERT_HINT);
        if (magic.equals("RIFF") || magic.equals("RF64")) {
            parseWavHeader(magic.equals("RF64"));
        } else {
            pending = 4; // raw PCM: the four bytes already read are audio
        }
        headerDone = true;
    }

    /**
     * The next block of mono samples at {@link #sampleRate()}: every whole frame that has arrived,
     * blocking until at least one has (or the stream ends).
     *
     * @return at least one sample, or null at the end of the audio (a trailing partial frame is dropped)
     * @throws QwenAsrException when the stream cannot be read or holds non-finite float samples
     */
    public float[] read() {
        readHeader();
        int frameBytes = frameBytes();
        while (pending < frameBytes && !ended) {
            int want = buffer.length - pending;
            if (remaining >= 0) want = (int) Math.min(want, remaining);
            int n = want <= 0 ? -1 : readSome(buffer, pending, want);
            if (n < 0) {
                ended = true;
                break;
            }
            pending += n;
            if (remaining >= 0) remaining -= n;
        }
        int frames = pending / frameBytes;
        if (frames == 0) return null; // the end; a trailing partial frame is dropped
        float[] out = decode(frames);
        int used = frames * frameBytes;
        System.arraycopy(buffer, used, buffer, 0, pending - used);
        pending -= used;
        framesRead += frames;
        return out;
    }

    /** Whether the stream is WAV (else raw s16le 16 kHz mono). Valid after {@link #readHeader()}. */
    public boolean isWav() {
        return wav;
    }

    /** Sample rate of the returned samples in Hz. Valid after {@link #readHeader()}. */
    public int sampleRate() {
        return sampleRate;
    }

    /** Channels in the stream (the returned samples are their mean). Valid after {@link #readHeader()}. */
    public int channels() {
        return channels;
    }

    /** Short encoding name, e.g. {@code pcm_s16le} or {@code pcm_f32le}. Valid after {@link #readHeader()}. */
    public String format() {
        return tag == TAG_FLOAT ? "pcm_f" + bits + "le" : bits == 8 ? "pcm_u8" : "pcm_s" + bits + "le";
    }

    /** One line for diagnostics, e.g. "WAV pcm_s16le, 44100 Hz, 2 channels". */
    public String describe() {
        if (!wav) return "raw s16le 16 kHz mono";
        return String.format(Locale.ROOT, "WAV %s, %d Hz, %d channel%s%s", format(), sampleRate, channels,
                channels == 1 ? "" : "s", remaining < 0 ? ", data until end of stream" : "");
    }

    /** Sample frames handed out so far. */
    public long framesRead() {
        return framesRead;
    }

    private int frameBytes() {
        return channels * (bits / 8);
    }

    // ---- header ----

    private void parseWavHeader(boolean rf64) {
        wav = true;
        byte[] riff = readExactly(8, "inside the RIFF header");
        if (!new String(riff, 4, 4, StandardCharsets.ISO_8859_1).equals("WAVE")) {
            throw new QwenAsrException("not a WAV stream on " + name + " (RIFF type is not 'WAVE')");
        }
        boolean haveFormat = false;
        long ds64DataSize = -1;
        while (true) {
            byte[] head = readExactly(8, haveFormat ? "before the 'data' chunk" : "before the 'fmt ' chunk");
            String id = fourCC(head, 0);
            long size = Integer.toUnsignedLong(le32(head, 4));
            if (id.equals("data")) {
                if (!haveFormat) throw new QwenAsrException("invalid WAV stream on " + name + ": 'data' chunk before 'fmt ' chunk");
                if (rf64 && size == 0xFFFFFFFFL && ds64DataSize > 0) size = ds64DataSize;
                else if (size == 0 || size >= PLACEHOLDER_MIN) size = -1;
                remaining = size;
                return;
            }
            if (id.equals("fmt ")) {
                if (size < 16 || size > 1024) {
                    throw new QwenAsrException("invalid WAV stream on " + name + ": 'fmt ' chunk of " + size + " bytes");
                }
                byte[] body = readExactly((int) (size + (size & 1)), "inside the 'fmt ' chunk");
                parseFormat(body, (int) size);
                haveFormat = true;
            } else if (id.equals("ds64") && rf64 && size >= 16 && size <= 1024) {
                byte[] body = readExactly((int) (size + (size & 1)), "inside the 'ds64' chunk");
                ds64DataSize = le32(body, 8) & 0xFFFFFFFFL | (long) le32(body, 12) << 32;
            } else {
                if (size > MAX_SKIPPED_CHUNK) {
                    throw new QwenAsrException("invalid WAV stream on " + name + ": '" + id + "' chunk of " + size
                            + " bytes before the audio");
                }
                skipExactly(size + (size & 1), id);
            }
        }
    }

    private void parseFormat(byte[] b, int size) {
        int t = le16(b, 0);
        int ch = le16(b, 2);
        long rate = Integer.toUnsignedLong(le32(b, 4));
        int bps = le16(b, 14);
        if (t == TAG_EXTENSIBLE) {
            if (size < 40) {
                throw new QwenAsrException("invalid WAV stream on " + name + ": WAVE_FORMAT_EXTENSIBLE 'fmt ' chunk is only "
                        + size + " bytes (need 40)");
            }
            for (int i = 0; i < SUBFORMAT_GUID_TAIL.length; i++) {
                if (b[26 + i] != SUBFORMAT_GUID_TAIL[i]) {
                    throw new QwenAsrException("unsupported WAVE_FORMAT_EXTENSIBLE sub-format on " + name + " (unknown GUID)"
                            + CONVERT_HINT);
                }
            }
            t = le16(b, 24);
        }
        if (ch == 0) throw new QwenAsrException("invalid WAV stream on " + name + ": 0 channels");
        if (rate == 0) throw new QwenAsrException("invalid WAV stream on " + name + ": sample rate 0");
        AudioLoader.checkLowestRate(rate, " on " + name);
        if (rate > AudioLoader.MAX_SAMPLE_RATE) {
            throw new QwenAsrException("unsupported sample rate on " + name + ": " + rate + " Hz (highest supported: "
                    + AudioLoader.MAX_SAMPLE_RATE + " Hz)");
        }
        boolean ok = t == TAG_PCM ? bps == 8 || bps == 16 || bps == 24 || bps == 32
                : t == TAG_FLOAT && (bps == 32 || bps == 64);
        if (!ok) {
            String what = t == TAG_PCM ? bps + "-bit integer PCM" : t == TAG_FLOAT ? bps + "-bit float"
                    : String.format(Locale.ROOT, "format tag 0x%04X", t);
            throw new QwenAsrException("unsupported WAV format on " + name + ": " + what
                    + " (supported: 8/16/24/32-bit integer PCM, 32/64-bit float)" + CONVERT_HINT);
        }
        tag = t;
        bits = bps;
        channels = ch;
        sampleRate = (int) rate;
    }

    // ---- sample decoding (same scaling as WavDecoder) ----

    private float[] decode(int frames) {
        float[] out = new float[frames];
        int p = 0;
        if (tag == TAG_PCM) {
            switch (bits) {
                case 8 -> {
                    double scale = 1.0 / (128.0 * channels);
                    for (int i = 0; i < frames; i++) {
                        long sum = 0;
                        for (int c = 0; c < channels; c++) sum += (buffer[p++] & 0xFF) - 128;
                        out[i] = (float) (sum * scale);
                    }
                }
                case 16 -> {
                    if (channels == 1) {
                        for (int i = 0; i < frames; i++, p += 2) out[i] = (short) le16(buffer, p) / 32768f;
                    } else {
                        double scale = 1.0 / (32768.0 * channels);
                        for (int i = 0; i < frames; i++) {
                            long sum = 0;
                            for (int c = 0; c < channels; c++, p += 2) sum += (short) le16(buffer, p);
                            out[i] = (float) (sum * scale);
                        }
                    }
                }
                case 24 -> {
                    double scale = 1.0 / (8388608.0 * channels);
                    for (int i = 0; i < frames; i++) {
                        long sum = 0;
                        for (int c = 0; c < channels; c++, p += 3) {
                            sum += (buffer[p] & 0xFF) | (buffer[p + 1] & 0xFF) << 8 | buffer[p + 2] << 16;
                        }
                        out[i] = (float) (sum * scale);
                    }
                }
                default -> {
                    double scale = 1.0 / (2147483648.0 * channels);
                    for (int i = 0; i < frames; i++) {
                        long sum = 0;
                        for (int c = 0; c < channels; c++, p += 4) sum += le32(buffer, p);
                        out[i] = (float) (sum * scale);
                    }
                }
            }
            return out;
        }
        for (int i = 0; i < frames; i++) {
            double v;
            if (bits == 32) {
                if (channels == 1) {
                    v = Float.intBitsToFloat(le32(buffer, p));
                    p += 4;
                } else {
                    double sum = 0;
                    for (int c = 0; c < channels; c++, p += 4) sum += Float.intBitsToFloat(le32(buffer, p));
                    v = (float) (sum / channels);
                }
            } else {
                double sum = 0;
                for (int c = 0; c < channels; c++, p += 8) {
                    sum += Double.longBitsToDouble(le32(buffer, p) & 0xFFFFFFFFL | (long) le32(buffer, p + 4) << 32);
                }
                v = (float) (sum / channels);
            }
            if (!Double.isFinite(v)) throw new QwenAsrException("audio on " + name + " contains NaN or infinite samples");
            out[i] = clip ? (float) Math.max(-1.0, Math.min(1.0, v)) : (float) v;
        }
        return out;
    }

    // ---- byte access ----

    /** One read of at most {@code len} bytes: blocks until at least one byte arrives; -1 at end of stream. */
    private int readSome(byte[] b, int off, int len) {
        try {
            int n;
            do {
                n = in.read(b, off, len);
            } while (n == 0); // a misbehaving stream that returns 0 is retried, not taken for the end
            return n;
        } catch (IOException e) {
            throw new QwenAsrException("cannot read audio from " + name + ": " + WavDecoder.describe(e), e);
        }
    }

    /** Reads until {@code len} bytes or the end of the stream; returns the count read. */
    private int fill(byte[] b, int off, int len) {
        int total = 0;
        while (total < len) {
            int n = readSome(b, off + total, len - total);
            if (n < 0) break;
            total += n;
        }
        return total;
    }

    private byte[] readExactly(int len, String what) {
        byte[] b = new byte[len];
        if (fill(b, 0, len) < len) throw truncated(what);
        return b;
    }

    private void skipExactly(long len, String id) {
        byte[] scratch = new byte[(int) Math.min(len, 8192)];
        long left = len;
        while (left > 0) {
            int n = readSome(scratch, 0, (int) Math.min(left, scratch.length));
            if (n < 0) throw truncated("inside the '" + id + "' chunk");
            left -= n;
        }
    }

    private QwenAsrException truncated(String what) {
        return new QwenAsrException("truncated WAV header on " + name + ": the stream ended " + what);
    }

    private static int le16(byte[] b, int p) {
        return (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8;
    }

    private static int le32(byte[] b, int p) {
        return (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8 | (b[p + 2] & 0xFF) << 16 | b[p + 3] << 24;
    }

    private static String fourCC(byte[] b, int p) {
        char[] c = new char[4];
        for (int i = 0; i < 4; i++) {
            int v = b[p + i] & 0xFF;
            c[i] = v >= 0x20 && v <= 0x7E ? (char) v : '?';
        }
        return new String(c);
    }
}
