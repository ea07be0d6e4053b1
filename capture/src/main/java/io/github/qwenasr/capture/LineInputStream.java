package io.github.qwenasr.capture;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.TargetDataLine;

/**
 * A capture line as a WAV byte stream of unknown length, so the engine's own incremental reader
 * ({@code audio.IncrementalPcmReader}) decodes it: the same scaling, channel averaging and checks as a
 * WAV file or live stdin, and no second PCM decoder. A header for the line's format comes first (data
 * size 0xFFFFFFFF: "until the end of the stream"), then the line's bytes, turned into what WAV holds:
 * little-endian samples, 8-bit samples unsigned. Each read takes at most {@code blockBytes} from the
 * line, which blocks until they have been captured. The stream ends when {@code stopped} says so or
 * the line closes.
 */
final class LineInputStream extends InputStream {
    private final TargetDataLine line;
    private final AudioFormat format;
    private final BooleanSupplier stopped;
    private final int blockBytes;
    private final byte[] header;
    private int headerPos;
    private boolean ended;

    LineInputStream(TargetDataLine line, AudioFormat format, int blockBytes, BooleanSupplier stopped) {
        this.line = line;
        this.format = format;
        this.stopped = stopped;
        int frame = format.getFrameSize();
        this.blockBytes = Math.max(frame, blockBytes / frame * frame);
        this.header = header(format);
    }

    /** A RIFF/WAVE header with a 16-byte fmt chunk and a data chunk of unknown size. */
    static byte[] header(AudioFormat f) {
        boolean floating = f.getEncoding().equals(AudioFormat.Encoding.PCM_FLOAT);
        int channels = f.getChannels();
        int bits = f.getSampleSizeInBits();
        int rate = Math.round(f.getSampleRate());
        int blockAlign = channels * bits / 8;
        ByteBuffer b = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(-1).put("WAVE".getBytes(StandardCharsets.US_ASCII));
        b.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) (floating ? 3 : 1))
                .putShort((short) channels).putInt(rate).putInt(rate * blockAlign).putShort((short) blockAlign)
                .putShort((short) bits);
        b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(-1);
        return b.array();
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) return 0;
        if (headerPos < header.length) {
            int n = Math.min(len, header.length - headerPos);
            System.arraycopy(header, headerPos, b, off, n);
            headerPos += n;
            return n;
        }
        if (ended) return -1;
        int frame = format.getFrameSize();
        int want = Math.min(blockBytes, len / frame * frame);
        if (want == 0) want = frame; // the caller asked for less than a frame: read one into a scratch buffer
        byte[] target = want <= len ? b : new byte[want];
        int at = want <= len ? off : 0;
        while (true) {
            if (stopped.getAsBoolean() || !line.isOpen()) {
                ended = true;
                return -1;
            }
            int n = line.read(target, at, want);
            if (n > 0) {
                toWav(target, at, n);
                if (target != b) {
                    int copied = Math.min(n, len);
                    System.arraycopy(target, 0, b, off, copied);
                    return copied; // only for reads shorter than a frame, which the engine's reader never asks for
                }
                return n;
            }
            // The line returns nothing only when it was stopped, flushed or closed: look again, briefly.
            Thread.onSpinWait();
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ended = true;
                return -1;
            }
        }
    }

    /** Turns captured samples into WAV's: little-endian, 8-bit unsigned. */
    private void toWav(byte[] b, int off, int n) {
        int bytes = format.getSampleSizeInBits() / 8;
        if (bytes == 1) {
            if (format.getEncoding().equals(AudioFormat.Encoding.PCM_SIGNED)) {
                for (int i = off; i < off + n; i++) b[i] ^= (byte) 0x80;
            }
            return;
        }
        if (!format.isBigEndian()) return;
        for (int s = off; s + bytes <= off + n; s += bytes) {
            for (int i = 0, j = bytes - 1; i < j; i++, j--) {
                byte t = b[s + i];
                b[s + i] = b[s + j];
                b[s + j] = t;
            }
        }
    }
}
