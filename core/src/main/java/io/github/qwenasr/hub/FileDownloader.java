package io.github.qwenasr.hub;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Downloads one file of a repository into a model directory so that an interruption at any moment
 * loses nothing and a wrong file never looks finished:
 *
 * <ol>
 *   <li>bytes go to {@code <name>.part}; an existing one is resumed with {@code Range: bytes=N-};</li>
 *   <li>the answer is checked: a 206 must start at N, a 200 (the server ignored the range) empties
 *       the part file and starts over instead of appending, a 416 starts over;</li>
 *   <li>dropped or stalled connections and busy servers are retried with a doubling delay, resuming
 *       each time;</li>
 *   <li>the size and checksum (sha256 of LFS files, the git blob id of the others) are verified; a
 *       mismatch deletes the part file and fails naming the file;</li>
 *   <li>only then is the part file flushed and renamed to its final name in one atomic step.</li>
 * </ol>
 */
final class FileDownloader {
    private static final int BUFFER_SIZE = 1 << 20;

    private final HubClient hub;
    private final DownloadOptions options;
    private final ProgressListener listener;

    FileDownloader(HubClient hub, DownloadOptions options, ProgressListener listener) {
        this.hub = hub;
        this.options = options;
        this.listener = listener;
    }

    /** Downloads {@code file} of {@code snapshot} to {@code dir/<name>}; the caller holds the directory's lock. */
    void download(RepoSnapshot snapshot, RemoteFile file, Path dir, int index, int count) {
        Path target = dir.resolve(file.path());
        Path partPath = partPath(dir, file);
        try (PartFile part = PartFile.open(partPath, ContentDigest.of(file))) {
            if (file.size() >= 0 && part.length() > file.size()) part.restart();
            listener.fileStarted(file, index, count, part.length());
            transferWithRetries(snapshot, file, part);
            verify(file, part);
            part.force();
        } catch (HubException e) {
            deleteIfEmpty(partPath);
            throw e;
        } catch (IOException e) {
            throw diskError(file, dir, e);
        }
        moveIntoPlace(partPath, target);
        listener.fileFinished(file);
    }

    /** A part file that never got a byte is just clutter. */
    private static void deleteIfEmpty(Path part) {
        try {
            if (Files.size(part) == 0) Files.delete(part);
        } catch (IOException ignored) {
            // Gone already, or not ours to judge: leave it.
        }
    }

    static Path partPath(Path dir, RemoteFile file) {
        return dir.resolve(file.path() + ".part");
    }

    private void transferWithRetries(RepoSnapshot snapshot, RemoteFile file, PartFile part) throws IOException {
        int failures = 0;
        while (file.size() < 0 || part.length() < file.size()) {
            long before = part.length();
            try {
                if (transferOnce(snapshot, file, part)) return;
            } catch (HubException e) {
                if (!e.retryable()) throw e;
                if (part.length() > before) failures = 0;
                failures++;
                if (failures >= options.maxAttempts()) {
                    throw new HubException(file.path() + ": giving up after " + failures + " failed attempts; run the command again"
                            + " to resume (" + e.getMessage() + ")", false, e);
                }
                Duration delay = options.delayAfter(failures);
                listener.retrying(file, failures + 1, options.maxAttempts(), delay, e.getMessage());
                sleep(delay);
                part.resync();
            }
        }
    }

    /**
     * One request: returns true when the whole file has arrived, throws a retryable
     * {@link HubException} when the transfer broke off.
     */
    private boolean transferOnce(RepoSnapshot snapshot, RemoteFile file, PartFile part) throws IOException {
        long offset = part.length();
        try (HubClient.FileResponse r = hub.open(snapshot.repoId(), snapshot.pinnedRevision(), file.path(), offset)) {
            long expectedEnd = file.size();
            switch (r.status()) {
                case 416 -> {
                    part.restart();
                    listener.restarting(file, r.host() + " cannot resume at byte " + offset);
                    throw new HubException(file.path() + ": the server could not resume the download", true);
                }
                case 206 -> {
                    if (r.rangeStart() != offset) {
                        part.restart();
                        listener.restarting(file, r.host() + " sent a range starting at byte " + r.rangeStart()
                                + " instead of " + offset);
                        throw new HubException(file.path() + ": the server sent the wrong part of the file", true);
                    }
                    if (r.rangeTotal() >= 0) {
                        if (expectedEnd >= 0 && r.rangeTotal() != expectedEnd) throw sizeDiffers(file, r.rangeTotal(), r.host());
                        expectedEnd = r.rangeTotal();
                    }
                }
                default -> { // 200: the whole file, whatever was asked
                    if (offset > 0) {
                        part.restart();
                        listener.restarting(file, r.host() + " ignored the request to resume at byte " + offset);
                    }
                    if (r.contentLength() >= 0) {
                        if (expectedEnd >= 0 && r.contentLength() != expectedEnd) throw sizeDiffers(file, r.contentLength(), r.host());
                        expectedEnd = r.contentLength();
                    }
                }
            }
            copyBody(file, r, part, expectedEnd);
            if (expectedEnd >= 0 && part.length() < expectedEnd) {
                throw new HubException(file.path() + ": connection closed by " + r.host() + " after "
                        + Units.bytes(part.length()) + " of " + Units.bytes(expectedEnd), true);
            }
            return true;
        }
    }

    /** Streams the body into the part file, dropping the connection when it stays idle too long. */
    private void copyBody(RemoteFile file, HubClient.FileResponse r, PartFile part, long expectedEnd) throws IOException {
        AtomicLong lastData = new AtomicLong(System.nanoTime());
        AtomicBoolean stalled = new AtomicBoolean();
        AtomicBoolean done = new AtomicBoolean();
        Thread watchdog = Thread.ofVirtual().name("qwen-asr-download-watchdog").start(() -> watch(r, lastData, stalled, done));
        byte[] buf = new byte[BUFFER_SIZE];
        InputStream in = r.body();
        try {
            while (true) {
                int n;
                try {
                    n = in.read(buf);
                } catch (IOException e) {
                    throw broken(file, r, part, stalled.get() ? null : e);
                }
                if (n < 0) {
                    if (stalled.get()) throw broken(file, r, part, null);
                    return;
                }
                lastData.set(System.nanoTime());
                if (expectedEnd >= 0 && part.length() + n > expectedEnd) {
                    throw new HubException(file.path() + ": " + r.host() + " sent more than the " + Units.bytes(expectedEnd)
                            + " the file should have", false);
                }
                part.append(buf, 0, n);
                listener.progress(file, part.length());
            }
        } finally {
            done.set(true);
            watchdog.interrupt();
        }
    }

    private void watch(HubClient.FileResponse r, AtomicLong lastData, AtomicBoolean stalled, AtomicBoolean done) {
        long idle = options.idleTimeout().toNanos();
        long tick = Math.max(1, Math.min(options.idleTimeout().toMillis() / 4, 1000));
        while (!done.get()) {
            try {
                Thread.sleep(tick);
            } catch (InterruptedException e) {
                return;
            }
            if (!done.get() && System.nanoTime() - lastData.get() > idle) {
                stalled.set(true);
                r.close(); // wakes the reader, which then reports the stall
                return;
            }
        }
    }

    private HubException broken(RemoteFile file, HubClient.FileResponse r, PartFile part, IOException cause) {
        String why = cause == null
                ? "no data from " + r.host() + " for " + options.idleTimeout().toSeconds() + " s"
                : "connection to " + r.host() + " lost (" + HubClient.describe(cause) + ")";
        return new HubException(file.path() + ": " + why + " after " + Units.bytes(part.length())
                + (file.size() >= 0 ? " of " + Units.bytes(file.size()) : ""), true, cause);
    }

    private static HubException sizeDiffers(RemoteFile file, long served, String host) {
        return new HubException(file.path() + ": " + host + " serves " + served + " bytes but the hub lists " + file.size()
                + "; the repository may have changed during the download: run the command again", false);
    }

    /** Checks size and checksum; a mismatch deletes the part file so nothing wrong survives. */
    private static void verify(RemoteFile file, PartFile part) throws IOException {
        String problem = null;
        if (file.size() >= 0 && part.length() != file.size()) {
            problem = "size " + part.length() + " bytes, expected " + file.size();
        } else {
            ContentDigest expected = ContentDigest.of(file);
            String actual = part.checksumHex();
            if (expected != null && actual != null && !actual.equals(expected.expected())) {
                problem = expected.label() + " " + actual + ", expected " + expected.expected();
            }
        }
        if (problem != null) {
            part.close();
            Files.deleteIfExists(part.path());
            throw new HubException(file.path() + " failed verification (" + problem + "): the downloaded data was"
                    + " discarded; run the command again, and if it fails again the server (or the mirror in "
                    + HubClient.ENDPOINT_ENV + ") serves a different file than it lists", false);
        }
    }

    private static void moveIntoPlace(Path part, Path target) {
        try {
            try {
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new HubException("cannot rename " + part + " to " + target.getFileName() + ": " + HubClient.describe(e), false, e);
        }
    }

    /** A local write failure; "disk full" gets its own advice. */
    static HubException diskError(RemoteFile file, Path dir, IOException e) {
        String m = HubClient.describe(e);
        String lower = m.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("no space left") || lower.contains("not enough space") || lower.contains("disk quota")) {
            return new HubException("disk full while writing " + file.path() + " in " + dir + ": free some space and run the"
                    + " command again (the download resumes where it stopped)", false, e);
        }
        return new HubException("cannot write " + file.path() + " in " + dir + ": " + m, false, e);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubException("interrupted", false, e);
        }
    }
}
