package io.github.qwenasr.format;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds the timed items the forced aligner would give for a text (docs/model.md 7.2: whitespace pieces,
 * only letters, numbers and apostrophes kept, each Han character a unit of its own), with evenly
 * spaced times.
 */
final class ItemFixtures {
    private ItemFixtures() {
    }

    static List<String> units(String text) {
        List<String> units = new ArrayList<>();
        for (String piece : text.trim().split("\\s+")) {
            StringBuilder run = new StringBuilder();
            piece.codePoints().forEach(cp -> {
                if (!(cp == '\'' || Character.isLetterOrDigit(cp))) return;
                if (Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN) {
                    if (!run.isEmpty()) units.add(run.toString());
                    run.setLength(0);
                    units.add(Character.toString(cp));
                } else {
                    run.appendCodePoint(cp);
                }
            });
            if (!run.isEmpty()) units.add(run.toString());
        }
        return units;
    }

    /** Units of {@code text}, each {@code step} seconds long, back to back from {@code start}. */
    static List<TimedItem> items(String text, double start, double step) {
        List<TimedItem> out = new ArrayList<>();
        double t = start;
        for (String u : units(text)) {
            double s = Math.round(t * 1000) / 1000.0;
            double e = Math.round((t + step) * 1000) / 1000.0;
            out.add(new TimedItem(u, s, e));
            t += step;
        }
        return out;
    }
}
