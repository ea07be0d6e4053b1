package io.github.qwenasr.cli;

import java.io.PrintStream;

/**
 * The tool's stderr: informational lines filtered by {@link Verbosity}, profile lines and errors
 * always (docs/modes.md 1.4). Every error is a single line starting with "Error: ".
 */
final class Log {
    private final PrintStream err;
    private final Verbosity verbosity;

    Log(PrintStream err, Verbosity verbosity) {
        this.err = err;
        this.verbosity = verbosity;
    }

    /** The stream itself, for output that draws its own lines (download progress). */
    PrintStream stream() {
        return err;
    }

    Verbosity verbosity() {
        return verbosity;
    }

    boolean debugEnabled() {
        return verbosity == Verbosity.DEBUG;
    }

    /** Default-verbosity status line (hidden by --silent). */
    void info(String line) {
        if (verbosity != Verbosity.SILENT) println(line);
    }

    /** --debug diagnostics. */
    void debug(String line) {
        if (verbosity == Verbosity.DEBUG) println(line);
    }

    /** A line the user asked for explicitly (--profile): shown at every verbosity. */
    void always(String line) {
        println(line);
    }

    /** The one user-facing error line. */
    void error(String message) {
        println("Error: " + oneLine(message));
    }

    /** Stack trace of {@code t}, for --debug. */
    void trace(Throwable t) {
        t.printStackTrace(err);
        err.flush();
    }

    private void println(String line) {
        err.println(line);
        err.flush();
    }

    /** Shows line breaks as \\r and \\n, so a diagnostic of model output stays on its line. */
    static String visibleLineBreaks(String s) {
        return s == null ? "" : s.replace("\r", "\\r").replace("\n", "\\n");
    }

    /** Collapses line breaks so an error can never spill over several lines. */
    static String oneLine(String message) {
        if (message == null || message.isBlank()) return "(no details)";
        return message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
