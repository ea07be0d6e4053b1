package io.github.qwenasr.cli;

import io.github.qwenasr.tools.Preset;
import io.github.qwenasr.tools.SyntheticCheckpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged model folders through the whole command (issue 20, items 9-11): one "Error:" line naming
 * the file, exit status 1, nothing on stdout, never the internal-error status 3 a stack overflow or
 * arithmetic exception used to give.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileModelFolderTest {
    @TempDir
    static Path tmp;
    private Path model;

    @BeforeAll
    void generateModel() throws IOException {
        model = SyntheticCheckpoint.generate(Preset.TINY, 7, tmp.resolve("tiny"), 1, TestFiles.shared());
    }

    /** A folder of links to the generated model's files, with {@code name} replaced by {@code bytes}. */
    private Path damaged(String folder, String name, byte[] bytes) throws IOException {
        Path dir = Files.createDirectory(tmp.resolve(folder));
        try (Stream<Path> files = Files.list(model)) {
            for (Path f : files.toList()) {
                if (!f.getFileName().toString().equals(name)) {
                    Files.createSymbolicLink(dir.resolve(f.getFileName()), f.toAbsolutePath());
                }
            }
        }
        if (bytes != null) Files.write(dir.resolve(name), bytes);
        return dir;
    }

    private static CliRun transcribe(Path dir) {
        return CliRun.of("-d", dir.toString(), "-i", TestFiles.speechWav().toString(), "-t", "1", "--max-new-tokens", "2");
    }

    @Test
    void deeplyNestedConfig() throws IOException {
        String config = Files.readString(model.resolve("config.json"));
        String deep = "{\"deep\": " + "[".repeat(10_000) + "]".repeat(10_000) + "," + config.substring(config.indexOf('{') + 1);
        transcribe(damaged("deep-config", "config.json", deep.getBytes(StandardCharsets.UTF_8)))
                .assertFailure(ExitCodes.FAILURE, "config.json", "nesting deeper than 512 levels");
    }

    @Test
    void tensorShapeThatOverflows() throws IOException {
        byte[] file = Files.readAllBytes(model.resolve("model.safetensors"));
        int len = (int) ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        String header = new String(file, 8, len, StandardCharsets.UTF_8);
        String from = "\"thinker.model.norm.weight\":{\"dtype\":\"BF16\",\"shape\":[64]";
        if (!header.contains(from)) throw new IllegalStateException("unexpected header layout: " + from);
        byte[] h = header.replace(from, from.replace("[64]", "[1099511627776,1099511627776]")).getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + file.length - 8 - len).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(file, 8 + len, file.length - 8 - len);
        transcribe(damaged("huge-shape", "model.safetensors", b.array()))
                .assertFailure(ExitCodes.FAILURE, "model.safetensors", "thinker.model.norm.weight", "too large");
    }

    @Test
    void weightsFileThatIsAFolder() throws IOException {
        Path dir = damaged("folder-weights", "model.safetensors", null);
        Files.createDirectory(dir.resolve("model.safetensors"));
        transcribe(dir).assertFailure(ExitCodes.FAILURE, "model.safetensors is a directory, not a file");
    }
}
