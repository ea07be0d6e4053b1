package io.github.qwenasr.weights;

import io.github.qwenasr.QwenAsrException;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One memory-mapped safetensors file (MODEL.md 1.2): an 8-byte little-endian header length, a
 * JSON header, then dense little-endian data. The header is validated completely before any
 * tensor is handed out, so a corrupt file fails at load with its name, not later with garbage.
 */
public final class SafetensorsFile {
    /** Headers of real checkpoints are well under 1 MB; anything huge means a corrupt file. */
    private static final long MAX_HEADER = 100L << 20;

    private final Path path;
    private final Map<String, Tensor> tensors;
    private final MemorySegment header;

    private SafetensorsFile(Path path, Map<String, Tensor> tensors, MemorySegment header) {
        this.path = path;
        this.tensors = tensors;
        this.header = header;
    }

    /** Maps the file into the given arena and parses its header. */
    public static SafetensorsFile open(Path path, Arena arena) {
        String name = path.getFileName().toString();
        MemorySegment all;
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) throw new QwenAsrException("corrupt safetensors file " + name + ": only " + size + " bytes");
            all = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
        } catch (IOException e) {
            throw new QwenAsrException("cannot read model file " + path + ": " + e.getMessage(), e);
        }
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
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : header.entrySet()) {
            if (e.getKey().equals("__metadata__")) continue;
            out.put(e.getKey(), parseEntry(name, e.getKey(), e.getValue(), all, dataStart, dataLen));
        }
        return new SafetensorsFile(path, out, all.asSlice(0, 8 + headerLen).asReadOnly());
    }

    @SuppressWarnings("unchecked")
    private static Tensor parseEntry(String file, String tname, Object v, MemorySegment all, long dataStart, long dataLen) {
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
        long[] shape = new long[shapeList.size()];
        long numel = 1;
        for (int i = 0; i < shape.length; i++) {
            if (!(shapeList.get(i) instanceof Long dim) || dim < 0) throw new QwenAsrException(where + " has a bad shape");
            shape[i] = dim;
            numel = Math.multiplyExact(numel, dim);
        }
        if (!(offs.get(0) instanceof Long begin) || !(offs.get(1) instanceof Long end)) {
            throw new QwenAsrException(where + " has non-integer data_offsets");
        }
        if (begin < 0 || end < begin || end > dataLen) {
            throw new QwenAsrException(where + " lies outside the file (offsets " + begin + ".." + end
                    + ", data region " + dataLen + " bytes; truncated file?)");
        }
        if (end - begin != numel * dtype.size) {
            throw new QwenAsrException(where + " has " + (end - begin) + " bytes but shape needs " + numel * dtype.size);
        }
        return new Tensor(tname, dtype, shape, all.asSlice(dataStart + begin, end - begin), file);
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
