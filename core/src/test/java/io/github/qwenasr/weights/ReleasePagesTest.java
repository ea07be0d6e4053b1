package io.github.qwenasr.weights;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** {@link WeightStore#releasePages}: released tensors read the same and leave the resident set. */
class ReleasePagesTest {
    @TempDir
    Path dir;

    /** 32 Mi bf16 values (64 MiB) per tensor: far above page and fault-around granularity. */
    private static final int COUNT = 32 << 20;

    /** Two tensors "enc.w" and "dec.w" of COUNT bf16 values each, value i = (i % 251) - 125. */
    private void writeModel() throws IOException {
        String header = "{\"enc.w\":{\"dtype\":\"BF16\",\"shape\":[" + COUNT + "],\"data_offsets\":[0," + 2L * COUNT + "]},"
                + "\"dec.w\":{\"dtype\":\"BF16\",\"shape\":[" + COUNT + "],\"data_offsets\":[" + 2L * COUNT + "," + 4L * COUNT + "]}}";
        ByteBuffer data = ByteBuffer.allocate(4 * COUNT).order(ByteOrder.LITTLE_ENDIAN);
        for (int t = 0; t < 2; t++) {
            for (int i = 0; i < COUNT; i++) data.putShort((short) (Float.floatToIntBits((i % 251) - 125) >>> 16));
        }
        SafetensorsFileTest.write(dir.resolve("model.safetensors"), header, data.array());
    }

    private static double sampledSum(Tensor t) {
        double s = 0;
        for (long i = 0; i < t.numel(); i += 1021) s += t.get(i);
        return s;
    }

    private static double expectedSampledSum() {
        double s = 0;
        for (long i = 0; i < COUNT; i += 1021) s += (i % 251) - 125;
        return s;
    }

    @Test
    void releasedTensorsStillReadTheirValues() throws IOException {
        writeModel();
        try (WeightStore ws = WeightStore.open(dir)) {
            Tensor enc = ws.require("enc.w", COUNT);
            assertEquals(expectedSampledSum(), sampledSum(enc));
            ws.releasePages("enc.");
            assertEquals(expectedSampledSum(), sampledSum(enc));
            ws.releasePages("");
            assertEquals(expectedSampledSum(), sampledSum(ws.require("dec.w", COUNT)));
            assertEquals(expectedSampledSum(), sampledSum(enc));
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
    void onlyTheNamedTensorsLeaveTheResidentSet() throws IOException {
        writeModel();
        try (WeightStore ws = WeightStore.open(dir)) {
            Tensor enc = ws.require("enc.w", COUNT);
            Tensor dec = ws.require("dec.w", COUNT);
            long before = rssFileKiB();
            sampledSum(enc);
            sampledSum(dec);
            long touched = rssFileKiB();
            assertTrue(touched - before > 100_000, "touching 128 MiB raised RssFile by only " + (touched - before) + " KiB");
            ws.releasePages("enc.");
            long released = rssFileKiB();
            long dropped = touched - released;
            // enc.w is 65,536 KiB: it leaves; dec.w stays.
            assertTrue(dropped > 60_000 && dropped < 70_000, "RssFile dropped by " + dropped + " KiB");
            assertEquals(expectedSampledSum(), sampledSum(enc));
            assertTrue(rssFileKiB() - released > 60_000, "reading enc.w again brings its pages back");
        }
    }
}
