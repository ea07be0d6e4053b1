package io.github.qwenasr.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Writes one BF16 safetensors file (docs/model.md 1.2) whose values come from {@link CounterRandom}.
 * Tensors are laid out in list order; the data are produced in 1 Mi-element blocks by a thread pool and
 * written with positional {@link FileChannel} writes, so the output does not depend on scheduling.
 */
public final class SafetensorsWriter {
    private static final int BLOCK_ELEMENTS = 1 << 20;
    private static final ThreadLocal<ByteBuffer> BLOCK_BUFFER = ThreadLocal.withInitial(
            () -> ByteBuffer.allocateDirect(BLOCK_ELEMENTS * 2).order(ByteOrder.LITTLE_ENDIAN));

    private SafetensorsWriter() {
    }

    /**
     * The JSON header (without its 8-byte length prefix): {@code __metadata__} first, then every tensor
     * with its dtype, shape and data offsets, padded with spaces to a multiple of 8 bytes as the
     * reference writer does.
     */
    public static byte[] header(List<TensorSpec> tensors) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("__metadata__", Map.of("format", "pt"));
        long offset = 0;
        for (TensorSpec t : tensors) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("dtype", "BF16");
            entry.put("shape", t.shape());
            entry.put("data_offsets", List.of(offset, offset + t.bytes()));
            json.put(t.name(), entry);
            offset += t.bytes();
        }
        String text = JsonText.compact(json);
        int len = text.getBytes(StandardCharsets.UTF_8).length;
        int padded = (len + 7) & ~7;
        return (text + " ".repeat(padded - len)).getBytes(StandardCharsets.UTF_8);
    }

    /** Writes the file, replacing any existing one. */
    public static void write(Path file, List<TensorSpec> tensors, long seed, ExecutorService pool) throws IOException {
        byte[] header = header(tensors);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ByteBuffer prefix = ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN);
            prefix.putLong(header.length).put(header).flip();
            writeFully(ch, prefix, 0);

            List<Future<?>> jobs = new ArrayList<>();
            long offset = 8L + header.length;
            for (TensorSpec t : tensors) {
                long key = CounterRandom.streamKey(seed, t.name());
                long n = t.elements();
                for (long start = 0; start < n; start += BLOCK_ELEMENTS) {
                    long first = start;
                    int count = (int) Math.min(BLOCK_ELEMENTS, n - start);
                    long position = offset + first * 2;
                    jobs.add(pool.submit(() -> writeBlock(ch, t, key, first, count, position)));
                }
                offset += t.bytes();
            }
            awaitAll(jobs);
        }
    }

    private static void writeBlock(FileChannel ch, TensorSpec t, long key, long first, int count, long position) {
        ByteBuffer buf = BLOCK_BUFFER.get();
        buf.clear();
        if (t.std() == 0) {
            short v = CounterRandom.toBf16((float) t.center());
            for (int i = 0; i < count; i++) buf.putShort(i * 2, v);
        } else {
            for (int i = 0; i < count; i++) buf.putShort(i * 2, CounterRandom.bf16Element(t, key, first + i));
        }
        buf.limit(count * 2);
        try {
            writeFully(ch, buf, position);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) pos += ch.write(buf, pos);
    }

    private static void awaitAll(List<Future<?>> jobs) throws IOException {
        try {
            for (Future<?> f : jobs) f.get();
        } catch (InterruptedException e) {
            jobs.forEach(f -> f.cancel(true));
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while writing weights", e);
        } catch (ExecutionException e) {
            jobs.forEach(f -> f.cancel(true));
            Throwable cause = e.getCause();
            if (cause instanceof UncheckedIOException u) throw u.getCause();
            throw new IOException("writing weights failed: " + cause, cause);
        }
    }
}
