package io.github.qwenasr.tokenizer;

import java.util.function.ObjIntConsumer;

/**
 * Token string → id table that can be queried with a slice of a larger text (or with two slices
 * taken as one string) without building a String: reading 151k merges then costs no allocation
 * per line. Open addressing with linear probing; filled once, then read-only. Each slot's hash
 * and id sit side by side in one int array, so a probe that misses touches one cache line.
 */
final class TokenTable {
    private static final int FREE = -1;   // ids are non-negative

    private String[] keys;
    private int[] hashAndId;              // [2*slot] = hash, [2*slot+1] = id or FREE
    private int mask;
    private int size;

    TokenTable(int expected) {
        allocate(Integer.highestOneBit(Math.max(16, expected * 2) - 1) << 1);   // load ≤ 0.5
    }

    private void allocate(int capacity) {
        keys = new String[capacity];
        hashAndId = new int[2 * capacity];
        for (int i = 1; i < hashAndId.length; i += 2) hashAndId[i] = FREE;
        mask = capacity - 1;
        size = 0;
    }

    int size() {
        return size;
    }

    /** Sets the id of {@code token} (a repeated key keeps the last id, as a JSON object does). */
    void put(String token, int id) {
        if (id < 0) throw new IllegalArgumentException("negative id " + id);
        if ((size + 1) * 2 > keys.length) grow();
        int h = finish(polynomial(token, 0, token.length(), 0));
        int i = h & mask;
        while (hashAndId[2 * i + 1] != FREE) {
            if (hashAndId[2 * i] == h && keys[i].equals(token)) {
                hashAndId[2 * i + 1] = id;
                return;
            }
            i = (i + 1) & mask;
        }
        keys[i] = token;
        hashAndId[2 * i] = h;
        hashAndId[2 * i + 1] = id;
        size++;
    }

    /** Id of the token {@code s[from, to)}, or -1. */
    int get(CharSequence s, int from, int to) {
        return get(s, from, to, to, to);
    }

    /** Id of the token {@code s[aFrom, aTo) + s[bFrom, bTo)}, or -1. */
    int get(CharSequence s, int aFrom, int aTo, int bFrom, int bTo) {
        int h = finish(polynomial(s, bFrom, bTo, polynomial(s, aFrom, aTo, 0)));
        int aLen = aTo - aFrom;
        int len = aLen + (bTo - bFrom);
        int i = h & mask;
        while (true) {
            int id = hashAndId[2 * i + 1];
            if (id == FREE) return -1;
            if (hashAndId[2 * i] == h) {
                String k = keys[i];
                if (k.length() == len && regionEquals(k, 0, s, aFrom, aLen) && regionEquals(k, aLen, s, bFrom, bTo - bFrom)) {
                    return id;
                }
            }
            i = (i + 1) & mask;
        }
    }

    private static boolean regionEquals(String k, int kFrom, CharSequence s, int sFrom, int len) {
        for (int j = 0; j < len; j++) if (k.charAt(kFrom + j) != s.charAt(sFrom + j)) return false;
        return true;
    }

    /** Polynomial hash continued from {@code h}: chained over slices it equals the hash of their concatenation. */
    private static int polynomial(CharSequence s, int from, int to, int h) {
        for (int j = from; j < to; j++) h = 31 * h + s.charAt(j);
        return h;
    }

    /** Spreads the polynomial hash over the low bits used as the slot index. */
    private static int finish(int h) {
        h *= 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    private void grow() {
        String[] oldKeys = keys;
        int[] old = hashAndId;
        allocate(oldKeys.length * 2);
        for (int i = 0; i < oldKeys.length; i++) if (oldKeys[i] != null) put(oldKeys[i], old[2 * i + 1]);
    }

    /** Calls {@code sink} for every (token, id). */
    void forEach(ObjIntConsumer<String> sink) {
        for (int i = 0; i < keys.length; i++) if (keys[i] != null) sink.accept(keys[i], hashAndId[2 * i + 1]);
    }
}
