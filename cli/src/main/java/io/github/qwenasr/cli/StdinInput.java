package io.github.qwenasr.cli;

import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.audio.InputFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.Locale;

/**
 * Checks the first bytes on stdin against what the command line says they are, before anything
 * is decoded: audio without {@code --raw} (WAV, or any format ffmpeg decodes), raw s16le 16 kHz mono
 * PCM with it. Bytes that are neither (a PNG, text, random data) are refused
 * with what they look like ({@link InputFormat}, the same sniffing as for {@code -i} files) instead of
 * being "transcribed" as noise; bytes with no known signature are not handed to ffmpeg either, since
 * they are most often raw PCM piped without {@code --raw}.
 */
final class StdinInput {
    private StdinInput() {
    }

    /** Stdin and what its first bytes look like. */
    record Head(InputStream stream, InputFormat format) {}

    /**
     * Reads up to {@value InputFormat#SNIFF_BYTES} bytes (waiting for them, as a decoder would) and
     * returns a stream that still starts with them, and what they look like. Without {@code raw}, WAV
     * and any other recognised audio format (for ffmpeg, docs/modes.md 2.6) are accepted.
     *
     * @throws QwenAsrException one line: no data, or a format that does not match {@code raw}
     */
    static Head sniff(InputStream stdin, boolean raw) {
        PushbackInputStream in = new PushbackInputStream(stdin, InputFormat.SNIFF_BYTES);
        byte[] head = peek(in);
        InputFormat kind = InputFormat.sniff(head, head.length);
        if (raw) return new Head(checkRaw(in, kind), kind);
        if (kind.isAudio()) return new Head(in, kind);
        throw new QwenAsrException(notAudioMessage(kind, head));
    }

    /** The first bytes (waiting for them), pushed back so the stream still starts with them. */
    private static byte[] peek(PushbackInputStream in) {
        byte[] head;
        try {
            head = in.readNBytes(InputFormat.SNIFF_BYTES);
            in.unread(head);
        } catch (IOException e) {
            throw new QwenAsrException("cannot read audio from stdin: " + e.getMessage(), e);
        }
        if (head.length < 4) throw new QwenAsrException("no audio data on stdin");
        return head;
    }

    private static InputStream checkRaw(InputStream in, InputFormat kind) {
        if (kind.isWav() || kind == InputFormat.WAV_BIG_ENDIAN) {
            throw new QwenAsrException("--raw was given, but stdin starts with a WAV header: leave out --raw");
        }
        // Only signatures that PCM samples practically never start with; raw audio is otherwise taken as given.
        if (kind.certain()) throw new QwenAsrException("--raw was given, but stdin looks like " + kind.label()
                + ", not raw PCM" + (kind.isAudio() ? "; leave out --raw" : ""));
        return in;
    }

    private static String notAudioMessage(InputFormat kind, byte[] head) {
        return switch (kind) {
            case UNKNOWN -> "stdin is not WAV audio (no RIFF header; it starts with the bytes " + hex(head, 8)
                    + "); for raw s16le 16 kHz mono PCM add --raw";
            case TEXT -> "stdin is not WAV audio (it looks like text)";
            default -> "stdin is not audio (it looks like " + kind.label() + ")";
        };
    }

    private static String hex(byte[] b, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(n, b.length); i++) {
            if (i > 0) s.append(' ');
            s.append(String.format(Locale.ROOT, "%02x", b[i] & 0xFF));
        }
        return s.toString();
    }
}
