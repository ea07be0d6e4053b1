package io.github.qwenasr.tokenizer;

import java.nio.charset.StandardCharsets;

/**
 * Byte-level BPE over symbol ids (docs/model.md 6.3 steps 4–5): a pre-token's UTF-8 bytes start as
 * single-byte symbols, then the adjacent pair with the lowest merge rank is merged (leftmost
 * first among equal ranks) until no adjacent pair has a rank.
 *
 * <p>Symbols are vocabulary ids throughout, so a merge needs no string work: the pair table gives
 * the rank and {@code mergeResult[rank]} the id of the merged symbol. Immutable, thread-safe.
 */
final class BpeModel {
    private final int[] byteToId;
    private final PairRanks ranks;
    private final int[] mergeResult;

    BpeModel(int[] byteToId, PairRanks ranks, int[] mergeResult) {
        this.byteToId = byteToId;
        this.ranks = ranks;
        this.mergeResult = mergeResult;
    }

    /** Rank of merging symbols (left, right), or -1. */
    int rank(int left, int right) {
        return ranks.rank(left, right);
    }

    /** The ids of one pre-token. */
    int[] encodePiece(String piece) {
        byte[] bytes = piece.getBytes(StandardCharsets.UTF_8);
        int n = bytes.length;
        int[] sym = new int[n];
        for (int i = 0; i < n; i++) sym[i] = byteToId[bytes[i] & 0xFF];
        if (n < 2) return sym;

        // Doubly linked list of live symbols; a node keeps the index of its first byte, so
        // node order is text order and the heap's tie-break on the index is "leftmost first".
        int[] next = new int[n];
        int[] prev = new int[n];
        boolean[] dead = new boolean[n];
        for (int i = 0; i < n; i++) {
            next[i] = i + 1 < n ? i + 1 : -1;
            prev[i] = i - 1;
        }
        // Min-heap of (rank << 32 | node). Entries are never removed early; an entry is stale
        // when its pair no longer has that rank (a merge changed one side) and is then skipped.
        // Each merge pushes at most two entries, so 3n slots suffice.
        long[] heap = new long[3 * n];
        int heapSize = 0;
        for (int i = 0; i + 1 < n; i++) {
            int r = ranks.rank(sym[i], sym[i + 1]);
            if (r >= 0) heapSize = push(heap, heapSize, ((long) r << 32) | i);
        }
        int live = n;
        while (heapSize > 0) {
            long top = heap[0];
            heapSize = pop(heap, heapSize);
            int r = (int) (top >>> 32);
            int i = (int) top;
            int j = next[i];
            if (dead[i] || j < 0 || ranks.rank(sym[i], sym[j]) != r) continue;
            sym[i] = mergeResult[r];
            dead[j] = true;
            live--;
            int k = next[j];
            next[i] = k;
            if (k >= 0) prev[k] = i;
            int p = prev[i];
            if (p >= 0) {
                int rp = ranks.rank(sym[p], sym[i]);
                if (rp >= 0) heapSize = push(heap, heapSize, ((long) rp << 32) | p);
            }
            if (k >= 0) {
                int rk = ranks.rank(sym[i], sym[k]);
                if (rk >= 0) heapSize = push(heap, heapSize, ((long) rk << 32) | i);
            }
        }
        int[] out = new int[live];
        int o = 0;
        for (int i = 0; i >= 0; i = next[i]) out[o++] = sym[i];
        return out;
    }

    private static int push(long[] heap, int size, long v) {
        int i = size;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (heap[parent] <= v) break;
            heap[i] = heap[parent];
            i = parent;
        }
        heap[i] = v;
        return size + 1;
    }

    private static int pop(long[] heap, int size) {
        int n = size - 1;
        long v = heap[n];
        int i = 0;
        while (true) {
            int c = 2 * i + 1;
            if (c >= n) break;
            if (c + 1 < n && heap[c + 1] < heap[c]) c++;
            if (heap[c] >= v) break;
            heap[i] = heap[c];
            i = c;
        }
        if (n > 0) heap[i] = v;
        return n;
    }
}
