package io.github.qwenasr.weights;

import static org.junit.jupiter.api.Assertions.*;

import io.github.qwenasr.QwenAsrException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsFileTest {
    @TempDir
    Path dir;

    /** Writes a safetensors file from a raw header string and data bytes. */
    static void write(Path p, String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        Files.write(p, b.array());
    }

    static byte[] bf16(float... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) b.putShort((short) (Float.floatToIntBits(f) >>> 16));
        return b.array();
    }

    static byte[] f32(float... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) b.putFloat(f);
        return b.array();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Bytes already in memory (a classpath resource) parse like a mapped file, errors included. */
    @Test
    void parsesSafetensorsHeldInMemory() throws IOException {
        Path p = dir.resolve("small.safetensors");
        write(p, "{\"w\":{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[0,8]}}", f32(0.5f, -3f));
        java.util.Map<String, Tensor> t = SafetensorsFile.parse("small.safetensors",
                java.lang.foreign.MemorySegment.ofArray(Files.readAllBytes(p)));
        assertArrayEquals(new float[] {0.5f, -3f}, t.get("w").toFloatArray());
        assertThrows(UnsupportedOperationException.class, () -> t.remove("w"));
        QwenAsrException e = assertThrows(QwenAsrException.class,
                () -> SafetensorsFile.parse("tiny.safetensors", java.lang.foreign.MemorySegment.ofArray(new byte[5])));
        assertEquals("corrupt safetensors file tiny.safetensors: only 5 bytes", e.getMessage());
        byte[] truncated = Arrays.copyOf(Files.readAllBytes(p), (int) Files.size(p) - 1);
        e = assertThrows(QwenAsrException.class,
                () -> SafetensorsFile.parse("cut.safetensors", java.lang.foreign.MemorySegment.ofArray(truncated)));
        assertTrue(e.getMessage().startsWith("corrupt safetensors file cut.safetensors: tensor w lies outside the file"), e.getMessage());
    }

    @Test
    void readsBf16AndF32TensorsInPlace() throws IOException {
        byte[] data = concat(bf16(1.5f, -2f, 0.25f, 3f, 4f, 5f), f32(7.125f, -1e-3f));
        write(dir.resolve("model.safetensors"),
                "{\"__metadata__\":{\"format\":\"pt\"},\"a\":{\"dtype\":\"BF16\",\"shape\":[2,3],\"data_offsets\":[0,12]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[12,20]}}",
                data);
        try (WeightStore ws = WeightStore.open(dir)) {
            Tensor a = ws.require("a", 2, 3);
            assertEquals(2, a.rows());
            assertEquals(3, a.cols());
            assertArrayEquals(new float[] {1.5f, -2f, 0.25f, 3f, 4f, 5f}, a.toFloatArray());
            assertArrayEquals(new float[] {7.125f, -1e-3f}, ws.require("b", 2).toFloatArray());
            assertFalse(ws.contains("__metadata__"));
        }
    }

    @Test
    void shapeMismatchNamesTensorAndFile() throws IOException {
        write(dir.resolve("model.safetensors"), "{\"w\":{\"dtype\":\"BF16\",\"shape\":[2,2],\"data_offsets\":[0,8]}}", bf16(1, 2, 3, 4));
        try (WeightStore ws = WeightStore.open(dir)) {
            QwenAsrException e = assertThrows(QwenAsrException.class, () -> ws.require("w", 4, 1));
            assertTrue(e.getMessage().contains("w") && e.getMessage().contains("model.safetensors")
                    && e.getMessage().contains("[2, 2]"), e.getMessage());
            QwenAsrException missing = assertThrows(QwenAsrException.class, () -> ws.require("thinker.x", 1));
            assertTrue(missing.getMessage().contains("missing tensor thinker.x"), missing.getMessage());
        }
    }

    @Test
    void truncatedFileIsRejectedWithItsName() throws IOException {
        write(dir.resolve("model.safetensors"), "{\"w\":{\"dtype\":\"BF16\",\"shape\":[4,4],\"data_offsets\":[0,32]}}", bf16(1, 2, 3));
        QwenAsrException e = assertThrows(QwenAsrException.class, () -> WeightStore.open(dir));
        assertTrue(e.getMessage().contains("model.safetensors") && e.getMessage().contains("tensor w"), e.getMessage());
    }

    @Test
    void corruptHeaderIsRejected() throws IOException {
        Path p = dir.resolve("model.safetensors");
        write(p, "{\"w\": {\"dtype\": \"BF16\", ", new byte[8]);
        QwenAsrException e = assertThrows(QwenAsrException.class, () -> WeightStore.open(dir));
        assertTrue(e.getMessage().contains("corrupt safetensors file model.safetensors"), e.getMessage());

        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).putLong(0);
        Files.write(p, b.array());
        e = assertThrows(QwenAsrException.class, () -> WeightStore.open(dir));
        assertTrue(e.getMessage().contains("header length"), e.getMessage());

        Files.write(p, new byte[3]);
        e = assertThrows(QwenAsrException.class, () -> WeightStore.open(dir));
        assertTrue(e.getMessage().contains("only 3 bytes"), e.getMessage());
    }

    @Test
    void wrongByteCountAndUnknownDtypeAreRejected() throws IOException {
        write(dir.resolve("model.safetensors"), "{\"w\":{\"dtype\":\"BF16\",\"shape\":[3],\"data_offsets\":[0,8]}}", new byte[8]);
        assertTrue(assertThrows(QwenAsrException.class, () -> WeightStore.open(dir)).getMessage().contains("shape needs 6"));
        write(dir.resolve("model.safetensors"), "{\"w\":{\"dtype\":\"I8\",\"shape\":[8],\"data_offsets\":[0,8]}}", new byte[8]);
        assertTrue(assertThrows(QwenAsrException.class, () -> WeightStore.open(dir)).getMessage().contains("unsupported dtype I8"));
    }

    @Test
    void shardsAreJoinedThroughTheIndex() throws IOException {
        write(dir.resolve("model-00001-of-00002.safetensors"), "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", f32(1));
        write(dir.resolve("model-00002-of-00002.safetensors"), "{\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", f32(2));
        Files.writeString(dir.resolve("model.safetensors.index.json"), "{\"metadata\":{},\"weight_map\":{"
                + "\"a\":\"model-00001-of-00002.safetensors\",\"b\":\"model-00002-of-00002.safetensors\"}}");
        try (WeightStore ws = WeightStore.open(dir)) {
            assertEquals(1f, ws.require("a", 1).get(0));
            assertEquals(2f, ws.require("b", 1).get(0));
        }
        Files.delete(dir.resolve("model-00002-of-00002.safetensors"));
        QwenAsrException e = assertThrows(QwenAsrException.class, () -> WeightStore.open(dir));
        assertTrue(e.getMessage().contains("missing model file") && e.getMessage().contains("model-00002-of-00002"), e.getMessage());
    }

    @Test
    void directoryWithoutWeightsSaysWhatIsExpected() {
        QwenAsrException e = assertThrows(QwenAsrException.class, () -> WeightStore.open(dir));
        assertTrue(e.getMessage().contains("no model weights"), e.getMessage());
    }

    // ---- issue 20: sizes that overflow and tensors that do not tile the data region

    private String openError(String header, byte[] data) throws IOException {
        write(dir.resolve("model.safetensors"), header, data);
        return assertThrows(QwenAsrException.class, () -> WeightStore.open(dir).close()).getMessage();
    }

    @Test
    void shapeWhoseByteCountOverflowsIsRejectedByName() throws IOException {
        String msg = openError("{\"w\":{\"dtype\":\"BF16\",\"shape\":[1099511627776,1099511627776],\"data_offsets\":[0,8]}}",
                new byte[8]);
        assertTrue(msg.contains("tensor w") && msg.contains("[1099511627776, 1099511627776]") && msg.contains("too large"), msg);
        // 2^62 elements fit a long, their 2^63 bytes do not.
        msg = openError("{\"w\":{\"dtype\":\"BF16\",\"shape\":[4611686018427387904],\"data_offsets\":[0,8]}}", new byte[8]);
        assertTrue(msg.contains("too large"), msg);
        msg = openError("{\"w\":{\"dtype\":\"BF16\",\"shape\":[" + "1,".repeat(40) + "1],\"data_offsets\":[0,2]}}", new byte[2]);
        assertTrue(msg.contains("41 dimensions"), msg);
    }

    @Test
    void overlappingTensorsAreRejected() throws IOException {
        String msg = openError("{\"a\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[2,6]}}", new byte[6]);
        assertTrue(msg.contains("tensor b begins at byte 2, overlapping the end of tensor a (byte 4)"), msg);
        msg = openError("{\"a\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]}}", new byte[4]);
        assertTrue(msg.contains("overlapping"), msg);
    }

    @Test
    void gapsAndUnclaimedBytesAreRejected() throws IOException {
        String msg = openError("{\"a\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[2,6]}}", new byte[6]);
        assertTrue(msg.contains("tensor a begins at byte 2, leaving a gap after the start of the data region"), msg);
        msg = openError("{\"a\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[0,2]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[4,6]}}", new byte[6]);
        assertTrue(msg.contains("tensor b begins at byte 4, leaving a gap after the end of tensor a (byte 2)"), msg);
        msg = openError("{\"a\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[0,2]}}", new byte[8]);
        assertTrue(msg.contains("end at byte 2 of a 8-byte data region"), msg);
        msg = openError("{\"__metadata__\":{}}", new byte[4]);
        assertTrue(msg.contains("belong to no tensor"), msg);
    }

    @Test
    void tensorsMayBeListedInAnyOrderAndBeEmpty() throws IOException {
        write(dir.resolve("model.safetensors"), "{\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[2,6]},"
                + "\"e\":{\"dtype\":\"F32\",\"shape\":[0,3],\"data_offsets\":[2,2]},"
                + "\"a\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[0,2]}}", concat(bf16(1f), f32(2f)));
        try (WeightStore ws = WeightStore.open(dir)) {
            assertEquals(1f, ws.require("a", 1).get(0));
            assertEquals(2f, ws.require("b", 1).get(0));
            assertEquals(0, ws.require("e", 0, 3).numel());
        }
    }

    @Test
    void aFolderInPlaceOfTheWeightsSaysSo() throws IOException {
        Files.createDirectory(dir.resolve("model.safetensors"));
        String msg = assertThrows(QwenAsrException.class, () -> WeightStore.open(dir).close()).getMessage();
        assertTrue(msg.endsWith("model.safetensors is a directory, not a file"), msg);
    }

    @Test
    void layerCountIsOneMoreThanTheHighestStoredIndex() throws IOException {
        write(dir.resolve("model.safetensors"), "{\"p.layers.0.w\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[0,2]},"
                + "\"p.layers.11.w\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[2,4]},"
                + "\"p.layers.x.w\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[4,6]},"
                + "\"q.layers.30.w\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[6,8]}}", new byte[8]);
        try (WeightStore ws = WeightStore.open(dir)) {
            assertEquals(12, ws.layerCount("p."));
            assertEquals(31, ws.layerCount("q."));
            assertEquals(0, ws.layerCount("r."));
        }
    }
}
