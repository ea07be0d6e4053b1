package io.github.qwenasr.hub;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Renders download progress as text: {@link Style#BAR} redraws one line in place (carriage return)
 * with a bar, bytes, rate and time left, for a terminal; {@link Style#LINES} writes plain lines, a
 * progress line every few seconds, for logs and pipes. Each file ends with one permanent line in
 * both styles. (For no output at all use {@link ProgressListener#SILENT}.)
 */
public final class TextProgress implements ProgressListener {
    /** How progress is drawn. */
    public enum Style {
        /** One line redrawn in place, at most five times a second. */
        BAR,
        /** A new line per event and one progress line per interval. */
        LINES
    }

    private static final int BAR_WIDTH = 24;
    private static final long BAR_REDRAW_NANOS = Duration.ofMillis(200).toNanos();
    private static final String INDENT = "      ";

    private final PrintStream out;
    private final Style style;
    private final LongSupplier clock;
    private final long lineIntervalNanos;

    private long totalBytes;
    private int fileCount;
    private int index;
    private long fileStart;
    private long resumedFrom;
    private long lastDraw;
    private int drawnWidth;

    /** Progress on {@code out} in the given style, a line every 5 s in {@link Style#LINES}. */
    public TextProgress(PrintStream out, Style style) {
        this(out, style, System::nanoTime, Duration.ofSeconds(5));
    }

    /** With an explicit clock (nanoseconds) and line interval, for tests. */
    public TextProgress(PrintStream out, Style style, LongSupplier nanoClock, Duration lineInterval) {
        this.out = out;
        this.style = style;
        this.clock = nanoClock;
        this.lineIntervalNanos = lineInterval.toNanos();
    }

    @Override
    public void waitingForLock(Path lockFile) {
        line("Waiting for another download into " + lockFile.getParent() + " to finish...");
    }

    @Override
    public void started(RepoSnapshot snapshot, Path dir, List<RemoteFile> files) {
        fileCount = files.size();
        totalBytes = files.stream().mapToLong(f -> Math.max(0, f.size())).sum();
        String commit = snapshot.commit() == null ? "" : ", commit " + snapshot.commit().substring(0, Math.min(12, snapshot.commit().length()));
        line("Downloading " + snapshot.repoId() + " (revision " + snapshot.revision() + commit + "), "
                + count(fileCount) + ", " + Units.bytes(totalBytes) + ", into " + dir);
    }

    @Override
    public void checking(RemoteFile file, int index, int count) {
        if (style == Style.BAR) draw(prefix(index, count, file) + ": checking the file already there...");
    }

    @Override
    public void planned(int filesToFetch, long bytesToFetch) {
        if (filesToFetch == 0) {
            line("All files are already downloaded and verified");
        } else if (filesToFetch < fileCount) {
            line("To download: " + count(filesToFetch) + ", " + Units.bytes(bytesToFetch));
        }
    }

    private static String count(int files) {
        return files + (files == 1 ? " file" : " files");
    }

    @Override
    public void fileSkipped(RemoteFile file, int index, int count) {
        line(prefix(index, count, file) + ": already downloaded");
    }

    @Override
    public void fileStarted(RemoteFile file, int index, int count, long resumeFrom) {
        this.index = index;
        this.fileCount = count;
        this.fileStart = clock.getAsLong();
        this.resumedFrom = resumeFrom;
        this.lastDraw = fileStart;
        String size = file.size() >= 0 ? " (" + Units.bytes(file.size()) + ")" : "";
        String resume = resumeFrom > 0 ? ", resuming at " + Units.bytes(resumeFrom) : "";
        if (style == Style.LINES) {
            line(prefix(index, count, file) + size + resume);
        } else {
            draw(barLine(file, resumeFrom));
        }
    }

    @Override
    public void progress(RemoteFile file, long done) {
        long now = clock.getAsLong();
        if (style == Style.BAR) {
            if (now - lastDraw < BAR_REDRAW_NANOS) return;
            lastDraw = now;
            draw(barLine(file, done));
        } else {
            if (now - lastDraw < lineIntervalNanos) return;
            lastDraw = now;
            String of = file.size() > 0
                    ? " of " + Units.bytes(file.size()) + String.format(Locale.ROOT, " (%d%%)", percent(done, file.size())) : "";
            line(INDENT + file.path() + ": " + Units.bytes(done) + of + ", " + rateAndEta(file, done, now));
        }
    }

    @Override
    public void restarting(RemoteFile file, String reason) {
        resumedFrom = 0;
        fileStart = clock.getAsLong();
        line(INDENT + file.path() + ": " + reason + "; downloading it from the start");
    }

    @Override
    public void retrying(RemoteFile file, int attempt, int maxAttempts, Duration delay, String reason) {
        line(INDENT + reason + "; retrying in " + Units.duration(Math.max(1, delay.toSeconds()))
                + " (attempt " + attempt + " of " + maxAttempts + ")");
    }

    @Override
    public void fileFinished(RemoteFile file) {
        long size = Math.max(0, file.size());
        double seconds = (clock.getAsLong() - fileStart) / 1e9;
        String detail = Units.bytes(size);
        if (seconds >= 1 && size - resumedFrom > 0) {
            detail += " in " + Units.duration(Math.round(seconds)) + ", " + Units.bytes((long) ((size - resumedFrom) / seconds)) + "/s";
        }
        line(prefix(index, fileCount, file) + ": done, verified (" + detail + ")");
    }

    @Override
    public void finished(RepoSnapshot snapshot, Path dir) {
        line(snapshot.repoId() + " is ready in " + dir);
    }

    // ---- drawing ----

    private String barLine(RemoteFile file, long done) {
        StringBuilder sb = new StringBuilder(prefix(index, fileCount, file)).append("  ");
        long now = clock.getAsLong();
        if (file.size() > 0) {
            int filled = (int) (BAR_WIDTH * Math.min(1.0, done / (double) file.size()));
            sb.append('[').append("#".repeat(filled)).append("-".repeat(BAR_WIDTH - filled)).append("] ")
                    .append(String.format(Locale.ROOT, "%3d%%  ", percent(done, file.size())))
                    .append(Units.bytes(done)).append(" / ").append(Units.bytes(file.size()));
        } else {
            sb.append(Units.bytes(done));
        }
        return sb.append("  ").append(rateAndEta(file, done, now)).toString();
    }

    private String rateAndEta(RemoteFile file, long done, long now) {
        double seconds = (now - fileStart) / 1e9;
        long moved = done - resumedFrom;
        if (seconds < 0.5 || moved <= 0) return "-- /s";
        double rate = moved / seconds;
        String s = Units.bytes((long) rate) + "/s";
        if (file.size() > done) s += ", " + Units.duration(Math.round((file.size() - done) / rate)) + " left";
        return s;
    }

    private static int percent(long done, long size) {
        return (int) Math.min(100, done * 100 / size);
    }

    private static String prefix(int index, int count, RemoteFile file) {
        return "[" + index + "/" + count + "] " + file.path();
    }

    /** Redraws the in-place line (bar style). */
    private void draw(String text) {
        int pad = Math.max(0, drawnWidth - text.length());
        out.print("\r" + text + " ".repeat(pad));
        out.flush();
        drawnWidth = text.length();
    }

    /** A permanent line; in bar style it replaces the in-place line. */
    private void line(String text) {
        if (drawnWidth > 0) {
            out.print("\r" + " ".repeat(drawnWidth) + "\r");
            drawnWidth = 0;
        }
        out.println(text);
        out.flush();
    }
}
