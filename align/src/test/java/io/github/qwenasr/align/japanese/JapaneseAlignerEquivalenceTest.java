package io.github.qwenasr.align.japanese;

import static org.junit.jupiter.api.Assertions.*;

import io.github.qwenasr.align.AlignedItem;
import io.github.qwenasr.align.AlignerInputIds;
import io.github.qwenasr.align.AlignmentResult;
import io.github.qwenasr.align.ForcedAligner;
import io.github.qwenasr.audio.AudioLoader;
import io.github.qwenasr.json.Json;
import io.github.qwenasr.tools.FileDigest;
import io.github.qwenasr.tools.Preset;
import io.github.qwenasr.tools.SyntheticCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Japanese case of the official aligner goldens (core/src/test/resources/golden/tiny-aligner,
 * made by tools/golden/make_aligner_golden.py with nagisa): with the Kuromoji segmenter on the class
 * path the engine gives the official units, input ids, raw classes and timestamps.
 */
class JapaneseAlignerEquivalenceTest {
    @Test
    @SuppressWarnings("unchecked")
    void japaneseCaseMatchesTheOfficialAligner() throws Exception {
        Path manifestFile = Path.of("..", "core", "src", "test", "resources", "golden", "tiny-aligner", "manifest.json");
        assertTrue(Files.isRegularFile(manifestFile), "golden fixture missing: " + manifestFile.toAbsolutePath());
        Map<String, Object> golden = Json.parseObject(Files.readString(manifestFile));
        Map<String, Object> c = ((List<Map<String, Object>>) golden.get("cases")).stream()
                .filter(x -> "japanese".equalsIgnoreCase((String) x.get("language"))).findFirst().orElseThrow();

        Path shared = SyntheticCheckpoint.defaultSharedDir();
        long seed = Json.getLong(golden, "seed", -1);
        Path dir = SyntheticCheckpoint.ensure(Preset.TINY_ALIGNER, seed, Path.of("target", "synthetic-models", "tiny-aligner-" + seed), 1, shared);
        String sha = (String) Json.object(golden, "weights_sha256").get("model.safetensors");
        assertEquals(sha, FileDigest.sha256Hex(dir.resolve("model.safetensors")), "regenerated weights differ from the golden's");

        String text = (String) c.get("text");
        float[] samples = AudioLoader.load16k(shared.resolve((String) Json.object(c, "audio").get("path")));
        assertEquals(((Number) c.get("samples")).intValue(), samples.length);
        try (ForcedAligner aligner = ForcedAligner.load(dir, 2)) {
            assertArrayEquals(ints(c.get("input_ids")), AlignerInputIds.of(aligner, samples.length, text, "Japanese"), "input ids");
            AlignmentResult r = aligner.align(samples, text, "Japanese");
            assertEquals(c.get("units"), r.items().stream().map(AlignedItem::text).toList(), "units");
            assertArrayEquals(ints(c.get("raw_classes")), r.rawClasses().stream().mapToInt(Integer::intValue).toArray(),
                    "raw classes");
            List<Map<String, Object>> items = (List<Map<String, Object>>) c.get("items");
            for (int i = 0; i < items.size(); i++) {
                assertEquals(((Number) items.get(i).get("start")).doubleValue(), r.items().get(i).startSeconds(), 0.0, "start " + i);
                assertEquals(((Number) items.get(i).get("end")).doubleValue(), r.items().get(i).endSeconds(), 0.0, "end " + i);
            }
            System.out.println("[tiny-aligner] " + c.get("name") + ": " + items.size() + " units, classes and times identical");
        }
    }

    private static int[] ints(Object list) {
        List<?> l = (List<?>) list;
        int[] out = new int[l.size()];
        for (int i = 0; i < out.length; i++) out[i] = ((Number) l.get(i)).intValue();
        return out;
    }
}
