package io.github.qwenasr.format;

import java.util.Locale;

/** Subtitle timestamps HH:MM:SS followed by the fraction separator and milliseconds. */
final class Timecodes {
    private Timecodes() {
    }

    static String format(long ms, char fractionSeparator) {
        long t = Math.max(0, ms);
        return String.format(Locale.ROOT, "%02d:%02d:%02d%c%03d",
                t / 3_600_000, t / 60_000 % 60, t / 1000 % 60, fractionSeparator, t % 1000);
    }
}
