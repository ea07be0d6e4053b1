import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Read bandwidth of this machine as the decoder sees it: a memory-mapped file (the model's weights,
 * larger than the last-level cache) streamed with Vector API loads on N threads, each thread reading
 * one contiguous slice, as the decode mat-vec reads its rows. The figure is the floor's denominator in
 * bench/run.py (decode ms/token floor = weight bytes read per token / bandwidth).
 *
 * <pre>java --add-modules jdk.incubator.vector bench/Bandwidth.java FILE [threads] [passes]</pre>
 *
 * Prints one JSON object: bytes, threads, passes, per-pass GB/s (the first pass also faults pages
 * in), best and median of the passes after the first.
 */
public final class Bandwidth {
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_256;

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: java --add-modules jdk.incubator.vector bench/Bandwidth.java FILE [threads] [passes]");
            System.exit(2);
        }
        Path file = Path.of(args[0]);
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
        int passes = args.length > 2 ? Integer.parseInt(args[2]) : 6;
        try (Arena arena = Arena.ofShared(); FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment all = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            long bytes = all.byteSize() & ~(64L * threads - 1);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Double> rates = new ArrayList<>();
            long sink = 0;
            for (int p = 0; p < passes; p++) {
                long t0 = System.nanoTime();
                sink += streamOnce(pool, all, bytes, threads);
                rates.add(bytes / ((System.nanoTime() - t0) / 1e9) / 1e9);
            }
            pool.shutdown();
            List<Double> warm = new ArrayList<>(rates.subList(Math.min(1, rates.size() - 1), rates.size()));
            warm.sort(null);
            System.out.println(String.format(Locale.ROOT,
                    "{\"file\": \"%s\", \"bytes\": %d, \"threads\": %d, \"passes\": %d, \"gbps_per_pass\": %s, "
                            + "\"best_gbps\": %.2f, \"median_gbps\": %.2f, \"checksum\": %d}",
                    file.getFileName(), bytes, threads, passes, format(rates), warm.get(warm.size() - 1),
                    warm.get(warm.size() / 2), sink));
        }
    }

    /** One full read of [0, bytes) split into one contiguous slice per thread. */
    private static long streamOnce(ExecutorService pool, MemorySegment seg, long bytes, int threads) throws Exception {
        long slice = bytes / threads;
        List<Future<Long>> parts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long from = t * slice;
            long to = t == threads - 1 ? bytes : from + slice;
            Callable<Long> task = () -> sum(seg, from, to);
            parts.add(pool.submit(task));
        }
        long total = 0;
        for (Future<Long> f : parts) total += f.get();
        return total;
    }

    /** Integer sum with four independent accumulators, so several cache-line fills stay in flight. */
    static long sum(MemorySegment seg, long from, long to) {
        int step = INTS.vectorByteSize();
        IntVector a0 = IntVector.zero(INTS), a1 = a0, a2 = a0, a3 = a0;
        long i = from;
        for (; i + 4L * step <= to; i += 4L * step) {
            a0 = a0.add(IntVector.fromMemorySegment(INTS, seg, i, ByteOrder.LITTLE_ENDIAN));
            a1 = a1.add(IntVector.fromMemorySegment(INTS, seg, i + step, ByteOrder.LITTLE_ENDIAN));
            a2 = a2.add(IntVector.fromMemorySegment(INTS, seg, i + 2L * step, ByteOrder.LITTLE_ENDIAN));
            a3 = a3.add(IntVector.fromMemorySegment(INTS, seg, i + 3L * step, ByteOrder.LITTLE_ENDIAN));
        }
        long s = a0.add(a1).add(a2).add(a3).reduceLanesToLong(VectorOperators.ADD);
        for (; i < to; i++) s += seg.get(java.lang.foreign.ValueLayout.JAVA_BYTE, i);
        return s;
    }

    private static String format(List<Double> rates) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < rates.size(); i++) sb.append(i > 0 ? ", " : "").append(String.format(Locale.ROOT, "%.2f", rates.get(i)));
        return sb.append(']').toString();
    }
}
