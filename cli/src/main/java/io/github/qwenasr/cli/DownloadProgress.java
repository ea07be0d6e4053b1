package io.github.qwenasr.cli;

import io.github.qwenasr.hub.ProgressListener;
import io.github.qwenasr.hub.TextProgress;
import java.io.PrintStream;
import java.util.Map;
import java.util.function.Supplier;

/**
 * How a model download shows itself on stderr, for {@code qwen-asr download} and for the download a
 * first transcription makes (docs/modes.md 1.7): a redrawn bar on a terminal, plain lines every few
 * seconds otherwise, nothing when silent; and on Ctrl-C a line saying that running the same command
 * again resumes it.
 */
final class DownloadProgress {
    /**
     * Set by the launcher to 1 or 0: whether stderr is a terminal. The JVM cannot tell by itself
     * (System.console() looks at stdin and stdout).
     */
    static final String STDERR_TTY_ENV = "QWEN_ASR_STDERR_TTY";

    private DownloadProgress() {
    }

    static ProgressListener listener(PrintStream err, Map<String, String> env, boolean silent) {
        if (silent) return ProgressListener.SILENT;
        return new TextProgress(err, stderrIsTerminal(env) ? TextProgress.Style.BAR : TextProgress.Style.LINES);
    }

    /** Runs {@code download}, printing the resume notice if the process is interrupted meanwhile. */
    static <T> T withResumeNotice(PrintStream err, boolean silent, Supplier<T> download) {
        Thread onInterrupt = new Thread(() -> {
            err.println();
            err.println("Interrupted: run the same command again to resume the download.");
            err.flush();
        });
        if (!silent) Runtime.getRuntime().addShutdownHook(onInterrupt);
        try {
            return download.get();
        } finally {
            if (!silent) removeHook(onInterrupt);
        }
    }

    /** Ends the interruption notice once the download is over (the JVM may already be shutting down). */
    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // Shutdown under way: the notice is being printed, as it should.
        }
    }

    private static boolean stderrIsTerminal(Map<String, String> env) {
        String flag = env.get(STDERR_TTY_ENV);
        if (flag != null && !flag.isBlank()) return flag.strip().equals("1");
        return System.console() != null && System.console().isTerminal();
    }
}
