package io.github.qwenasr.tokenizer;

/**
 * Open-addressing hash table from a pair of symbol ids (packed into one long) to its merge rank.
 * A boxed {@code HashMap<Long,Integer>} would cost several objects per merge for 151k merges.
 * Key and rank share one long[] (key at 2*slot, rank at 2*slot+1) so a probe touches one cache line.
 */
final class PairRanks {
    private static final long EMPTY = -1L;   // ids are non-negative, so no real key is -1

    private final long[] slots;
    private final int mask;
    private int size;

    PairRanks(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, expected * 2) - 1) << 1;   // load ≤ 0.5
        slots = new long[2 * cap];
        for (int i = 0; i < slots.length; i += 2) slots[i] = EMPTY;
        mask = cap - 1;
    }

    static long pack(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 40) & mask;
    }

    /** Stores the rank unless the pair already has one (the first occurrence in merges.txt wins). */
    boolean putIfAbsent(int left, int right, int rank) {
        if ((size + 1) * 2 > mask + 1) throw new IllegalStateException("PairRanks capacity exceeded");
        long key = pack(left, right);
        int i = slot(key);
        while (slots[2 * i] != EMPTY) {
            if (slots[2 * i] == key) return false;
            i = (i + 1) & mask;
        }
        slots[2 * i] = key;
        slots[2 * i + 1] = rank;
        size++;
        return true;
    }

    /** The merge rank of (left, right), or -1 when the pair never merges. */
    int rank(int left, int right) {
        long key = pack(left, right);
        int i = slot(key);
        while (true) {
            long k = slots[2 * i];
            if (k == key) return (int) slots[2 * i + 1];
            if (k == EMPTY) return -1;
            i = (i + 1) & mask;
        }
    }

    int size() {
        return size;
    }
}
