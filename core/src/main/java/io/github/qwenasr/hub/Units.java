package io.github.qwenasr.hub;

import java.util.Locale;

/** Human-readable sizes (binary units, labelled as such) and durations for progress lines. */
final class Units {
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB"};

    private Units() {
    }

    /** e.g. "512 B", "2.0 KiB", "25.3 MiB", "1.75 GiB": three significant digits from KiB up. */
    public static String bytes(long n) {
        if (n < 1024) return n + " B";
        double v = n;
        int u = 0;
        while (v >= 1024 && u < UNITS.length - 1) {
            v /= 1024;
            u++;
        }
        String fmt = v >= 100 ? "%.0f %s" : v >= 10 ? "%.1f %s" : "%.2f %s";
        return String.format(Locale.ROOT, fmt, v, UNITS[u]);
    }

    /** e.g. "42 s", "3:05", "1:02:03". */
    public static String duration(long seconds) {
        if (seconds < 60) return seconds + " s";
        long h = seconds / 3600;
        long m = seconds / 60 % 60;
        long s = seconds % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s) : String.format(Locale.ROOT, "%d:%02d", m, s);
    }
}
