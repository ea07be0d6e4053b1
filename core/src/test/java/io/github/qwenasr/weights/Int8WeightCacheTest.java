package io.github.qwenasr.weights;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** The int8 cache file: written once, mapped after, rebuilt when stale or damaged, memory when unwritable. */
class Int8WeightCacheTest {
    @TempDir
    Path dir;

    private static final Int8WeightCache.ParallelFor SERIAL = (n, body) -> IntStream.range(0, n).forEach(body);
    private static final Int8WeightCache.ParallelFor TWO_THREADS = (n, body) -> IntStream.range(0, n).parallel().forEach(body);

    /** A model file with tensors "a" [rows][cols] and "b" [cols][rows] of random bf16 values. */
    private Path writeModel(Path modelDir, int rows, int cols, long seed) throws IOException {
        Files.createDirectories(modelDir);
        long n = (long) rows * cols;
        String header = "{\"a\":{\"dtype\":\"BF16\",\"shape\":[" + rows + "," + cols + "],\"data_offsets\":[0," + 2 * n + "]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[" + cols + "," + rows + "],\"data_offsets\":[" + 2 * n + "," + 4 * n + "]}}";
        ByteBuffer data = ByteBuffer.allocate((int) (4 * n)).order(ByteOrder.LITTLE_ENDIAN);
        Random r = new Random(seed);
        for (long i = 0; i < 2 * n; i++) data.putShort((short) (Float.floatToIntBits((float) r.nextGaussian()) >>> 16));
        Path file = modelDir.resolve("model.safetensors");
        SafetensorsFileTest.write(file, header, data.array());
        return file;
    }

    private static List<Tensor> tensors(WeightStore ws) {
        return List.of(ws.find("a"), ws.find("b"));
    }

    private static void assertSameBytes(MemorySegment expect, MemorySegment got, String what) {
        assertEquals(-1, expect.mismatch(got), what);
    }

    /** The cached matrices hold exactly what quantizing in memory gives. */
    private static void assertMatchesInMemory(WeightStore ws, Int8WeightCache.Result r, int group) {
        try (Arena arena = Arena.ofConfined()) {
            for (Tensor t : tensors(ws)) {
                Int8Matrix expect = Int8Quantizer.quantize(t, group, arena);
                Int8Matrix got = r.matrices().get(t.name());
                assertEquals(expect.groupSize(), got.groupSize());
                assertSameBytes(expect.values(), got.values(), t.name() + " values");
                assertSameBytes(expect.scales(), got.scales(), t.name() + " scales");
            }
        }
    }

    private static List<Path> leftovers(Path d) throws IOException {
        if (!Files.isDirectory(d)) return List.of();
        try (Stream<Path> s = Files.list(d)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }

    @Test
    void firstLoadWritesTheFileAndLaterLoadsMapIt() throws IOException {
        Path model = dir.resolve("model");
        writeModel(model, 192, 256, 1);
        Path cache = model.resolve(".qwen-asr-cache");
        Path user = dir.resolve("user-cache");
        Path written;
        try (WeightStore ws = WeightStore.open(model)) {
            Int8WeightCache.Result r = Int8WeightCache.load(ws, tensors(ws), 64, List.of(cache, user), TWO_THREADS);
            assertEquals(Int8WeightCache.Source.WRITTEN, r.source());
            written = r.file();
            assertEquals(cache, written.getParent());
            assertTrue(written.getFileName().toString().matches("int8-g64-[0-9a-f]{16}\\.bin"), written.toString());
            assertEquals(2L * (192 * 256 + 4 * 192 * 256 / 64), r.bytes());
            assertMatchesInMemory(ws, r, 64);
            assertTrue(r.describe().startsWith("int8 weights: quantized into " + written), r.describe());
        }
        assertEquals(List.of(), leftovers(cache));
        assertFalse(Files.exists(user), "the second folder is not touched when the first works");
        try (WeightStore ws = WeightStore.open(model)) {
            Int8WeightCache.Result r = Int8WeightCache.load(ws, tensors(ws), 64, List.of(cache, user), SERIAL);
            assertEquals(Int8WeightCache.Source.MAPPED, r.source());
            assertEquals(written, r.file());
            assertTrue(r.matrices().get("a").values().isMapped());
            assertMatchesInMemory(ws, r, 64);
            // Another group size is another file.
            Int8WeightCache.Result row = Int8WeightCache.load(ws, tensors(ws), 0, List.of(cache, user), SERIAL);
            assertEquals(Int8WeightCache.Source.WRITTEN, row.source());
            assertNotEquals(written, row.file());
            assertEquals(256, row.matrices().get("a").groupSize());
            assertMatchesInMemory(ws, row, 0);
        }
    }

    @Test
    void changedModelFilesAreNotServedFromTheOldCache() throws IOException {
        Path model = dir.resolve("model");
        Path file = writeModel(model, 64, 128, 2);
        List<Path> dirs = List.of(model.resolve(".qwen-asr-cache"));
        Path first;
        try (WeightStore ws = WeightStore.open(model)) {
            first = Int8WeightCache.load(ws, tensors(ws), 0, dirs, SERIAL).file();
        }
        // Same size and header, new values and modification time: a new key, a new file.
        writeModel(model, 64, 128, 3);
        Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 5000));
        try (WeightStore ws = WeightStore.open(model)) {
            Int8WeightCache.Result r = Int8WeightCache.load(ws, tensors(ws), 0, dirs, SERIAL);
            assertEquals(Int8WeightCache.Source.WRITTEN, r.source());
            assertNotEquals(first, r.file());
            assertMatchesInMemory(ws, r, 0);
        }
    }

    @Test
    void damagedFilesAreIgnoredAndRebuilt() throws IOException {
        Path model = dir.resolve("model");
        writeModel(model, 64, 128, 4);
        List<Path> dirs = List.of(model.resolve(".qwen-asr-cache"));
        Path file;
        try (WeightStore ws = WeightStore.open(model)) {
            file = Int8WeightCache.load(ws, tensors(ws), 0, dirs, SERIAL).file();
        }
        byte[] whole = Files.readAllBytes(file);
        for (byte[] damaged : List.of(java.util.Arrays.copyOf(whole, whole.length - 1), new byte[] {1, 2, 3},
                "QASRINT8garbage-garbage".getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
            Files.write(file, damaged);
            try (WeightStore ws = WeightStore.open(model)) {
                Int8WeightCache.Result r = Int8WeightCache.load(ws, tensors(ws), 0, dirs, SERIAL);
                assertEquals(Int8WeightCache.Source.WRITTEN, r.source());
                assertTrue(r.note().startsWith("ignored " + file), r.note());
                assertMatchesInMemory(ws, r, 0);
            }
            assertArrayEquals(whole, Files.readAllBytes(file), "rebuilt byte for byte");
        }
    }

    @Test
    void anUnwritableModelFolderFallsBackToTheUserCacheThenToMemory() throws IOException {
        Path model = dir.resolve("model");
        writeModel(model, 64, 128, 5);
        // A plain file where the cache folder would be: not creatable, whoever runs the test.
        Path blocked = model.resolve(".qwen-asr-cache");
        Files.writeString(blocked, "not a folder");
        Path user = dir.resolve("user");
        try (WeightStore ws = WeightStore.open(model)) {
            Int8WeightCache.Result r = Int8WeightCache.load(ws, tensors(ws), 0, List.of(blocked, user), SERIAL);
            assertEquals(Int8WeightCache.Source.WRITTEN, r.source());
            assertEquals(user, r.file().getParent());
            assertTrue(r.note().startsWith("cannot write " + blocked), r.note());
            Int8WeightCache.Result again = Int8WeightCache.load(ws, tensors(ws), 0, List.of(blocked, user), SERIAL);
            assertEquals(Int8WeightCache.Source.MAPPED, again.source());
        }
        Path alsoBlocked = dir.resolve("user-file");
        Files.writeString(alsoBlocked, "not a folder either");
        try (WeightStore ws = WeightStore.open(model)) {
            Int8WeightCache.Result r = Int8WeightCache.load(ws, tensors(ws), 0, List.of(blocked, alsoBlocked), SERIAL);
            assertEquals(Int8WeightCache.Source.MEMORY, r.source());
            assertNull(r.file());
            assertFalse(r.matrices().get("b").values().isMapped());
            assertTrue(r.describe().contains("quantized in memory") && r.describe().contains("cannot write " + alsoBlocked), r.describe());
            assertMatchesInMemory(ws, r, 0);
        }
    }

    @Test
    void nonFiniteWeightsFailTheLoadAndLeaveNoFile() throws IOException {
        Path model = dir.resolve("model");
        Files.createDirectories(model);
        byte[] data = SafetensorsFileTest.bf16(new float[64]);
        data[20] = (byte) 0xC0;   // element 10: bf16 0x7FC0, a NaN (little-endian)
        data[21] = (byte) 0x7F;
        SafetensorsFileTest.write(model.resolve("model.safetensors"),
                "{\"a\":{\"dtype\":\"BF16\",\"shape\":[1,64],\"data_offsets\":[0,128]}}", data);
        Path cache = model.resolve(".qwen-asr-cache");
        try (WeightStore ws = WeightStore.open(model)) {
            io.github.qwenasr.QwenAsrException e = assertThrows(io.github.qwenasr.QwenAsrException.class,
                    () -> Int8WeightCache.load(ws, List.of(ws.find("a")), 0, List.of(cache), SERIAL));
            assertTrue(e.getMessage().contains("cannot quantize a") && e.getMessage().contains("non-finite"), e.getMessage());
        }
        try (Stream<Path> s = Files.list(cache)) {
            assertEquals(List.of(), s.toList(), "no partial or temporary file");
        }
    }

    /** File-backed resident memory of this process (Linux /proc/self/status RssFile), in KiB. */
    private static long rssFileKiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("RssFile:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        throw new AssertionError("no RssFile line in /proc/self/status");
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void neitherCopyStaysResidentAfterLoading() throws IOException {
        Path model = dir.resolve("model");
        writeModel(model, 4096, 2048, 6);   // 2 x 16 MiB of bf16
        List<Path> dirs = List.of(model.resolve(".qwen-asr-cache"));
        try (WeightStore ws = WeightStore.open(model)) {
            long before = rssFileKiB();
            Int8WeightCache.load(ws, tensors(ws), 0, dirs, SERIAL);
            long grown = rssFileKiB() - before;
            // Quantizing read all 32 MiB of bf16; they leave once each tensor is done, and the 16 MiB
            // of int8 went to the file through small buffers.
            assertTrue(grown < 4_000, "first load left " + grown + " KiB of file pages resident");
        }
        try (WeightStore ws = WeightStore.open(model)) {
            long before = rssFileKiB();
            Int8WeightCache.Result r = Int8WeightCache.load(ws, tensors(ws), 0, dirs, SERIAL);
            assertEquals(Int8WeightCache.Source.MAPPED, r.source());
            assertTrue(rssFileKiB() - before < 1_000, "a cached load touches neither copy");
            long sum = 0;
            MemorySegment v = r.matrices().get("a").values();
            for (long i = 0; i < v.byteSize(); i += 4096) sum += v.get(java.lang.foreign.ValueLayout.JAVA_BYTE, i);
            assertTrue(rssFileKiB() - before > 7_000, "reading the int8 values maps them in (" + sum + ")");
        }
    }
}
