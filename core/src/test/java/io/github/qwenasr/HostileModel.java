package io.github.qwenasr;

import io.github.qwenasr.equivalence.TestModels;
import io.github.qwenasr.json.Json;
import io.github.qwenasr.tools.JsonText;
import io.github.qwenasr.tools.Preset;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A copy of the tiny synthetic model in a test's temporary folder, to be damaged one file at a
 * time. Files start as symbolic links to the generated original (no 40 MB copy per test); an
 * edited file replaces its link, so the original is never written.
 */
public final class HostileModel {
    /** The generated original, shared by every test (made once under target/). */
    public static Path original() throws IOException {
        return TestModels.model(Preset.TINY, 1234, null).toAbsolutePath();
    }

    private final Path dir;

    private HostileModel(Path dir) {
        this.dir = dir;
    }

    /** A folder under {@code tmp} that looks like the original model. */
    public static HostileModel in(Path tmp) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("model"));
        try (Stream<Path> files = Files.list(original())) {
            for (Path f : files.toList()) Files.createSymbolicLink(dir.resolve(f.getFileName()), f);
        }
        return new HostileModel(dir);
    }

    public Path dir() {
        return dir;
    }

    /** Replaces a file with new bytes (the link to the original is removed first). */
    public HostileModel write(String name, byte[] bytes) throws IOException {
        Files.deleteIfExists(dir.resolve(name));
        Files.write(dir.resolve(name), bytes);
        return this;
    }

    public HostileModel editText(String name, UnaryOperator<String> edit) throws IOException {
        String text = Files.readString(dir.resolve(name), StandardCharsets.UTF_8);
        String edited = edit.apply(text);
        if (edited.equals(text)) throw new IllegalStateException("the edit changed nothing in " + name);
        return write(name, edited.getBytes(StandardCharsets.UTF_8));
    }

    /** Sets one key of config.json's thinker_config.text_config (or audio_config) to a raw JSON value. */
    public HostileModel setConfig(String section, String key, String rawValue) throws IOException {
        return editText("config.json", t -> {
            int at = t.indexOf("\"" + section + "\"");
            int keyAt = t.indexOf("\"" + key + "\"", at);
            int colon = t.indexOf(':', keyAt);
            int end = colon + 1;
            while (",\n}".indexOf(t.charAt(end)) < 0) end++;
            return t.substring(0, colon + 1) + " " + rawValue + t.substring(end);
        });
    }

    /** A JSON value nested {@code depth} arrays deep. */
    public static String deepJson(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    /** Adds a first key holding a deeply nested value to a JSON object file. */
    public HostileModel nestDeeply(String name, int depth) throws IOException {
        return editText(name, t -> {
            int brace = t.indexOf('{');
            return t.substring(0, brace + 1) + "\"deep\": " + deepJson(depth) + "," + t.substring(brace + 1);
        });
    }

    /**
     * Rewrites model.safetensors with an edited header and the data region changed by
     * {@code dataDelta} bytes at its end (negative: cut off, positive: zero bytes added).
     */
    public HostileModel editSafetensors(Consumer<Map<String, Object>> edit, int dataDelta) throws IOException {
        byte[] file = Files.readAllBytes(dir.resolve("model.safetensors"));
        long headerLen = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        Map<String, Object> header = Json.parseObject(new String(file, 8, (int) headerLen, StandardCharsets.UTF_8));
        edit.accept(header);
        return writeSafetensors(JsonText.compact(header), Arrays.copyOfRange(file, 8 + (int) headerLen,
                file.length + dataDelta));
    }

    /** Writes model.safetensors from a raw header text and data bytes. */
    public HostileModel writeSafetensors(String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        return write("model.safetensors", b.array());
    }

    /** The descriptor of one tensor in a parsed header. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> tensor(Map<String, Object> header, String name) {
        Map<String, Object> t = (Map<String, Object>) header.get(name);
        if (t == null) throw new IllegalStateException("no tensor " + name + " in the header");
        return t;
    }

    /**
     * Sets row {@code to} of a bf16 matrix in model.safetensors to {@code 2^k} times row {@code from}
     * (a power of two keeps every bf16 value exact): a model variant whose output head prefers one
     * token wherever it would have chosen another.
     */
    @SuppressWarnings("unchecked")
    public HostileModel copyRowScaled(String tensor, int from, int to, int k) throws IOException {
        byte[] file = Files.readAllBytes(dir.resolve("model.safetensors"));
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        long headerLen = b.getLong(0);
        Map<String, Object> header = Json.parseObject(new String(file, 8, (int) headerLen, StandardCharsets.UTF_8));
        Map<String, Object> t = tensor(header, tensor);
        if (!"BF16".equals(t.get("dtype"))) throw new IllegalStateException(tensor + " is not bf16");
        int cols = ((Number) ((List<Object>) t.get("shape")).get(1)).intValue();
        long base = 8 + headerLen + (Long) ((List<Object>) t.get("data_offsets")).get(0);
        for (int c = 0; c < cols; c++) {
            float v = Float.intBitsToFloat((b.getShort((int) (base + 2L * ((long) from * cols + c))) & 0xFFFF) << 16);
            b.putShort((int) (base + 2L * ((long) to * cols + c)), (short) (Float.floatToRawIntBits(Math.scalb(v, k)) >>> 16));
        }
        return write("model.safetensors", file);
    }

    /** The name of the tensor whose data comes last in the file. */
    @SuppressWarnings("unchecked")
    public static String lastTensor(Map<String, Object> header) {
        String last = null;
        long end = -1;
        for (Map.Entry<String, Object> e : header.entrySet()) {
            if (e.getKey().equals("__metadata__")) continue;
            long tEnd = (Long) ((List<Object>) ((Map<String, Object>) e.getValue()).get("data_offsets")).get(1);
            if (tEnd > end) {
                end = tEnd;
                last = e.getKey();
            }
        }
        return last;
    }

    /** Moves a tensor's data_offsets by {@code delta} bytes. */
    @SuppressWarnings("unchecked")
    public static void shift(Map<String, Object> header, String name, long delta) {
        List<Object> offs = (List<Object>) tensor(header, name).get("data_offsets");
        tensor(header, name).put("data_offsets", List.of((Long) offs.get(0) + delta, (Long) offs.get(1) + delta));
    }
}
