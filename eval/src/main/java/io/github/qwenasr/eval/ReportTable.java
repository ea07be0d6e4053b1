package io.github.qwenasr.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The report as a plain-text table, one row per mode (docs/modes.md 13.4): utterances, failures, word
 * counts and WER with its substitutions, deletions and insertions, the same in characters, then audio,
 * load and transcription seconds and the real-time factor; a last line names the primary metric.
 */
public final class ReportTable {
    private static final List<String> HEADER = List.of("mode", "utts", "failed", "words", "WER", "sub", "del", "ins",
            "chars", "CER", "c.sub", "c.del", "c.ins", "audio_s", "load_s", "wall_s", "RTF");

    private ReportTable() {
    }

    /** The table with a line per mode and the primary-metric line, each ending with a newline. */
    public static String render(EvalResult result) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        for (ModeReport r : result.modes()) {
            rows.add(List.of(r.mode().label(), count(r.utterances()), count(r.failures()),
                    count(r.words().reference()), percent(r.wordErrorRate()), count(r.words().substitutions()),
                    count(r.words().deletions()), count(r.words().insertions()),
                    count(r.characters().reference()), percent(r.characterErrorRate()),
                    count(r.characters().substitutions()), count(r.characters().deletions()),
                    count(r.characters().insertions()), fixed(r.audioSeconds(), 1), fixed(r.loadSeconds(), 1),
                    fixed(r.wallSeconds(), 1), fixed(r.realTimeFactor(), 3)));
        }
        int[] widths = new int[HEADER.size()];
        for (List<String> row : rows) {
            for (int c = 0; c < widths.length; c++) widths[c] = Math.max(widths[c], row.get(c).length());
        }
        StringBuilder out = new StringBuilder();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < widths.length; c++) {
                if (c > 0) line.append("  ");
                String cell = row.get(c);
                // The mode name left-aligned, every figure right-aligned.
                if (c == 0) {
                    line.append(cell).append(" ".repeat(widths[c] - cell.length()));
                } else {
                    line.append(" ".repeat(widths[c] - cell.length())).append(cell);
                }
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        out.append("Primary metric: ").append(result.primary())
                .append(result.primary() == PrimaryMetric.CER ? " (characters; the references' language is scored by character)"
                        : " (words)")
                .append('\n');
        return out.toString();
    }

    /** A rate as a percentage with two decimals, or "n/a" when the references were empty. */
    public static String percent(double rate) {
        return Double.isNaN(rate) ? "n/a" : String.format(Locale.ROOT, "%.2f%%", 100 * rate);
    }

    private static String fixed(double value, int decimals) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    private static String count(long n) {
        return Long.toString(n);
    }
}
