package io.github.qwenasr.spark;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Splits work into partitions of about equal audio duration (not equal file counts), so that a stage
 * does not wait for one partition that drew the long files.
 *
 * <p>Longest processing time first: items are taken longest first and each goes to the partition with
 * the least work so far. No partition then exceeds the mean by more than its own longest item, and a
 * file longer than the mean gets a partition to itself. Partitions are numbered longest first, and
 * Spark launches tasks in partition order, so the long ones start at once and the short ones fill the
 * end of the stage; within a partition the long items also come first.
 */
public final class DurationPartitioner {
    private DurationPartitioner() {
    }

    /**
     * How many partitions a job of {@code totalSeconds} over {@code items} inputs gets: about one per
     * {@code targetSeconds} of audio (bounding what a killed job loses), and at least two per task slot
     * so that slots that finish early take more work; never more than there are items.
     */
    public static int partitions(int items, double totalSeconds, double targetSeconds, int slots) {
        if (items <= 0) return 0;
        long byDuration = (long) Math.ceil(totalSeconds / Math.max(1e-9, targetSeconds));
        long wanted = Math.max(byDuration, 2L * Math.max(1, slots));
        return (int) Math.min(items, Math.max(1, wanted));
    }

    /** Packs the items into {@code count} bins (fewer when there are fewer items), longest bin first. */
    public static List<Bin> pack(List<WorkItem> items, int count) {
        if (items.isEmpty()) return List.of();
        int n = Math.max(1, Math.min(count, items.size()));
        List<WorkItem> sorted = new ArrayList<>(items);
        // Ties broken by the first path, so the same inputs always give the same partitions.
        sorted.sort(Comparator.comparingDouble(WorkItem::weight).reversed()
                .thenComparing(w -> w.paths().get(0)));
        List<List<WorkItem>> bins = new ArrayList<>(n);
        double[] load = new double[n];
        for (int i = 0; i < n; i++) bins.add(new ArrayList<>());
        PriorityQueue<Integer> lightest = new PriorityQueue<>(
                Comparator.<Integer>comparingDouble(i -> load[i]).thenComparingInt(i -> i));
        for (int i = 0; i < n; i++) lightest.add(i);
        for (WorkItem w : sorted) {
            int b = lightest.poll();
            bins.get(b).add(w);
            load[b] += w.weight();
            lightest.add(b);
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) order.add(i);
        order.sort(Comparator.<Integer>comparingDouble(i -> load[i]).reversed().thenComparingInt(i -> i));
        List<Bin> out = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            int b = order.get(k);
            out.add(new Bin(k, bins.get(b), load[b]));
        }
        return out;
    }
}
