package io.github.qwenasr.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DurationPartitionerTest {
    private static List<WorkItem> items(double... seconds) {
        List<WorkItem> out = new ArrayList<>();
        for (int i = 0; i < seconds.length; i++) {
            out.add(new WorkItem("h" + i, List.of(String.format("/in/%04d.wav", i)), seconds[i], null));
        }
        return out;
    }

    @Test
    void partitionsAreBalancedByDurationNotCount() {
        Random rnd = new Random(3);
        double[] s = new double[300];
        for (int i = 0; i < s.length; i++) s[i] = 0.5 + rnd.nextDouble() * (rnd.nextInt(10) == 0 ? 600 : 3);
        List<WorkItem> work = items(s);
        List<Bin> bins = DurationPartitioner.pack(work, 12);
        assertEquals(12, bins.size());

        double total = 0;
        double longest = 0;
        for (double x : s) {
            total += x;
            longest = Math.max(longest, x);
        }
        double mean = total / bins.size();
        Set<String> seen = new HashSet<>();
        double max = 0;
        double min = Double.MAX_VALUE;
        for (int b = 0; b < bins.size(); b++) {
            Bin bin = bins.get(b);
            assertEquals(b, bin.index());
            double sum = 0;
            for (WorkItem w : bin.items()) {
                assertTrue(seen.add(w.sha256()), "an item in two partitions");
                sum += w.weight();
            }
            assertEquals(sum, bin.seconds(), 1e-9);
            max = Math.max(max, sum);
            min = Math.min(min, sum);
            if (b > 0) assertTrue(bins.get(b - 1).seconds() >= bin.seconds(), "partitions not longest first");
            for (int i = 1; i < bin.items().size(); i++) {
                assertTrue(bin.items().get(i - 1).weight() >= bin.items().get(i).weight(), "items not longest first");
            }
        }
        assertEquals(work.size(), seen.size(), "every item placed");
        // The greedy bound: no partition exceeds the mean by more than its longest item.
        assertTrue(max <= mean + longest, "max " + max + " mean " + mean);
        // With many short items the spread is far smaller than one long file.
        assertTrue(max - min < longest, "spread " + (max - min));
        // Equal counts would not be: the same items dealt round-robin by count.
        double[] byCount = new double[12];
        for (int i = 0; i < s.length; i++) byCount[i % 12] += s[i];
        double countSpread = java.util.Arrays.stream(byCount).max().orElseThrow()
                - java.util.Arrays.stream(byCount).min().orElseThrow();
        assertTrue(max - min < countSpread / 4, "duration " + (max - min) + " vs count " + countSpread);
    }

    @Test
    void aLongFileGetsAPartitionOfItsOwnAndStartsFirst() {
        double[] s = new double[41];
        java.util.Arrays.fill(s, 2.0);
        s[17] = 3600;
        List<Bin> bins = DurationPartitioner.pack(items(s), 4);
        assertEquals(List.of("/in/0017.wav"), bins.get(0).items().get(0).paths());
        assertEquals(1, bins.get(0).items().size(), "the hour-long file shares its partition");
        assertEquals(3600, bins.get(0).seconds());
        // The other 40 two-second clips spread over the other three partitions.
        assertEquals(40, bins.get(1).items().size() + bins.get(2).items().size() + bins.get(3).items().size());
        assertTrue(bins.get(3).items().size() >= 13);
    }

    @Test
    void theSameInputsGiveTheSamePartitions() {
        double[] s = {1, 1, 1, 2, 2, 3, 3, 3, 3, 1, 2};
        assertEquals(DurationPartitioner.pack(items(s), 3), DurationPartitioner.pack(items(s), 3));
    }

    @Test
    void partitionCountFollowsAudioAndSlots() {
        // An hour at 30 minutes a partition, 2 slots: 2 by duration, but at least 2 per slot.
        assertEquals(4, DurationPartitioner.partitions(1000, 3600, 1800, 2));
        // 100 hours at 30 minutes: 200.
        assertEquals(200, DurationPartitioner.partitions(100_000, 360_000, 1800, 8));
        // Never more partitions than items, never none for some work.
        assertEquals(3, DurationPartitioner.partitions(3, 360_000, 1800, 8));
        assertEquals(1, DurationPartitioner.partitions(1, 0.2, 1800, 1));
        assertEquals(0, DurationPartitioner.partitions(0, 0, 1800, 4));
        assertEquals(3, DurationPartitioner.pack(items(1, 2, 3), 10).size());
    }
}
