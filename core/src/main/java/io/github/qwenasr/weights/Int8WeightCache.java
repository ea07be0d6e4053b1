package io.github.qwenasr.weights;

import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.json.Json;
import io.github.qwenasr.json.JsonException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntConsumer;

/**
 * int8 copies of a model's linear weights ({@link Int8Matrix}), quantized once and kept in a cache
 * file that later loads only map.
 *
 * <p>Where: the first of the given directories that can be written (in practice
 * {@code <model>/.qwen-asr-cache/}, then the user's cache folder), as
 * {@code int8-<row|gN>-<key>.bin}; the key is a digest of the model files' names, sizes, modification
 * times and headers ({@link WeightStore#sourceFingerprint}), the tensors quantized, the group size
 * and this format's version, so a changed model or setting never reuses a stale file. A file is
 * written under a temporary name, flushed, and renamed into place, so a file under its final name is
 * always complete; two processes writing at once each rename a complete file. When no directory can
 * be written the weights are quantized into memory, and the result says so.
 *
 * <p>Memory: the bf16 pages of every tensor are dropped from this process once it is quantized
 * (they are not read again: the int8 copy replaces them), and quantized rows go to the file through
 * small buffers, so a first load does not hold both copies. A cached load maps the file only: its
 * pages come in when the decoder first reads them.
 *
 * <p>File layout: "QASRINT8", the header's length (int64 LE), a JSON header (format, version, layout,
 * source key, group, and per tensor its shape, group and the offsets of its values and scales from the
 * data start), then, from the next multiple of 64 bytes, the data; every array starts on 64 bytes.
 */
public final class Int8WeightCache {
    private Int8WeightCache() {}

    /** Bumped whenever the bytes written for the same weights change. */
    static final int VERSION = 1;
    private static final String MAGIC = "QASRINT8";
    private static final String FORMAT = "qwen-asr-int8";
    private static final String LAYOUT = "block64";
    private static final int ALIGN = 64;
    /** Rows quantized per buffer: bounds the heap used while writing to a few MB. */
    private static final int BATCH_ROWS = 256;
    private static final long MAX_HEADER = 16L << 20;

    /** Runs body(i) for every i in [0, n), possibly on several threads. */
    @FunctionalInterface
    public interface ParallelFor {
        void forEach(int n, IntConsumer body);
    }

    /** How this load obtained the int8 weights. */
    public enum Source {
        /** An existing cache file was mapped. */
        MAPPED,
        /** The weights were quantized into a new cache file, then mapped. */
        WRITTEN,
        /** No directory could be written: the weights were quantized into memory. */
        MEMORY
    }

    /**
     * The int8 weights by tensor name and how they were obtained.
     *
     * @param file   the cache file (null for {@link Source#MEMORY})
     * @param bytes  bytes of int8 values and scales
     * @param note   why no file was used or why an existing one was not (empty if nothing to say)
     */
    public record Result(Map<String, Int8Matrix> matrices, Source source, Path file, long bytes, double millis, String note) {
        public Result {
            matrices = Map.copyOf(matrices);
        }

        /** One line for a log. */
        public String describe() {
            String size = String.format(Locale.ROOT, "%.0f MB", bytes / 1e6);
            String time = millis >= 1000 ? String.format(Locale.ROOT, "%.1f s", millis / 1000) : String.format(Locale.ROOT, "%.0f ms", millis);
            String line = switch (source) {
                case MAPPED -> "int8 weights: mapped " + file + " (" + size + ") in " + time;
                case WRITTEN -> "int8 weights: quantized into " + file + " (" + size + ") in " + time;
                case MEMORY -> "int8 weights: quantized in memory (" + size + ", not cached) in " + time;
            };
            return note.isEmpty() ? line : line + "; " + note;
        }
    }

    /** Where one tensor lies in the file, relative to the data start. */
    private record Entry(Tensor tensor, int group, long valuesAt, long scalesAt) {
        long valueBytes() {
            return (long) tensor.rows() * tensor.cols();
        }

        long scaleBytes() {
            return 4L * tensor.rows() * (tensor.cols() / group);
        }
    }

    /**
     * The int8 weights of {@code tensors} (2-D, columns a multiple of 64), with groups of
     * {@code group} elements (0: one scale per row), from a cache file in one of {@code dirs},
     * written there first if none is valid, or quantized into memory if none can be written.
     * Mappings and memory belong to the store and close with it.
     */
    public static Result load(WeightStore store, List<Tensor> tensors, int group, List<Path> dirs, ParallelFor par) {
        long t0 = System.nanoTime();
        List<Entry> entries = plan(tensors, group);
        String key = key(store.sourceFingerprint(), entries, group);
        String name = "int8-" + (group <= 0 ? "row" : "g" + group) + "-" + key.substring(0, 16) + ".bin";
        List<String> notes = new ArrayList<>();
        for (Path dir : dirs) {
            Path file = dir.resolve(name);
            if (!Files.isRegularFile(file)) continue;
            try {
                Map<String, Int8Matrix> m = map(store.arena(), file, key, entries);
                return new Result(m, Source.MAPPED, file, totalBytes(entries), millis(t0), String.join("; ", notes));
            } catch (InvalidCache e) {
                notes.add("ignored " + file + " (" + e.getMessage() + ")");
            }
        }
        for (Path dir : dirs) {
            Path file = dir.resolve(name);
            try {
                write(store, file, key, group, entries, par);
            } catch (IOException e) {
                notes.add("cannot write " + dir + " (" + describe(e) + ")");
                continue;
            }
            try {
                Map<String, Int8Matrix> m = map(store.arena(), file, key, entries);
                return new Result(m, Source.WRITTEN, file, totalBytes(entries), millis(t0), String.join("; ", notes));
            } catch (InvalidCache e) {
                throw new QwenAsrException("the int8 cache file just written is unreadable: " + file + " (" + e.getMessage() + ")");
            }
        }
        Map<String, Int8Matrix> m = new LinkedHashMap<>();
        par.forEach(entries.size(), i -> {
            Entry e = entries.get(i);
            Int8Matrix q = quantizeIntoMemory(e, store.arena());
            synchronized (m) {
                m.put(e.tensor().name(), q);
            }
        });
        return new Result(m, Source.MEMORY, null, totalBytes(entries), millis(t0), String.join("; ", notes));
    }

    private static Int8Matrix quantizeIntoMemory(Entry e, Arena arena) {
        try {
            Int8Matrix q = Int8Quantizer.quantize(e.tensor(), e.group(), arena);
            release(e.tensor());
            return q;
        } catch (IllegalArgumentException ex) {
            throw new QwenAsrException("cannot quantize " + ex.getMessage());
        }
    }

    private static List<Entry> plan(List<Tensor> tensors, int group) {
        List<Entry> out = new ArrayList<>();
        long at = 0;
        for (Tensor t : tensors) {
            if (t.shape().length != 2 || !Int8Matrix.supports(t.cols())) {
                throw new IllegalArgumentException("cannot quantize " + t.name() + " " + t.shapeString() + " to int8");
            }
            int g = Int8Quantizer.groupFor(t.cols(), group);
            Entry e = new Entry(t, g, at, align(at + (long) t.rows() * t.cols()));
            at = align(e.scalesAt() + e.scaleBytes());
            out.add(e);
        }
        return out;
    }

    private static long align(long v) {
        return (v + ALIGN - 1) / ALIGN * ALIGN;
    }

    private static long totalBytes(List<Entry> entries) {
        long b = 0;
        for (Entry e : entries) b += e.valueBytes() + e.scaleBytes();
        return b;
    }

    private static double millis(long t0) {
        return (System.nanoTime() - t0) / 1e6;
    }

    private static String key(String fingerprint, List<Entry> entries, int group) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            StringBuilder sb = new StringBuilder(FORMAT).append(' ').append(VERSION).append(' ').append(LAYOUT)
                    .append(' ').append(fingerprint).append(' ').append(group);
            for (Entry e : entries) sb.append(' ').append(e.tensor().name()).append(':').append(e.group());
            return java.util.HexFormat.of().formatHex(md.digest(sb.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String header(String key, int group, List<Entry> entries) {
        StringBuilder sb = new StringBuilder();
        sb.append("{\"format\":").append(Json.quote(FORMAT)).append(",\"version\":").append(VERSION)
                .append(",\"layout\":").append(Json.quote(LAYOUT)).append(",\"key\":").append(Json.quote(key))
                .append(",\"group\":").append(group).append(",\"tensors\":[");
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            if (i > 0) sb.append(',');
            sb.append("{\"name\":").append(Json.quote(e.tensor().name()))
                    .append(",\"rows\":").append(e.tensor().rows()).append(",\"cols\":").append(e.tensor().cols())
                    .append(",\"group\":").append(e.group())
                    .append(",\"values\":").append(e.valuesAt()).append(",\"scales\":").append(e.scalesAt()).append('}');
        }
        return sb.append("]}").toString();
    }

    private static long dataStart(int headerBytes) {
        return align(16L + headerBytes);
    }

    /** Quantizes every entry into a temporary file next to `file`, then renames it into place. */
    private static void write(WeightStore store, Path file, String key, int group, List<Entry> entries, ParallelFor par) throws IOException {
        Path dir = file.getParent();
        Files.createDirectories(dir);
        // Created with the default permissions (Files.createTempFile's are owner-only), so another
        // user who may read the model may read its cache too.
        Path temp = dir.resolve("." + file.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE) + ".tmp");
        Files.createFile(temp);
        boolean done = false;
        try {
            byte[] head = header(key, group, entries).getBytes(StandardCharsets.UTF_8);
            long data = dataStart(head.length);
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer start = ByteBuffer.allocate(16 + head.length).order(ByteOrder.LITTLE_ENDIAN);
                start.put(MAGIC.getBytes(StandardCharsets.US_ASCII)).putLong(head.length).put(head).flip();
                writeFully(ch, start, 0);
                IOException[] failure = new IOException[1];
                par.forEach(entries.size(), i -> {
                    try {
                        writeEntry(ch, data, entries.get(i));
                    } catch (IOException e) {
                        synchronized (failure) {
                            failure[0] = e;
                        }
                    }
                });
                if (failure[0] != null) throw failure[0];
                ch.truncate(data + totalLength(entries));
                ch.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
        } finally {
            if (!done) Files.deleteIfExists(temp);
        }
    }

    private static long totalLength(List<Entry> entries) {
        Entry last = entries.get(entries.size() - 1);
        return last.scalesAt() + last.scaleBytes();
    }

    private static void writeEntry(FileChannel ch, long data, Entry e) throws IOException {
        Tensor t = e.tensor();
        int n = t.rows();
        int k = t.cols();
        int g = e.group();
        int batch = Math.min(n, BATCH_ROWS);
        float[] src = new float[batch * k];
        byte[] q = new byte[batch * k];
        float[] s = new float[batch * (k / g)];
        ByteBuffer scaleBytes = ByteBuffer.allocate(4 * s.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int r0 = 0; r0 < n; r0 += batch) {
            int rows = Math.min(batch, n - r0);
            t.copyTo((long) r0 * k, src, 0, rows * k);
            try {
                Int8Quantizer.quantize(src, rows, k, g, q, s);
            } catch (IllegalArgumentException ex) {
                throw new QwenAsrException("cannot quantize " + t.name() + ": " + ex.getMessage() + " (rows from " + r0 + ")");
            }
            writeFully(ch, ByteBuffer.wrap(q, 0, rows * k), data + e.valuesAt() + (long) r0 * k);
            scaleBytes.clear();
            scaleBytes.asFloatBuffer().put(s, 0, rows * (k / g));
            scaleBytes.limit(4 * rows * (k / g));
            writeFully(ch, scaleBytes, data + e.scalesAt() + 4L * r0 * (k / g));
        }
        release(t);
    }

    private static void writeFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
        long p = position;
        while (b.hasRemaining()) p += ch.write(b, p);
    }

    /** Drops the tensor's bf16 pages from this process: the int8 copy is what the decoder reads. */
    private static void release(Tensor t) {
        if (t.data().isMapped()) t.data().unload();
    }

    /** Why a cache file cannot be used; it is then rebuilt. */
    private static final class InvalidCache extends Exception {
        InvalidCache(String message) {
            super(message);
        }
    }

    /** Checks a cache file's header describes exactly these entries, then maps it. */
    private static Map<String, Int8Matrix> map(Arena arena, Path file, String key, List<Entry> entries) throws InvalidCache {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer start = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, start, 0);
            String magic = new String(start.array(), 0, 8, StandardCharsets.US_ASCII);
            if (!MAGIC.equals(magic)) throw new InvalidCache("not an int8 cache file");
            long headLen = start.getLong(8);
            if (headLen <= 0 || headLen > MAX_HEADER || 16 + headLen > size) throw new InvalidCache("bad header length " + headLen);
            ByteBuffer head = ByteBuffer.allocate((int) headLen);
            readFully(ch, head, 16);
            long data = dataStart((int) headLen);
            checkHeader(new String(head.array(), StandardCharsets.UTF_8), key, entries);
            if (size != data + totalLength(entries)) throw new InvalidCache("truncated or padded: " + size + " bytes");
            MemorySegment all = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            Map<String, Int8Matrix> out = new LinkedHashMap<>();
            for (Entry e : entries) {
                Tensor t = e.tensor();
                out.put(t.name(), new Int8Matrix(t.name(), t.rows(), t.cols(), e.group(),
                        all.asSlice(data + e.valuesAt(), e.valueBytes()), all.asSlice(data + e.scalesAt(), e.scaleBytes())));
            }
            return out;
        } catch (IOException e) {
            throw new InvalidCache(describe(e));
        }
    }

    private static void checkHeader(String json, String key, List<Entry> entries) throws InvalidCache {
        Map<String, Object> head;
        try {
            head = Json.parseObject(json);
        } catch (JsonException e) {
            throw new InvalidCache("bad header: " + e.getMessage());
        }
        if (!FORMAT.equals(head.get("format")) || !Long.valueOf(VERSION).equals(head.get("version"))
                || !LAYOUT.equals(head.get("layout")) || !key.equals(head.get("key"))) {
            throw new InvalidCache("written for other weights, settings or format version");
        }
        if (!(head.get("tensors") instanceof List<?> list) || list.size() != entries.size()) throw new InvalidCache("wrong tensor list");
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            Tensor t = e.tensor();
            if (!(list.get(i) instanceof Map<?, ?> d) || !t.name().equals(d.get("name"))
                    || !Long.valueOf(t.rows()).equals(d.get("rows")) || !Long.valueOf(t.cols()).equals(d.get("cols"))
                    || !Long.valueOf(e.group()).equals(d.get("group")) || !Long.valueOf(e.valuesAt()).equals(d.get("values"))
                    || !Long.valueOf(e.scalesAt()).equals(d.get("scales"))) {
                throw new InvalidCache("entry " + i + " does not describe " + t.name());
            }
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
        long p = position;
        while (b.hasRemaining()) {
            int n = ch.read(b, p);
            if (n < 0) throw new IOException("unexpected end of file");
            p += n;
        }
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
