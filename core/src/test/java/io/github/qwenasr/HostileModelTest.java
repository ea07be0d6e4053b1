package io.github.qwenasr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model folders damaged one thing at a time (issue 20, items 9-11): each must fail to load with one
 * {@link QwenAsrException} whose message names the file or setting at fault, never with a stack
 * overflow, an arithmetic or out-of-memory error, a hang, or a model that silently runs.
 */
class HostileModelTest {
    /** As deep as the report's files: far beyond what a recursive reader survives. */
    private static final int DEEP = 10_000;

    @TempDir
    Path tmp;

    /** Loads the folder, expecting a clean failure whose message holds every fragment. */
    private static QwenAsrException refused(HostileModel m, String... fragments) {
        QwenAsrException e = assertThrows(QwenAsrException.class, () -> QwenAsr.load(m.dir(), 1).close());
        for (String f : fragments) assertTrue(e.getMessage().contains(f), () -> "'" + f + "' missing from: " + e.getMessage());
        assertTrue(e.getMessage().lines().count() == 1, "one line: " + e.getMessage());
        return e;
    }

    // ---- item 9: nesting and sizes

    @Test
    void deeplyNestedConfigJson() throws IOException {
        refused(HostileModel.in(tmp).nestDeeply("config.json", DEEP), "config.json", "nesting deeper than 512");
    }

    @Test
    void deeplyNestedTokenizerConfigJson() throws IOException {
        refused(HostileModel.in(tmp).nestDeeply("tokenizer_config.json", DEEP), "tokenizer_config.json",
                "nesting deeper than 512");
    }

    @Test
    void deeplyNestedSafetensorsHeader() throws IOException {
        HostileModel m = HostileModel.in(tmp);
        m.editSafetensors(h -> { }, 0);   // a compact header, so the raw edit below finds its first brace
        byte[] file = Files.readAllBytes(m.dir().resolve("model.safetensors"));
        long len = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        String header = new String(file, 8, (int) len, StandardCharsets.UTF_8);
        m.writeSafetensors("{\"__metadata__\":" + HostileModel.deepJson(DEEP) + "," + header.substring(1),
                Arrays.copyOfRange(file, 8 + (int) len, file.length));
        refused(m, "model.safetensors", "nesting deeper than 512");
    }

    @Test
    void deeplyNestedIndexJson() throws IOException {
        HostileModel m = HostileModel.in(tmp);
        m.write("model.safetensors.index.json", ("{\"metadata\": " + HostileModel.deepJson(DEEP)
                + ", \"weight_map\": {}}").getBytes(StandardCharsets.UTF_8));
        refused(m, "model.safetensors.index.json", "nesting deeper than 512");
    }

    @Test
    void tensorShapeWhoseSizeOverflows() throws IOException {
        long big = 1L << 40;
        HostileModel m = HostileModel.in(tmp).editSafetensors(
                h -> HostileModel.tensor(h, "thinker.model.norm.weight").put("shape", List.of(big, big)), 0);
        refused(m, "model.safetensors", "thinker.model.norm.weight", "[" + big + ", " + big + "]", "too large");
    }

    // ---- item 10 (a): the tensors must tile the data region

    @Test
    void overlappingDataOffsets() throws IOException {
        // The last tensor moved 2 bytes back into the one before it; the file ends where it now ends.
        HostileModel m = HostileModel.in(tmp).editSafetensors(h -> HostileModel.shift(h, HostileModel.lastTensor(h), -2), -2);
        refused(m, "model.safetensors", "overlapping", "tile");
    }

    @Test
    void shiftedDataOffsetsLeaveAGap() throws IOException {
        HostileModel m = HostileModel.in(tmp).editSafetensors(h -> HostileModel.shift(h, HostileModel.lastTensor(h), 2), 2);
        refused(m, "model.safetensors", "gap", "tile");
    }

    @Test
    void bytesAfterTheLastTensor() throws IOException {
        HostileModel m = HostileModel.in(tmp).editSafetensors(h -> { }, 6);
        refused(m, "model.safetensors", "belong to no tensor");
    }

    @Test
    void twoTensorsOnTheSameBytes() throws IOException {
        // Two same-sized norms share one span: the one whose bytes are left over becomes a gap.
        HostileModel m = HostileModel.in(tmp).editSafetensors(h -> HostileModel.tensor(h, "thinker.model.layers.1.input_layernorm.weight")
                .put("data_offsets", HostileModel.tensor(h, "thinker.model.layers.0.input_layernorm.weight").get("data_offsets")), 0);
        refused(m, "model.safetensors", "tile");
    }

    // ---- item 10 (b), (d): layer counts and sizes

    @Test
    void fewerDecoderLayersInConfigThanInTheWeights() throws IOException {
        refused(HostileModel.in(tmp).setConfig("text_config", "num_hidden_layers", "1"),
                "num_hidden_layers is 1", "hold 2 decoder layers");
    }

    @Test
    void fewerEncoderLayersInConfigThanInTheWeights() throws IOException {
        refused(HostileModel.in(tmp).setConfig("audio_config", "encoder_layers", "1"),
                "encoder_layers is 1", "hold 2 encoder layers");
    }

    @Test
    void moreLayersInConfigThanInTheWeightsNamesBothCounts() throws IOException {
        refused(HostileModel.in(tmp).setConfig("text_config", "num_hidden_layers", "900"),
                "num_hidden_layers is 900", "hold 2 decoder layers");
    }

    @Test
    void hugeLayerCountIsAConfigErrorNotAHeapProblem() throws IOException {
        refused(HostileModel.in(tmp).setConfig("text_config", "num_hidden_layers", "2147483000"),
                "config.json", "num_hidden_layers", "out of range");
    }

    @Test
    void hugeHiddenSizeIsAConfigError() throws IOException {
        refused(HostileModel.in(tmp).setConfig("text_config", "intermediate_size", "2000000000"),
                "config.json", "intermediate_size", "out of range");
    }

    @Test
    void headDimBeyondIntIsNotNarrowedSilently() throws IOException {
        // 2^32 + 32 became 32 (the real head_dim) through an int cast: the file was accepted.
        refused(HostileModel.in(tmp).setConfig("text_config", "head_dim", "4294967328"),
                "config.json", "head_dim", "out of range");
    }

    // ---- item 10 (c): vocab.json ids

    @Test
    void vocabularyWithARepeatedId() throws IOException {
        refused(HostileModel.in(tmp).editText("vocab.json", t -> t.replaceFirst("\"!\":0,", "\"!\":1,")),
                "vocab.json", "id 1 is used by two tokens");
    }

    @Test
    void vocabularyWithAGap() throws IOException {
        refused(HostileModel.in(tmp).editText("vocab.json", t -> t.replaceFirst(":151642}\\s*$", ":151650}")),
                "vocab.json", "id 151642 is missing");
    }

    // ---- item 11: files that cannot be read

    @Test
    void weightsFileThatIsAFolder() throws IOException {
        HostileModel m = HostileModel.in(tmp);
        Files.delete(m.dir().resolve("model.safetensors"));
        Files.createDirectory(m.dir().resolve("model.safetensors"));
        refused(m, "model.safetensors is a directory, not a file");
    }

    @Test
    void configFileThatIsAFolder() throws IOException {
        HostileModel m = HostileModel.in(tmp);
        Files.delete(m.dir().resolve("config.json"));
        Files.createDirectory(m.dir().resolve("config.json"));
        refused(m, "config.json is a directory, not a file");
    }

    @Test
    void tokenizerFileThatIsAFolder() throws IOException {
        HostileModel m = HostileModel.in(tmp);
        Files.delete(m.dir().resolve("vocab.json"));
        Files.createDirectory(m.dir().resolve("vocab.json"));
        refused(m, "vocab.json is a directory, not a file");
    }

    @Test
    void configFileThatIsAFifoDoesNotHang() throws Exception {
        HostileModel m = HostileModel.in(tmp);
        Path fifo = m.dir().resolve("config.json");
        Files.delete(fifo);
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertEquals(0, p.waitFor(), "mkfifo must exist for this test");
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> refused(m, "config.json", "not a regular file"));
    }

    /** A model with nothing damaged loads: the checks above refuse only what is wrong. */
    @Test
    void theUndamagedCopyLoads() throws IOException {
        try (QwenAsr asr = QwenAsr.load(HostileModel.in(tmp).dir(), 1)) {
            assertEquals(2, asr.info().decoderLayers());
        }
    }
}
