package io.github.qwenasr.align.japanese;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.align.AlignmentUnits;
import io.github.qwenasr.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Japanese case of the core's forced-aligner golden (produced by the official package, with nagisa):
 * with this module on the class path its units are those the official aligner timed (docs/model.md 7.2),
 * so the aligner input for it is the official one.
 */
class OfficialJapaneseCaseTest {
    @Test
    @SuppressWarnings("unchecked")
    void unitsOfTheOfficialJapaneseCaseMatch() throws IOException {
        Path root = Path.of(System.getProperty("qwenasr.root", ".."));
        Path manifest = root.resolve("core/src/test/resources/golden/tiny-aligner/manifest.json");
        assertTrue(Files.isRegularFile(manifest), "fixture missing: " + manifest);
        List<Map<String, Object>> cases = (List<Map<String, Object>>) Json.parseObject(Files.readString(manifest))
                .get("cases");
        int compared = 0;
        for (Map<String, Object> c : cases) {
            if (!"Japanese".equals(c.get("language"))) continue;
            assertEquals(c.get("units"), AlignmentUnits.split((String) c.get("text"), "Japanese"), (String) c.get("name"));
            compared++;
        }
        assertTrue(compared >= 1, "the golden has no Japanese case");
    }
}
