package io.github.qwenasr.tokenizer;

import io.github.qwenasr.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Token → id table over UTF-8 bytes (docs/model.md 6.1). Keys are stored back to back in one byte
 * arena and looked up with a slice of a larger byte array (or with two slices taken as one key)
 * without building a String: reading 151k merges then costs no allocation per line.
 *
 * <p>Open addressing with linear probing; filled once, then read-only. Each slot keeps hash,
 * id + 1 (0 = free, so a new table needs no fill), arena offset and length side by side in one
 * int array: a look-up touches the slot's cache line and the key's bytes and nothing else.
 * Ids are also kept per entry in insertion order, so that turning the table into the
 * id-indexed {@link VocabBytes} reads memory sequentially.
 */
final class TokenTable {
    private static final int STRIDE = 4;  // ints per slot: hash, id + 1, offset, length

    private int[] slots;
    private int mask;
    private int size;
    private byte[] arena;
    private int arenaUsed;
    private int[] entryId;     // per distinct key, in insertion order
    private int[] entryOffset; // increasing, since keys are appended to the arena
    private int[] entryLength;

    /** A table sized for about {@code expectedKeys} keys of {@code expectedBytes} bytes in all (both grow if needed). */
    TokenTable(int expectedKeys, int expectedBytes) {
        allocate(Integer.highestOneBit(Math.max(16, expectedKeys + expectedKeys / 3) - 1) << 1);
        arena = new byte[Math.max(64, expectedBytes)];
        entryId = new int[Math.max(16, expectedKeys)];
        entryOffset = new int[entryId.length];
        entryLength = new int[entryId.length];
    }

    private void allocate(int capacity) {
        slots = new int[STRIDE * capacity];
        mask = capacity - 1;
    }

    /** Sets the id of the key {@code src[from, to)} (a repeated key keeps the last id, as a JSON object does). */
    void put(byte[] src, int from, int to, int id) {
        if (id < 0 || id == Integer.MAX_VALUE) throw new IllegalArgumentException("bad id " + id);
        if (4L * (size + 1) > 3L * (mask + 1)) grow();   // load ≤ 0.75: a smaller table misses cache less
        int len = to - from;
        int h = finish(hash(src, from, to, 0));
        int i = h & mask;
        while (true) {
            int s = STRIDE * i;
            if (slots[s + 1] == 0) break;
            if (slots[s] == h && slots[s + 3] == len && same(arena, slots[s + 2], src, from, len)) {
                slots[s + 1] = id + 1;
                entryId[Arrays.binarySearch(entryOffset, 0, size, slots[s + 2])] = id;
                return;
            }
            i = (i + 1) & mask;
        }
        if (arenaUsed + len > arena.length) arena = Arrays.copyOf(arena, Math.max(arena.length * 2, arenaUsed + len));
        System.arraycopy(src, from, arena, arenaUsed, len);
        int s = STRIDE * i;
        slots[s] = h;
        slots[s + 1] = id + 1;
        slots[s + 2] = arenaUsed;
        slots[s + 3] = len;
        if (size == entryId.length) {
            entryId = Arrays.copyOf(entryId, size * 2);
            entryOffset = Arrays.copyOf(entryOffset, size * 2);
            entryLength = Arrays.copyOf(entryLength, size * 2);
        }
        entryId[size] = id;
        entryOffset[size] = arenaUsed;
        entryLength[size] = len;
        size++;
        arenaUsed += len;
    }

    /** Id of the key {@code s[from, to)}, or -1. */
    int get(byte[] s, int from, int to) {
        return get(s, from, to, hash(s, from, to, 0));
    }

    /** Id of the key {@code s[from, to)} whose {@link #hash} is {@code rawHash}, or -1. */
    int get(byte[] s, int from, int to, int rawHash) {
        return find(finish(rawHash), s, from, to - from, s, to, 0);
    }

    /**
     * Id of the key {@code s[aFrom, aTo) + s[bFrom, bTo)}, or -1, given {@code aHash} and
     * {@code bHash}, the {@link #hash} of each slice (callers that also look the halves up
     * hash every byte once).
     */
    int getPair(byte[] s, int aFrom, int aTo, int aHash, int bFrom, int bTo, int bHash) {
        int bLen = bTo - bFrom;
        int h = aHash * pow31(bLen) + bHash;   // hash of the concatenation
        return find(finish(h), s, aFrom, aTo - aFrom, s, bFrom, bLen);
    }

    /** Id of the key {@code sa[aFrom, +aLen) + sb[bFrom, +bLen)} whose finished hash is {@code h}, or -1. */
    private int find(int h, byte[] sa, int aFrom, int aLen, byte[] sb, int bFrom, int bLen) {
        int len = aLen + bLen;
        int i = h & mask;
        while (true) {
            int slot = STRIDE * i;
            int idPlus1 = slots[slot + 1];
            if (idPlus1 == 0) return -1;
            if (slots[slot] == h && slots[slot + 3] == len) {
                int off = slots[slot + 2];
                if (same(arena, off, sa, aFrom, aLen) && same(arena, off + aLen, sb, bFrom, bLen)) return idPlus1 - 1;
            }
            i = (i + 1) & mask;
        }
    }

    /** Byte-by-byte compare: keys average a few bytes, too short for a vectorised mismatch to pay. */
    private static boolean same(byte[] a, int aFrom, byte[] b, int bFrom, int len) {
        for (int j = 0; j < len; j++) if (a[aFrom + j] != b[bFrom + j]) return false;
        return true;
    }

    /** Polynomial hash of {@code s[from, to)} continued from {@code h}. */
    static int hash(byte[] s, int from, int to, int h) {
        for (int j = from; j < to; j++) h = 31 * h + (s[j] & 0xFF);
        return h;
    }

    /** 31^n in int arithmetic, the factor that chains two polynomial hashes. */
    private static int pow31(int n) {
        int r = 1;
        int b = 31;
        while (n > 0) {
            if ((n & 1) != 0) r *= b;
            b *= b;
            n >>>= 1;
        }
        return r;
    }

    /** Spreads the polynomial hash over the low bits used as the slot index. */
    private static int finish(int h) {
        h *= 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    private void grow() {
        int[] old = slots;
        allocate((mask + 1) * 2);
        for (int s = 0; s < old.length; s += STRIDE) {
            if (old[s + 1] == 0) continue;
            int i = old[s] & mask;
            while (slots[STRIDE * i + 1] != 0) i = (i + 1) & mask;
            System.arraycopy(old, s, slots, STRIDE * i, STRIDE);
        }
    }

    /** Largest id in the table, or -1 when it is empty. */
    int maxId() {
        int max = -1;
        for (int k = 0; k < size; k++) max = Math.max(max, entryId[k]);
        return max;
    }

    /**
     * Fails unless the ids are exactly 0 … size−1, each used once (a permutation, as in every
     * published vocabulary): a repeated id would make two tokens decode alike and leave another
     * without a token, and a gap is an id the decoder can produce but cannot print.
     *
     * @throws IllegalArgumentException naming a repeated or missing id
     */
    void checkIdsArePermutation() {
        int[] owner = new int[size];
        Arrays.fill(owner, -1);
        for (int k = 0; k < size; k++) {
            int id = entryId[k];
            if (id >= size) {
                throw new IllegalArgumentException("ids must run from 0 to " + (size - 1) + " without gaps, but "
                        + size + " tokens use id " + id + " (" + missingId() + ")");
            }
            if (owner[id] >= 0) {
                throw new IllegalArgumentException("id " + id + " is used by two tokens (" + quoted(owner[id]) + " and "
                        + quoted(k) + ")");
            }
            owner[id] = k;
        }
    }

    /** The lowest id no entry uses (a description for the gap message). */
    private String missingId() {
        boolean[] used = new boolean[size];
        for (int k = 0; k < size; k++) if (entryId[k] < size) used[entryId[k]] = true;
        for (int id = 0; id < size; id++) if (!used[id]) return "id " + id + " is missing";
        return "no id below " + size + " is missing";
    }

    /** Entry k's key as a JSON string literal for messages. */
    private String quoted(int k) {
        return Json.quote(new String(arena, entryOffset[k], entryLength[k], StandardCharsets.UTF_8));
    }

    /**
     * The id-indexed view of the table, sharing its arena; when two keys have the same id, the
     * one inserted last is kept.
     */
    VocabBytes toVocabBytes() {
        int n = maxId() + 1;
        int[] offset = new int[n];
        int[] length = new int[n];
        Arrays.fill(offset, -1);
        for (int k = 0; k < size; k++) {
            offset[entryId[k]] = entryOffset[k];
            length[entryId[k]] = entryLength[k];
        }
        return new VocabBytes(arena, offset, length);
    }
}
