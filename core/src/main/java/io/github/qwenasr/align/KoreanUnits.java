package io.github.qwenasr.align;

import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.prompt.PyStrings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Korean units for the forced aligner (docs/model.md 7.2): each whitespace-separated word of three or more
 * characters is cut after its longest dictionary prefix of at least two characters (the whole word when
 * none matches), as the official package's soynlp {@code LTokenizer} with zero tolerance does; both
 * parts are then cleaned like every other unit. The dictionary is the official one's word column
 * (resource {@code korean_words.txt}).
 */
final class KoreanUnits {
    private static final String RESOURCE = "korean_words.txt";
    private static volatile Set<String> words;

    private KoreanUnits() {
    }

    /** Appends the units of {@code text} to {@code out}. */
    static void split(String text, List<String> out) {
        Set<String> dict = dictionary();
        for (String word : PyStrings.split(text)) {
            int[] cps = word.codePoints().toArray();
            int cut = cps.length;
            if (cps.length > 2) {
                // Longest dictionary prefix wins; without one, the whole word stays (cut = length).
                for (int e = cps.length; e >= 2; e--) {
                    if (dict.contains(new String(cps, 0, e))) {
                        cut = e;
                        break;
                    }
                }
            }
            addCleaned(new String(cps, 0, cut), out);
            addCleaned(new String(cps, cut, cps.length - cut), out);
        }
    }

    private static void addCleaned(String part, List<String> out) {
        String cleaned = AlignmentUnits.clean(part);
        if (!cleaned.isEmpty()) out.add(cleaned);
    }

    private static Set<String> dictionary() {
        Set<String> d = words;
        if (d == null) {
            synchronized (KoreanUnits.class) {
                d = words;
                if (d == null) words = d = load();
            }
        }
        return d;
    }

    private static Set<String> load() {
        try (InputStream in = KoreanUnits.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new QwenAsrException("the Korean word list " + RESOURCE + " is missing from the library");
            Set<String> set = new HashSet<>(40_000);
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.isEmpty() && !line.startsWith("#")) set.add(line);
            }
            return Set.copyOf(set);
        } catch (IOException e) {
            throw new QwenAsrException("cannot read the Korean word list: " + e.getMessage(), e);
        }
    }
}
