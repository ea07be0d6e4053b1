package io.github.qwenasr.cli;

import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C during {@code --stream}: the first SIGINT ends the input as if it had reached its end, so the
 * session is finished and the text so far is printed with its newline; a second one quits at once
 * (exit status 130, as the shell reports a process killed by SIGINT). Installed for one run and then
 * removed, restoring the previous handler. Where the platform offers no SIGINT (or the JVM was started
 * with -Xrs), nothing is installed and Ctrl-C keeps its default effect.
 */
final class InterruptHandler implements AutoCloseable {
    private static final Signal INT = intSignal();

    private final SignalHandler previous;

    private InterruptHandler(SignalHandler previous) {
        this.previous = previous;
    }

    /** Whether this platform has a SIGINT to handle. */
    static boolean available() {
        return INT != null;
    }

    /** Installs the handler; {@code firstInterrupt} runs on the signal thread and must only set flags. */
    static InterruptHandler install(Runnable firstInterrupt) {
        if (INT == null) return new InterruptHandler(null);
        AtomicInteger count = new AtomicInteger();
        try {
            return new InterruptHandler(Signal.handle(INT, sig -> {
                if (count.incrementAndGet() == 1) {
                    firstInterrupt.run();
                } else {
                    Runtime.getRuntime().halt(130);
                }
            }));
        } catch (IllegalArgumentException | IllegalStateException e) {
            return new InterruptHandler(null); // signal in use by the JVM (-Xrs) or unavailable
        }
    }

    @Override
    public void close() {
        if (previous == null) return;
        try {
            Signal.handle(INT, previous);
        } catch (IllegalArgumentException | IllegalStateException ignored) {
            // nothing to restore
        }
    }

    private static Signal intSignal() {
        try {
            return new Signal("INT");
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
