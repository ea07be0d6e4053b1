package io.github.qwenasr.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code kernel.VectorWidth} is the only place in main code, in every module, that chooses a Vector
 * API species or shape (docs/kernels.md 6): the others derive theirs from {@code VectorWidth.FLOAT},
 * so the one width setting reaches every kernel, and a kernel cannot run at a width the tests of
 * that width never saw.
 */
class SpeciesChoiceTest {
    /** Naming a width or the preferred one: SPECIES_128, SPECIES_PREFERRED, VectorShape.S_256_BIT, ... */
    private static final Pattern CHOICE = Pattern.compile(
            "\\bSPECIES_(?:PREFERRED|MAX|\\d+)\\b|\\bS_(?:\\d+|Max)_BIT\\b|\\bpreferredShape\\s*\\(|\\bforBitSize\\s*\\(\\s*\\d");
    private static final String THE_PLACE = "core/src/main/java/io/github/qwenasr/kernel/VectorWidth.java";

    @Test
    void onlyVectorWidthChoosesASpecies() {
        Path root = RepositorySources.root();
        List<String> found = new ArrayList<>();
        boolean placeChooses = false;
        int scanned = 0;
        for (Path file : RepositorySources.files(root, RepositorySources::mainJava)) {
            scanned++;
            String rel = root.relativize(file).toString().replace('\\', '/');
            String text = RepositorySources.read(file);
            Matcher m = CHOICE.matcher(text);
            while (m.find()) {
                if (rel.equals(THE_PLACE)) {
                    placeChooses = true;
                } else {
                    found.add(rel + ":" + (text.substring(0, m.start()).split("\n", -1).length) + ": " + m.group());
                }
            }
        }
        assertTrue(scanned > 200, "only " + scanned + " main source files found; is the scan broken?");
        assertTrue(placeChooses, THE_PLACE + " names no species; is the pattern broken?");
        assertEquals(List.of(), found, "species chosen outside VectorWidth");
    }
}
