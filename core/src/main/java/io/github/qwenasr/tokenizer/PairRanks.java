package io.github.qwenasr.tokenizer;

/**
 * Open-addressing hash table from a pair of symbol ids (packed into one long) to its merge rank.
 * A boxed {@code HashMap<Long,Integer>} would cost several objects per merge for 151k merges.
 * Key and rank share one long[] (key at 2*slot, rank at 2*slot+1) so a probe touches one cache line.
 * Keys are stored complemented: real keys are non-negative, so a stored key is never 0 and a
 * fresh (zeroed) array is already all free slots.
 */
final class PairRanks {
    private static final long EMPTY = 0L;   // the complement of a non-negative key is never 0

    private final long[] slots;
    private final int mask;
    private int size;

    PairRanks(int expected) {
        // load ≤ 0.75: a smaller table misses cache less while it is filled and probed
        int cap = Integer.highestOneBit(Math.max(16, expected + expected / 3 + 1) - 1) << 1;
        slots = new long[2 * cap];
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
        if (4L * (size + 1) > 3L * (mask + 1)) throw new IllegalStateException("PairRanks capacity exceeded");
        long key = ~pack(left, right);
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
        long key = ~pack(left, right);
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
