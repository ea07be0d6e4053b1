package io.github.qwenasr.audio;

import io.github.qwenasr.QwenAsrException;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * Decodes RIFF/WAVE audio into mono float samples at the file's native rate
 * (docs/model.md 2.1 steps 1-2; docs/modes.md 2.1 describes the earlier engines, whose defects are fixed here).
 *
 * <p>Accepted encodings: integer PCM of 8 (unsigned), 16, 24 and 32 bits, IEEE float of 32 and 64
 * bits, either as plain format tags (1, 3) or inside WAVE_FORMAT_EXTENSIBLE (0xFFFE), with any
 * channel count (averaged to mono) and any sample rate from {@link AudioLoader#MIN_SAMPLE_RATE} up
 * (a lower one is refused with the header, before a small file becomes hours of audio). RF64 files
 * are read too. Integer samples are scaled as libsndfile does: 8-bit {@code (b-128)/128}, others
 * {@code s/2^(bits-1)}; float samples are kept as stored.
 *
 * <p>Chunk walk: chunks are padded to even sizes; unknown chunks are skipped. A {@code data} chunk
 * whose declared size runs past the end of the file is accepted only when the size is a streaming
 * placeholder (0, or at least 0x7FFFFFFF, as written by tools that never patch the header); the bytes
 * actually present are then used. Any other overrun is a truncated file and fails. Everything
 * else that cannot be decoded faithfully (RIFX, A-law, µ-law, ADPCM, MP3, odd bit depths) fails with
 * a one-line {@link QwenAsrException}.
 */
final class WavDecoder {
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 =
            ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    static final int TAG_PCM = 1;
    static final int TAG_FLOAT = 3;
    static final int TAG_EXTENSIBLE = 0xFFFE;
    /** Bytes 2..15 of every KSDATAFORMAT_SUBTYPE_* GUID that maps a plain format tag. */
    static final byte[] SUBFORMAT_GUID_TAIL = {
        0x00, 0x00, 0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00, (byte) 0xAA, 0x00, 0x38, (byte) 0x9B, 0x71};
    /** Sizes at or above this are what streaming writers leave in an unpatched header. */
    static final long PLACEHOLDER_MIN = 0x7FFFFFFFL;
    private static final String CONVERT_HINT = "; convert it with: ffmpeg -i IN -ac 1 -ar 16000 -c:a pcm_s16le OUT.wav";

    private WavDecoder() {
    }

    /** Decodes a complete WAV file held in memory. */
    public static DecodedAudio decode(byte[] wav) {
        return decode(MemorySegment.ofArray(wav));
    }

    /**
     * Decodes a WAV file. The file is memory-mapped, so files larger than 2 GiB work as long as the
     * mono result fits in a Java array. Errors name the file.
     */
    public static DecodedAudio decode(Path file) {
        if (Files.isDirectory(file)) throw new QwenAsrException("cannot read audio file " + file + ": is a directory");
        try (Arena arena = Arena.ofConfined();
             FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment seg = ch.size() == 0 ? MemorySegment.ofArray(new byte[0])
                    : ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            return decode(seg);
        } catch (QwenAsrException e) {
            throw new QwenAsrException(file + ": " + e.getMessage(), e);
        } catch (IOException | UnsupportedOperationException e) {
            throw new QwenAsrException("cannot read audio file " + file + ": " + describe(e), e);
        }
    }

    /** Short human reason for an I/O failure (the JDK's messages for these are just the path). */
    static String describe(Exception e) {
        if (e instanceof NoSuchFileException) return "no such file";
        if (e instanceof AccessDeniedException) return "permission denied";
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }

    static DecodedAudio decode(MemorySegment seg) {
        Layout layout = layout(seg);
        return decodeSamples(seg, layout);
    }

    /**
     * Where the samples of a WAV file are and how they are encoded: the chunk walk of the class
     * comment. {@code seg} must hold the whole file (it is usually a mapping, of which only the chunk
     * headers are touched).
     */
    static Layout layout(MemorySegment seg) {
        long size = seg.byteSize();
        if (size < 12) throw new QwenAsrException("not a WAV file: only " + size + " bytes");
        String magic = fourCC(seg, 0);
        boolean rf64 = magic.equals("RF64");
        if (magic.equals("RIFX")) {
            throw new UnsupportedWavException("big-endian WAV (RIFX) is not supported" + CONVERT_HINT);
        }
        if (!magic.equals("RIFF") && !rf64) throw new QwenAsrException("not a WAV file (no RIFF header)");
        String type = fourCC(seg, 8);
        if (!type.equals("WAVE")) {
            throw new QwenAsrException("not a WAV file (RIFF type is '" + type + "', expected 'WAVE')");
        }

        Format fmt = null;
        long dataOffset = -1;
        long dataLength = -1;
        long ds64DataSize = -1;
        long pos = 12;
        while (pos + 8 <= size) {
            String id = fourCC(seg, pos);
            long declared = Integer.toUnsignedLong(seg.get(I32, pos + 4));
            long body = pos + 8;
            long available = size - body;
            if (id.equals("data")) {
                long length = declared;
                if (rf64 && declared == 0xFFFFFFFFL && ds64DataSize >= 0) length = ds64DataSize;
                if (length > available) {
                    if (declared < PLACEHOLDER_MIN) {
                        throw new QwenAsrException("truncated WAV file: data chunk declares " + length
                                + " bytes, only " + available + " present");
                    }
                    length = available;
                } else if (declared == 0 && available > 0 && !looksLikeChunkHeader(seg, body)) {
                    // Size never patched by a streaming writer: the audio runs to the end of the file.
                    length = available;
                }
                if (dataOffset < 0) {
                    dataOffset = body;
                    dataLength = length;
                }
                pos = body + length + (length & 1);
                continue;
            }
            if (declared > available) {
                if (dataOffset >= 0 && fmt != null) break; // cut-off trailing metadata; the audio is complete
                throw new QwenAsrException("truncated WAV file: '" + id + "' chunk declares " + declared
                        + " bytes, only " + available + " present");
            }
            if (id.equals("fmt ") && fmt == null) fmt = parseFormat(seg, body, declared);
            if (id.equals("ds64") && rf64 && declared >= 16) ds64DataSize = seg.get(I64, body + 8);
            pos = body + declared + (declared & 1);
        }
        if (fmt == null) throw new QwenAsrException("invalid WAV file: no 'fmt ' chunk");
        if (dataOffset < 0) throw new QwenAsrException("invalid WAV file: no 'data' chunk");
        long frames = dataLength / fmt.frameBytes(); // a trailing partial frame is ignored
        return new Layout(fmt, dataOffset, frames);
    }

    /** The samples' encoding, the byte offset of the first frame and the number of whole frames. */
    record Layout(Format format, long dataOffset, long frames) {}

    /** The fields of a 'fmt ' chunk that decoding needs, after resolving WAVE_FORMAT_EXTENSIBLE. */
    record Format(int tag, int channels, int sampleRate, int bits, String name) {
        /** Headerless input: signed 16-bit little-endian mono at 16 kHz (docs/modes.md 2.3). */
        static final Format RAW_S16LE = new Format(TAG_PCM, 1, Resampler.TARGET_RATE, 16, "pcm_s16le");

        int frameBytes() {
            return channels * (bits / 8);
        }
    }

    private static Format parseFormat(MemorySegment seg, long body, long length) {
        if (length < 16) {
            throw new QwenAsrException("invalid WAV file: 'fmt ' chunk is only " + length + " bytes (need 16)");
        }
        int tag = Short.toUnsignedInt(seg.get(I16, body));
        int channels = Short.toUnsignedInt(seg.get(I16, body + 2));
        long rate = Integer.toUnsignedLong(seg.get(I32, body + 4));
        int bits = Short.toUnsignedInt(seg.get(I16, body + 14));
        if (tag == TAG_EXTENSIBLE) {
            if (length < 40) {
                throw new QwenAsrException("invalid WAV file: WAVE_FORMAT_EXTENSIBLE 'fmt ' chunk is only "
                        + length + " bytes (need 40)");
            }
            for (int i = 0; i < SUBFORMAT_GUID_TAIL.length; i++) {
                if (seg.get(ValueLayout.JAVA_BYTE, body + 26 + i) != SUBFORMAT_GUID_TAIL[i]) {
                    throw new UnsupportedWavException("unsupported WAVE_FORMAT_EXTENSIBLE sub-format (unknown GUID)"
                            + CONVERT_HINT);
                }
            }
            tag = Short.toUnsignedInt(seg.get(I16, body + 24));
        }
        if (channels == 0) throw new QwenAsrException("invalid WAV file: 0 channels");
        if (rate == 0) throw new QwenAsrException("invalid WAV file: sample rate 0");
        if (rate > Integer.MAX_VALUE) throw new QwenAsrException("invalid WAV file: sample rate " + rate);
        AudioLoader.checkLowestRate(rate, "");
        String name = switch (tag) {
            case TAG_PCM -> switch (bits) {
                case 8 -> "pcm_u8";
                case 16, 24, 32 -> "pcm_s" + bits + "le";
                default -> throw new UnsupportedWavException("unsupported WAV bit depth: " + bits
                        + "-bit integer PCM (supported: 8, 16, 24, 32)" + CONVERT_HINT);
            };
            case TAG_FLOAT -> switch (bits) {
                case 32, 64 -> "pcm_f" + bits + "le";
                default -> throw new UnsupportedWavException("unsupported WAV bit depth: " + bits
                        + "-bit float (supported: 32, 64)" + CONVERT_HINT);
            };
            default -> throw new UnsupportedWavException("unsupported WAV encoding: " + encodingName(tag)
                    + String.format(Locale.ROOT, " (format tag 0x%04X)", tag)
                    + "; only integer PCM and IEEE float are supported"
                    + CONVERT_HINT);
        };
        return new Format(tag, channels, (int) rate, bits, name);
    }

    private static String encodingName(int tag) {
        return switch (tag) {
            case 0x0002 -> "Microsoft ADPCM";
            case 0x0006 -> "A-law";
            case 0x0007 -> "mu-law";
            case 0x0011 -> "IMA ADPCM";
            case 0x0031 -> "GSM 6.10";
            case 0x0050 -> "MPEG";
            case 0x0055 -> "MP3";
            case 0x00FF, 0x1610 -> "AAC";
            case 0x0161, 0x0162, 0x0163 -> "WMA";
            default -> "compressed or unknown format";
        };
    }

    private static DecodedAudio decodeSamples(MemorySegment seg, Layout layout) {
        Format f = layout.format();
        if (layout.frames() > Integer.MAX_VALUE - 8) {
            throw new QwenAsrException("WAV file too long: " + layout.frames() + " sample frames (limit "
                    + (Integer.MAX_VALUE - 8) + ")");
        }
        float[] out = new float[(int) layout.frames()];
        decodeFrames(seg, layout.dataOffset(), f, out, 0, out.length);
        return new DecodedAudio(out, f.sampleRate(), f.channels(), f.bits(), f.name());
    }

    /**
     * Decodes {@code count} frames starting at byte {@code offset} of {@code seg} into
     * {@code out[outPos…]}, averaging the channels.
     */
    static void decodeFrames(MemorySegment seg, long offset, Format f, float[] out, int outPos, int count) {
        int channels = f.channels();
        int end = outPos + count;
        long p = offset;
        // One loop per encoding keeps the per-sample work free of branches.
        if (f.tag() == TAG_PCM) {
            switch (f.bits()) {
                case 8 -> {
                    double scale = 1.0 / (128.0 * channels);
                    for (int i = outPos; i < end; i++) {
                        long sum = 0;
                        for (int c = 0; c < channels; c++) {
                            sum += Byte.toUnsignedInt(seg.get(ValueLayout.JAVA_BYTE, p++)) - 128;
                        }
                        out[i] = (float) (sum * scale);
                    }
                }
                case 16 -> {
                    if (channels == 1) {
                        for (int i = outPos; i < end; i++, p += 2) out[i] = seg.get(I16, p) / 32768f;
                    } else {
                        double scale = 1.0 / (32768.0 * channels);
                        for (int i = outPos; i < end; i++) {
                            long sum = 0;
                            for (int c = 0; c < channels; c++, p += 2) sum += seg.get(I16, p);
                            out[i] = (float) (sum * scale);
                        }
                    }
                }
                case 24 -> {
                    double scale = 1.0 / (8388608.0 * channels);
                    for (int i = outPos; i < end; i++) {
                        long sum = 0;
                        for (int c = 0; c < channels; c++, p += 3) {
                            int v = Byte.toUnsignedInt(seg.get(ValueLayout.JAVA_BYTE, p))
                                    | Byte.toUnsignedInt(seg.get(ValueLayout.JAVA_BYTE, p + 1)) << 8
                                    | seg.get(ValueLayout.JAVA_BYTE, p + 2) << 16; // sign comes from the top byte
                            sum += v;
                        }
                        out[i] = (float) (sum * scale);
                    }
                }
                default -> { // 32
                    double scale = 1.0 / (2147483648.0 * channels);
                    for (int i = outPos; i < end; i++) {
                        long sum = 0;
                        for (int c = 0; c < channels; c++, p += 4) sum += seg.get(I32, p);
                        out[i] = (float) (sum * scale);
                    }
                }
            }
        } else if (f.bits() == 32) {
            if (channels == 1) {
                for (int i = outPos; i < end; i++, p += 4) out[i] = seg.get(F32, p);
            } else {
                for (int i = outPos; i < end; i++) {
                    double sum = 0;
                    for (int c = 0; c < channels; c++, p += 4) sum += seg.get(F32, p);
                    out[i] = (float) (sum / channels);
                }
            }
        } else {
            for (int i = outPos; i < end; i++) {
                double sum = 0;
                for (int c = 0; c < channels; c++, p += 8) sum += seg.get(F64, p);
                out[i] = (float) (sum / channels);
            }
        }
    }

    /**
     * Whether 8 bytes at {@code pos} read as a plausible chunk header (four printable ASCII characters
     * and a size that fits the file). Used to tell an empty data chunk from an unpatched size of 0.
     */
    private static boolean looksLikeChunkHeader(MemorySegment seg, long pos) {
        if (pos + 8 > seg.byteSize()) return false;
        for (int i = 0; i < 4; i++) {
            int b = seg.get(ValueLayout.JAVA_BYTE, pos + i);
            if (b < 0x20 || b > 0x7E) return false;
        }
        return Integer.toUnsignedLong(seg.get(I32, pos + 4)) <= seg.byteSize() - pos - 8;
    }

    /** Four bytes as text, with non-printable bytes shown as '?'. */
    private static String fourCC(MemorySegment seg, long pos) {
        char[] c = new char[4];
        for (int i = 0; i < 4; i++) {
            int b = Byte.toUnsignedInt(seg.get(ValueLayout.JAVA_BYTE, pos + i));
            c[i] = b >= 0x20 && b <= 0x7E ? (char) b : '?';
        }
        return new String(c);
    }
}
