package io.github.qwenasr.audio;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Test helper: writes small RIFF/WAVE files byte by byte, including malformed ones. */
final class WavBuilder {
    static final int PCM = 1;
    static final int FLOAT = 3;
    static final int EXTENSIBLE = 0xFFFE;

    private WavBuilder() {
    }

    /** "RIFF" + size + "WAVE" + the given chunks (each already padded). */
    static byte[] riff(byte[]... chunks) {
        return container("RIFF", chunks);
    }

    static byte[] container(String magic, byte[]... chunks) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("WAVE".getBytes(StandardCharsets.US_ASCII));
        for (byte[] c : chunks) body.writeBytes(c);
        ByteBuffer b = le(8 + body.size());
        b.put(magic.getBytes(StandardCharsets.US_ASCII)).putInt(body.size()).put(body.toByteArray());
        return b.array();
    }

    /** A chunk whose size field matches its body, padded to an even length. */
    static byte[] chunk(String id, byte[] body) {
        return chunkDeclaring(id, body.length, body, true);
    }

    /** A chunk with an arbitrary declared size; {@code pad} adds the even-length pad byte. */
    static byte[] chunkDeclaring(String id, long declared, byte[] body, boolean pad) {
        int padding = pad ? body.length & 1 : 0;
        ByteBuffer b = le(8 + body.length + padding);
        b.put(id.getBytes(StandardCharsets.ISO_8859_1)).putInt((int) declared).put(body);
        return b.array();
    }

    /** A 16-byte 'fmt ' chunk. */
    static byte[] fmt(int tag, int channels, int rate, int bits) {
        return chunk("fmt ", fmtBody(tag, channels, rate, bits, 16));
    }

    /** A 40-byte WAVE_FORMAT_EXTENSIBLE 'fmt ' chunk whose sub-format GUID starts with {@code subTag}. */
    static byte[] fmtExtensible(int subTag, int channels, int rate, int containerBits, int validBits) {
        byte[] body = fmtBody(EXTENSIBLE, channels, rate, containerBits, 40);
        ByteBuffer b = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(16, (short) 22).putShort(18, (short) validBits).putInt(20, channels == 2 ? 3 : 4);
        b.putShort(24, (short) subTag);
        // KSDATAFORMAT_SUBTYPE GUID tail: -0000-0010-8000-00AA00389B71
        byte[] tail = {0, 0, 0, 0, 0x10, 0, (byte) 0x80, 0, 0, (byte) 0xAA, 0, 0x38, (byte) 0x9B, 0x71};
        System.arraycopy(tail, 0, body, 26, tail.length);
        return chunk("fmt ", body);
    }

    private static byte[] fmtBody(int tag, int channels, int rate, int bits, int size) {
        int block = channels * bits / 8;
        ByteBuffer b = le(size);
        b.putShort((short) tag).putShort((short) channels).putInt(rate).putInt(rate * block)
                .putShort((short) block).putShort((short) bits);
        return b.array();
    }

    /** A complete PCM/float file: fmt + data. */
    static byte[] wav(int tag, int channels, int rate, int bits, byte[] data) {
        return riff(fmt(tag, channels, rate, bits), chunk("data", data));
    }

    static byte[] pcm16(int rate, int channels, short... interleaved) {
        ByteBuffer b = le(2 * interleaved.length);
        for (short s : interleaved) b.putShort(s);
        return wav(PCM, channels, rate, 16, b.array());
    }

    static byte[] s16Bytes(short... samples) {
        ByteBuffer b = le(2 * samples.length);
        for (short s : samples) b.putShort(s);
        return b.array();
    }

    static byte[] s24Bytes(int... samples) {
        byte[] out = new byte[3 * samples.length];
        for (int i = 0; i < samples.length; i++) {
            out[3 * i] = (byte) samples[i];
            out[3 * i + 1] = (byte) (samples[i] >> 8);
            out[3 * i + 2] = (byte) (samples[i] >> 16);
        }
        return out;
    }

    static byte[] s32Bytes(int... samples) {
        ByteBuffer b = le(4 * samples.length);
        for (int s : samples) b.putInt(s);
        return b.array();
    }

    static byte[] f32Bytes(float... samples) {
        ByteBuffer b = le(4 * samples.length);
        for (float s : samples) b.putFloat(s);
        return b.array();
    }

    static byte[] f64Bytes(double... samples) {
        ByteBuffer b = le(8 * samples.length);
        for (double s : samples) b.putDouble(s);
        return b.array();
    }

    /** 16-bit mono samples of a sine wave. */
    static short[] sine16(int n, double hz, int rate, double amplitude) {
        short[] s = new short[n];
        for (int i = 0; i < n; i++) s[i] = (short) Math.round(amplitude * 32767 * Math.sin(2 * Math.PI * hz * i / rate));
        return s;
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
