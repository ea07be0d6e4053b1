package io.github.qwenasr.weights;

import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.config.ModelFileReader;
import io.github.qwenasr.json.Json;
import io.github.qwenasr.json.JsonException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * All tensors of a model directory, from one file or from shards (docs/model.md 1.1): the index's
 * weight_map when model.safetensors.index.json exists, else model.safetensors, else every
 * *.safetensors in the directory. The mappings live as long as this store (closed with it).
 */
public final class WeightStore implements AutoCloseable {
    private final Arena arena;
    private final Map<String, Tensor> tensors;
    private final List<SafetensorsFile> files;
    private final AtomicBoolean closed = new AtomicBoolean();

    private WeightStore(Arena arena, Map<String, Tensor> tensors, List<SafetensorsFile> files) {
        this.arena = arena;
        this.tensors = tensors;
        this.files = List.copyOf(files);
    }

    public static WeightStore open(Path dir) {
        Arena arena = Arena.ofShared();
        try {
            List<SafetensorsFile> files = new ArrayList<>();
            Map<String, Tensor> tensors = load(dir, arena, files);
            return new WeightStore(arena, tensors, files);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private static Map<String, Tensor> load(Path dir, Arena arena, List<SafetensorsFile> files) {
        Path index = dir.resolve("model.safetensors.index.json");
        Path single = dir.resolve("model.safetensors");
        Map<String, Tensor> all = new LinkedHashMap<>();
        // exists, not isRegularFile: a folder or unreadable file in their place gets its own error.
        if (Files.exists(index)) {
            Map<String, String> weightMap = readIndex(index);
            Map<String, SafetensorsFile> opened = new HashMap<>();
            for (String shard : new TreeSet<>(weightMap.values())) {
                Path p = dir.resolve(shard);
                if (!Files.exists(p)) {
                    throw new QwenAsrException("missing model file " + p + " (listed in model.safetensors.index.json)");
                }
                SafetensorsFile f = SafetensorsFile.open(p, arena);
                opened.put(shard, f);
                files.add(f);
            }
            for (Map.Entry<String, String> e : weightMap.entrySet()) {
                Tensor t = opened.get(e.getValue()).tensors().get(e.getKey());
                if (t == null) {
                    throw new QwenAsrException("tensor " + e.getKey() + " is listed in the index for " + e.getValue()
                            + " but that file does not contain it");
                }
                all.put(e.getKey(), t);
            }
            // Tensors present in shards but not in the index are still usable.
            for (SafetensorsFile f : opened.values()) f.tensors().forEach(all::putIfAbsent);
        } else if (Files.exists(single)) {
            SafetensorsFile f = SafetensorsFile.open(single, arena);
            files.add(f);
            all.putAll(f.tensors());
        } else {
            List<Path> paths = new ArrayList<>();
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> p.getFileName().toString().endsWith(".safetensors")).sorted().forEach(paths::add);
            } catch (IOException e) {
                throw new QwenAsrException("cannot list model directory " + dir + ": " + ModelFileReader.reason(e), e);
            }
            if (paths.isEmpty()) {
                throw new QwenAsrException("no model weights in " + dir
                        + " (expected model.safetensors or model-*.safetensors with model.safetensors.index.json)");
            }
            for (Path p : paths) {
                SafetensorsFile f = SafetensorsFile.open(p, arena);
                files.add(f);
                for (Map.Entry<String, Tensor> e : f.tensors().entrySet()) {
                    if (all.putIfAbsent(e.getKey(), e.getValue()) != null) {
                        throw new QwenAsrException("tensor " + e.getKey() + " appears in two files: "
                                + all.get(e.getKey()).file() + " and " + p.getFileName());
                    }
                }
            }
        }
        return all;
    }

    private static Map<String, String> readIndex(Path index) {
        try {
            Map<String, Object> root = Json.parseObject(ModelFileReader.readText(index, "model file"));
            Map<String, Object> wm = Json.object(root, "weight_map");
            if (wm == null) throw new QwenAsrException("corrupt " + index.getFileName() + ": no weight_map");
            Map<String, String> out = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : wm.entrySet()) {
                if (!(e.getValue() instanceof String f) || f.contains("/") || f.contains("\\")) {
                    throw new QwenAsrException("corrupt " + index.getFileName() + ": bad file name for " + e.getKey());
                }
                out.put(e.getKey(), f);
            }
            return out;
        } catch (JsonException e) {
            throw new QwenAsrException("corrupt " + index.getFileName() + ": " + e.getMessage());
        }
    }

    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    /** Tensor names (for variant detection and diagnostics). */
    public java.util.Set<String> names() {
        return tensors.keySet();
    }

    /**
     * Layers stored as {@code prefix + "layers." + i + "." + ...}: one more than the highest index
     * i found, 0 when there is none. Lets a loader compare a layer count from config.json with the
     * files before it allocates anything that count sizes.
     */
    public int layerCount(String prefix) {
        String stem = prefix + "layers.";
        int count = 0;
        for (String name : tensors.keySet()) {
            if (!name.startsWith(stem)) continue;
            int dot = name.indexOf('.', stem.length());
            int digits = (dot < 0 ? name.length() : dot) - stem.length();
            if (digits < 1 || digits > 9) continue;   // not a layer index this engine could address
            int index = 0;
            for (int i = stem.length(); i < stem.length() + digits; i++) {
                char c = name.charAt(i);
                if (c < '0' || c > '9') {
                    index = -1;
                    break;
                }
                index = index * 10 + (c - '0');
            }
            if (index >= 0) count = Math.max(count, index + 1);
        }
        return count;
    }

    /** The tensor, or null. */
    public Tensor find(String name) {
        return tensors.get(name);
    }

    /** The tensor, checked against the expected shape; a one-line error names what is wrong. */
    public Tensor require(String name, long... shape) {
        Tensor t = tensors.get(name);
        if (t == null) throw new QwenAsrException("missing tensor " + name + " in the model files");
        if (!Arrays.equals(t.shape(), shape)) {
            throw new QwenAsrException("tensor " + name + " in " + t.file() + " has shape " + t.shapeString()
                    + ", expected " + Arrays.toString(shape) + " from config.json");
        }
        return t;
    }

    /**
     * Drops this process's resident pages of every mapped tensor whose name starts with prefix
     * ({@link java.lang.foreign.MemorySegment#unload}): the data stays in the OS page cache and
     * comes back on the next access (minor faults, about 7 ms per 100 MB on one core here), but it no
     * longer counts in this process's resident set. Safe while other threads read the tensors.
     */
    public void releasePages(String prefix) {
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (e.getKey().startsWith(prefix) && e.getValue().data().isMapped()) e.getValue().data().unload();
        }
    }

    /**
     * A digest of what the weights are: for every mapped file (in name order) its name, size,
     * modification time and header bytes (every tensor's name, dtype, shape and place). A derived
     * file (the int8 cache) keyed by it is not reused once a model file is replaced or rewritten.
     */
    public String sourceFingerprint() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            List<SafetensorsFile> sorted = new ArrayList<>(files);
            sorted.sort(java.util.Comparator.comparing(f -> f.path().getFileName().toString()));
            for (SafetensorsFile f : sorted) {
                md.update(f.path().getFileName().toString().getBytes(StandardCharsets.UTF_8));
                md.update(ByteBuffer.allocate(16).putLong(Files.size(f.path()))
                        .putLong(Files.getLastModifiedTime(f.path()).toMillis()).flip());
                md.update(f.header().asByteBuffer());
            }
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new QwenAsrException("cannot read the model files' attributes: " + ModelFileReader.reason(e), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The arena the files are mapped in; derived mappings opened into it close with the store. */
    Arena arena() {
        return arena;
    }

    /** Unmaps the weights; a second call does nothing. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) arena.close();
    }
}
