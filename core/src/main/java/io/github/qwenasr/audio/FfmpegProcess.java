package io.github.qwenasr.audio;

import io.github.qwenasr.QwenAsrException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One running ffmpeg decode (docs/modes.md 2.6): its stdout is the decoded WAV stream, its stderr is
 * drained by a thread into {@link FfmpegDiagnostics} (so a flood of messages can never block it), and
 * its input is a file named on the command line or, for a stream, bytes copied to its stdin by a
 * feeder thread as they arrive.
 *
 * <p>Nothing waits without a bound: a decode whose reader has waited {@code stallMillis} for output
 * is stopped (a hung decoder), the exit is awaited for at most {@value #EXIT_SECONDS} s once the
 * output has ended, and {@link #close()} kills the process. {@link #finish()} judges the decode once
 * its output has been read to the end: exit status, errors and damage warnings.
 */
final class FfmpegProcess implements AutoCloseable {
    static final long EXIT_SECONDS = 30;
    private static final long STDERR_JOIN_MILLIS = 5_000;

    private final Process process;
    private final String name;
    private final FfmpegDiagnostics diagnostics;
    private final Thread stderrDrain;
    private final Thread feeder;
    private final InputStream output;
    private final long stallNanos;
    /** When the current blocking read of the output began, or 0 while not reading. */
    private volatile long readingSince;
    private volatile boolean stalled;
    private volatile IOException feedError;
    private volatile boolean closed;

    private FfmpegProcess(Process process, String name, FfmpegDiagnostics diagnostics, InputStream feed,
                          long stallMillis) {
        this.process = process;
        this.name = name;
        this.diagnostics = diagnostics;
        this.stallNanos = stallMillis <= 0 ? 0 : TimeUnit.MILLISECONDS.toNanos(stallMillis);
        this.output = new WatchedOutput(process.getInputStream());
        this.stderrDrain = Thread.ofPlatform().daemon().name("qwen-asr-ffmpeg-stderr").start(this::drainStderr);
        this.feeder = feed == null ? null : Thread.ofPlatform().daemon().name("qwen-asr-ffmpeg-feed")
                .start(() -> feed(feed));
        if (feed == null) closeQuietly(process.getOutputStream());
        if (stallNanos > 0) Thread.ofPlatform().daemon().name("qwen-asr-ffmpeg-watch").start(this::watch);
    }

    /**
     * Starts ffmpeg on {@code input} ({@code file:...}, or {@code pipe:0} with {@code feed} copied to it).
     *
     * @param name        how errors name the input
     * @param kind        its format as sniffed, for messages (null when not known)
     * @param stallMillis how long a read of the output may wait before ffmpeg is judged hung (0: forever,
     *                    for live input that may pause)
     */
    static FfmpegProcess start(Ffmpeg ffmpeg, String input, InputStream feed, String name, InputFormat kind,
                               long stallMillis) {
        ffmpeg.require(name + ": " + AudioInput.describe(kind));
        List<String> command = ffmpeg.decodeCommand(input, feed != null);
        Process p;
        try {
            p = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new QwenAsrException("cannot run " + ffmpeg + ": " + WavDecoder.describe(e), e);
        }
        String url = input.startsWith("file:") ? input : "";
        String label = kind == null || kind == InputFormat.UNKNOWN ? null : kind.label();
        return new FfmpegProcess(p, name, new FfmpegDiagnostics(ffmpeg.levelTags(), url, name, label), feed,
                stallMillis);
    }

    /** The decoded WAV stream. */
    InputStream output() {
        return output;
    }

    /**
     * Call once the output has ended: waits for ffmpeg to exit and fails with one line when it did
     * not decode the whole input cleanly.
     */
    void finish() {
        int status;
        try {
            if (!process.waitFor(EXIT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new QwenAsrException(name + ": ffmpeg closed its output but did not exit within "
                        + EXIT_SECONDS + " s; stopped it");
            }
            status = process.exitValue();
            stderrDrain.join(STDERR_JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new QwenAsrException("interrupted while waiting for ffmpeg to decode " + name);
        }
        if (feedError != null) {
            throw new QwenAsrException("cannot read audio from " + name + ": " + WavDecoder.describe(feedError),
                    feedError);
        }
        if (stalled) {
            throw new QwenAsrException(name + ": ffmpeg produced no audio for "
                    + TimeUnit.NANOSECONDS.toSeconds(stallNanos) + " s; stopped it");
        }
        String failure = diagnostics.failure(status);
        if (failure != null) throw new QwenAsrException(failure);
    }

    /**
     * After a read of the output failed: ffmpeg's reason if it exits within {@code millis} having
     * failed, else null (it is still running, or it succeeded, so the reader's error stands).
     */
    String failureOnceExited(long millis) {
        try {
            if (!process.waitFor(millis, TimeUnit.MILLISECONDS)) return null;
            stderrDrain.join(STDERR_JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        return diagnostics.failure(process.exitValue());
    }

    /** Whether {@link #close()} was called (reads failing afterwards are expected, not errors). */
    boolean closed() {
        return closed;
    }

    /** Kills ffmpeg (if still running) and releases its streams; the feeder thread ends with its pipe. */
    @Override
    public void close() {
        closed = true;
        process.destroyForcibly();
        closeQuietly(output);
        closeQuietly(process.getOutputStream());
        if (feeder != null) feeder.interrupt();
    }

    private void drainStderr() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) diagnostics.accept(line);
        } catch (IOException ignored) {
            // the process was killed; finish() or close() reports why
        }
    }

    /** Copies the stream to ffmpeg's stdin as it arrives; closes it at the end so ffmpeg sees the end. */
    private void feed(InputStream in) {
        OutputStream to = process.getOutputStream();
        byte[] buf = new byte[16 * 1024];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (closed) return;
                try {
                    to.write(buf, 0, n);
                    to.flush();
                } catch (IOException e) {
                    return; // ffmpeg stopped reading (it ended or failed): its exit status tells why
                }
            }
        } catch (IOException e) {
            if (!closed) feedError = e;
        } finally {
            closeQuietly(to);
        }
    }

    private void watch() {
        while (process.isAlive() && !closed) {
            long since = readingSince;
            if (since != 0 && System.nanoTime() - since > stallNanos) {
                stalled = true;
                process.destroyForcibly();
                return;
            }
            try {
                Thread.sleep(Math.min(250, Math.max(1, TimeUnit.NANOSECONDS.toMillis(stallNanos) / 4)));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing a pipe of a process that is gone loses nothing
        }
    }

    /** The process's stdout, marking when a read is waiting so the watchdog can see a hang. */
    private final class WatchedOutput extends InputStream {
        private final InputStream in;

        WatchedOutput(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            readingSince = System.nanoTime();
            try {
                return in.read(b, off, len);
            } finally {
                readingSince = 0;
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
