package io.github.qwenasr.weights;

import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.config.ModelFileReader;
import io.github.qwenasr.json.Json;
import io.github.qwenasr.json.JsonException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One memory-mapped safetensors file (docs/model.md 1.2): an 8-byte little-endian header length, a
 * JSON header, then dense little-endian data. The header is validated completely before any
 * tensor is handed out, so a corrupt file fails at load with its name, not later with garbage:
 * every size is computed with overflow checks, and the tensors must tile the data region exactly
 * (sorted by offset, the first begins at 0, each begins where the one before ends, the last ends
 * at the end of the file), as the format's reference reader requires: no two tensors share bytes
 * and no bytes belong to nothing.
 */
public final class SafetensorsFile {
    /** Headers of real checkpoints are well under 1 MB; anything huge means a corrupt file. */
    private static final long MAX_HEADER = 100L << 20;
    /** Real tensors have at most 4 dimensions; a long shape list is a corrupt header. */
    private static final int MAX_RANK = 16;

    private final Path path;
    private final Map<String, Tensor> tensors;
    private final MemorySegment header;

    private SafetensorsFile(Path path, Map<String, Tensor> tensors, MemorySegment header) {
        this.path = path;
        this.tensors = tensors;
        this.header = header;
    }

    /** One validated header entry: the tensor's bytes are [begin, end) of the data region. */
    private record Entry(String name, DType dtype, long[] shape, long begin, long end) {}

    /** Maps the file into the given arena and parses its header. */
    public static SafetensorsFile open(Path path, Arena arena) {
        String name = path.getFileName().toString();
        ModelFileReader.requireFile(path, "model file");
        MemorySegment all;
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) throw new QwenAsrException("corrupt safetensors file " + name + ": only " + size + " bytes");
            all = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
        } catch (IOException e) {
            throw ModelFileReader.failure(path, "model file", e);
        }
        Map<String, Tensor> tensors = parse(name, all);
        // parse has checked the header's length against the file
        long headerLen = all.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
        return new SafetensorsFile(path, tensors, all.asSlice(0, 8 + headerLen).asReadOnly());
    }

    /**
     * Parses safetensors bytes already in memory (e.g. a small model shipped as a classpath
     * resource, which has no file to map). The tensors view {@code contents}, which must stay
     * alive as long as they are used.
     *
     * @param name the file's name, for error messages
     * @return tensors by name, in header order
     */
    public static Map<String, Tensor> parse(String name, MemorySegment contents) {
        if (contents.byteSize() < 8) {
            throw new QwenAsrException("corrupt safetensors file " + name + ": only " + contents.byteSize() + " bytes");
        }
        MemorySegment all = contents;
        long headerLen = all.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
        if (headerLen <= 0 || headerLen > MAX_HEADER || 8 + headerLen > all.byteSize()) {
            throw new QwenAsrException("corrupt safetensors file " + name + ": header length " + headerLen
                    + " does not fit a file of " + all.byteSize() + " bytes");
        }
        byte[] hb = all.asSlice(8, headerLen).toArray(ValueLayout.JAVA_BYTE);
        Map<String, Object> header;
        try {
            header = Json.parseObject(new String(hb, StandardCharsets.UTF_8));
        } catch (JsonException e) {
            throw new QwenAsrException("corrupt safetensors file " + name + ": bad JSON header (" + e.getMessage() + ")");
        }
        long dataStart = 8 + headerLen;
        long dataLen = all.byteSize() - dataStart;
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, Object> e : header.entrySet()) {
            if (!e.getKey().equals("__metadata__")) entries.add(parseEntry(name, e.getKey(), e.getValue(), dataLen));
        }
        checkTiling(name, entries, dataLen);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Entry e : entries) {
            out.put(e.name(), new Tensor(e.name(), e.dtype(), e.shape(),
                    all.asSlice(dataStart + e.begin(), e.end() - e.begin()), name));
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * Sorted by where they begin, the tensors must cover [0, dataLen) of the data region with no
     * gap and no overlap: overlapping tensors would share weights, and a shifted or missing one
     * leaves bytes that belong to no tensor.
     */
    private static void checkTiling(String file, List<Entry> entries, long dataLen) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expected = 0;
        String previous = null;
        for (Entry s : sorted) {
            if (s.begin() != expected) {
                String after = previous == null ? "the start of the data region (byte 0)"
                        : "the end of tensor " + previous + " (byte " + expected + ")";
                throw new QwenAsrException("corrupt safetensors file " + file + ": tensor " + s.name() + " begins at byte "
                        + s.begin() + (s.begin() < expected ? ", overlapping " : ", leaving a gap after ") + after
                        + "; the tensors must tile the data region exactly");
            }
            expected = s.end();
            previous = s.name();
        }
        if (expected != dataLen) {
            throw new QwenAsrException("corrupt safetensors file " + file + ": the tensors end at byte " + expected
                    + " of a " + dataLen + "-byte data region (the bytes after "
                    + (previous == null ? "the header" : "tensor " + previous) + " belong to no tensor)");
        }
    }

    /** Validates one header entry on its own (dtype, shape, offsets inside the data region, byte count). */
    @SuppressWarnings("unchecked")
    private static Entry parseEntry(String file, String tname, Object v, long dataLen) {
        String where = "corrupt safetensors file " + file + ": tensor " + tname;
        if (!(v instanceof Map)) throw new QwenAsrException(where + " has no descriptor object");
        Map<String, Object> d = (Map<String, Object>) v;
        String dts;
        try {
            dts = Json.getString(d, "dtype", null);
        } catch (JsonException ex) {
            throw new QwenAsrException(where + ": " + ex.getMessage());
        }
        if (dts == null) throw new QwenAsrException(where + " has no dtype");
        DType dtype = DType.fromSafetensors(dts);
        if (dtype == null) throw new QwenAsrException("unsupported dtype " + dts + " for tensor " + tname + " in " + file);
        if (!(d.get("shape") instanceof List<?> shapeList)) throw new QwenAsrException(where + " has no shape");
        if (!(d.get("data_offsets") instanceof List<?> offs) || offs.size() != 2) {
            throw new QwenAsrException(where + " has no valid data_offsets");
        }
        if (shapeList.size() > MAX_RANK) {
            throw new QwenAsrException(where + " has " + shapeList.size() + " dimensions (at most " + MAX_RANK + ")");
        }
        long[] shape = new long[shapeList.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!(shapeList.get(i) instanceof Long dim) || dim < 0) throw new QwenAsrException(where + " has a bad shape");
            shape[i] = dim;
        }
        long bytes = byteSize(shape, dtype);
        if (bytes < 0) {
            throw new QwenAsrException(where + ": shape " + Arrays.toString(shape) + " is too large ("
                    + dts + " elements overflow a 64-bit byte count)");
        }
        if (!(offs.get(0) instanceof Long begin) || !(offs.get(1) instanceof Long end)) {
            throw new QwenAsrException(where + " has non-integer data_offsets");
        }
        if (begin < 0 || end < begin || end > dataLen) {
            throw new QwenAsrException(where + " lies outside the file (offsets " + begin + ".." + end
                    + ", data region " + dataLen + " bytes; truncated file?)");
        }
        if (end - begin != bytes) {
            throw new QwenAsrException(where + " has " + (end - begin) + " bytes but shape needs " + bytes + " ("
                    + dts + " " + Arrays.toString(shape) + ")");
        }
        return new Entry(tname, dtype, shape, begin, end);
    }

    /** Bytes of a dense tensor of this shape, or -1 when the count overflows a long. */
    static long byteSize(long[] shape, DType dtype) {
        try {
            long n = dtype.size;
            for (long dim : shape) n = Math.multiplyExact(n, dim);
            return n;
        } catch (ArithmeticException e) {
            return -1;
        }
    }

    public Path path() {
        return path;
    }

    /** The file's first bytes: the header's length and the header itself (what it holds and where). */
    public MemorySegment header() {
        return header;
    }

    /** Tensors by name, in header order. */
    public Map<String, Tensor> tensors() {
        return tensors;
    }
}
