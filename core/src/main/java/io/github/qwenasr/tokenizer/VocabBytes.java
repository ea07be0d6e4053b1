package io.github.qwenasr.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The vocabulary's token strings by id (docs/model.md 6.1), kept as UTF-8 slices of the one byte
 * arena they were read into: no String per token is built at load time, only when one is asked
 * for. Turns a token back into the bytes it stands for through the byte alphabet (docs/model.md 6.2, 6.5).
 * Immutable, thread-safe.
 */
final class VocabBytes {
    private final byte[] arena;
    private final int[] offset;   // id -> start in arena, -1 when the id has no token
    private final int[] length;

    VocabBytes(byte[] arena, int[] offset, int[] length) {
        this.arena = arena;
        this.offset = offset;
        this.length = length;
    }

    /** Ids below this may have a token. */
    int size() {
        return offset.length;
    }

    /** The token string of {@code id} in the byte alphabet, or null when it has none. */
    String string(int id) {
        if (id < 0 || id >= offset.length || offset[id] < 0) return null;
        return new String(arena, offset[id], length[id], StandardCharsets.UTF_8);
    }

    /** Whether the token of {@code id} is exactly {@code s[aFrom, aTo) + s[bFrom, bTo)}. */
    boolean isConcatenation(int id, byte[] s, int aFrom, int aTo, int bFrom, int bTo) {
        if (id < 0 || id >= offset.length || offset[id] < 0) return false;
        int aLen = aTo - aFrom;
        if (length[id] != aLen + (bTo - bFrom)) return false;
        int off = offset[id];
        for (int j = 0; j < aLen; j++) if (arena[off + j] != s[aFrom + j]) return false;
        off += aLen;
        for (int j = bFrom; j < bTo; j++) if (arena[off++] != s[j]) return false;
        return true;
    }

    /**
     * Writes the bytes token {@code id} stands for (nothing when it has no token). A character
     * outside the byte alphabet (never in Qwen's vocabulary) is kept as its own UTF-8.
     */
    void writeBytes(int id, ByteArrayOutputStream out) {
        if (id < 0 || id >= offset.length || offset[id] < 0) return;
        int end = offset[id] + length[id];
        for (int i = offset[id]; i < end; ) {
            int n = Utf8.charLength(arena[i]);
            int cp = Utf8.codePointAt(arena, i);
            int b = cp < ByteLevel.ALPHABET_LIMIT ? ByteLevel.byteOf((char) cp) : -1;
            if (b >= 0) out.write(b);
            else out.write(arena, i, n);
            i += n;
        }
    }
}
