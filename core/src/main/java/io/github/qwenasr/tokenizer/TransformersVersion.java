package io.github.qwenasr.tokenizer;

import io.github.qwenasr.QwenAsrException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compares a {@code transformers_version} string with a plain release such as 4.57.2, with the
 * ordering of Python's {@code packaging.version} (PEP 440) for the forms that occur in practice:
 * release numbers, then pre-releases (a/b/rc), post-releases, dev-releases and a local label.
 * Used only by {@link PreTokenizerRegex#choose(String, String)} (docs/model.md 6.3a).
 */
final class TransformersVersion {
    private static final Pattern PEP440 = Pattern.compile(
            "v?(?:(\\d+)!)?(\\d+(?:\\.\\d+)*)"
                    + "(?:[-_.]?(a|alpha|b|beta|c|rc|pre|preview)[-_.]?(\\d*))?"
                    + "(?:(?:-(\\d+))|(?:[-_.]?(post|rev|r)[-_.]?(\\d*)))?"
                    + "(?:[-_.]?(dev)[-_.]?(\\d*))?"
                    + "(?:\\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?",
            Pattern.CASE_INSENSITIVE);

    private final long epoch;
    private final long[] release;
    private final boolean pre;
    private final boolean post;
    private final boolean dev;
    private final boolean local;

    private TransformersVersion(long epoch, long[] release, boolean pre, boolean post, boolean dev, boolean local) {
        this.epoch = epoch;
        this.release = release;
        this.pre = pre;
        this.post = post;
        this.dev = dev;
        this.local = local;
    }

    static TransformersVersion parse(String text) {
        Matcher m = PEP440.matcher(text.strip());
        if (!m.matches()) throw new QwenAsrException("Invalid transformers_version: " + text);
        String[] parts = m.group(2).split("\\.");
        long[] rel = new long[parts.length];
        try {
            for (int i = 0; i < parts.length; i++) rel[i] = Long.parseLong(parts[i]);
        } catch (NumberFormatException e) {
            throw new QwenAsrException("Invalid transformers_version: " + text);
        }
        long ep = m.group(1) == null ? 0 : Long.parseLong(m.group(1));
        boolean isPost = m.group(5) != null || m.group(6) != null;
        return new TransformersVersion(ep, rel, m.group(3) != null, isPost, m.group(8) != null, m.group(10) != null);
    }

    /**
     * Sign of (this − plain release {@code major.minor.patch}). Against a plain release, any
     * pre- or dev-release of the same numbers sorts below it; a post-release or a local label
     * sorts above it.
     */
    int compareToRelease(long... other) {
        if (epoch != 0) return epoch > 0 ? 1 : -1;
        int n = Math.max(release.length, other.length);
        for (int i = 0; i < n; i++) {
            long a = i < release.length ? release[i] : 0;   // trailing zeros do not count
            long b = i < other.length ? other[i] : 0;
            if (a != b) return a < b ? -1 : 1;
        }
        if (pre) return -1;
        if (post) return 1;
        if (dev) return -1;
        return local ? 1 : 0;
    }
}
