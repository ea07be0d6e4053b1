package io.github.qwenasr.cli;

import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress of a run over many inputs on stderr (docs/modes.md 1.9): a line when an input is done, at
 * most one every {@link #INTERVAL_NANOS} (the last one always), and a summary at the end; files
 * done of all, hours of audio and the realtime factor (audio seconds per wall-clock second since
 * the first input started). Hidden by --silent like every status line. Thread-safe.
 */
final class ManyInputsProgress {
    static final long INTERVAL_NANOS = 5_000_000_000L;

    private final Log log;
    private final int total;
    private final LongSupplier clock;
    private final long start;
    private long lastLine;
    private int done;
    private int failed;
    private double audioSeconds;

    ManyInputsProgress(Log log, int total, LongSupplier clock) {
        this.log = log;
        this.total = total;
        this.clock = clock;
        this.start = clock.getAsLong();
        this.lastLine = start;
    }

    /** One input ended: transcribed ({@code audioSeconds} of audio) or failed. */
    synchronized void inputDone(boolean ok, double audioSeconds) {
        done++;
        if (ok) this.audioSeconds += audioSeconds;
        else failed++;
        long now = clock.getAsLong();
        if (done == total || now - lastLine < INTERVAL_NANOS) return; // the summary follows the last
        lastLine = now;
        log.info(String.format(Locale.ROOT, "Progress: %d/%d files%s, %s of audio, %s", done, total,
                failed == 0 ? "" : " (" + failed + " failed)", hours(this.audioSeconds), realtime(now)));
    }

    /** The summary line. */
    synchronized void finish() {
        long now = clock.getAsLong();
        log.info(String.format(Locale.ROOT, "Done: %d of %d files transcribed%s; %s of audio in %.1f s, %s",
                done - failed, total, failed == 0 ? "" : ", " + failed + " failed", hours(audioSeconds),
                (now - start) / 1e9, realtime(now)));
    }

    synchronized int failed() {
        return failed;
    }

    private static String hours(double seconds) {
        return String.format(Locale.ROOT, "%.3f h", seconds / 3600);
    }

    private String realtime(long now) {
        double wall = (now - start) / 1e9;
        return wall <= 0 ? "realtime factor n/a" : String.format(Locale.ROOT, "%.2fx realtime", audioSeconds / wall);
    }
}
