package io.github.qwenasr.hub;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * Exclusive use of a model directory by one download at a time, so that two downloads of the same
 * model never write the same {@code .part} file: a second one waits until the first is done (it
 * then finds the files complete and verifies them).
 *
 * <p>Two levels: a per-directory semaphore for threads of this process, then an OS file lock on
 * {@code <dir>/.download.lock} for other processes. The in-process level comes first because the
 * JVM does not let two channels of one process lock the same file, and closing one of them can drop
 * the other's lock on some systems. The OS releases the file lock when a process dies, so a killed
 * download never leaves the directory locked. The lock file itself stays (deleting it would race).
 */
final class DownloadLock implements AutoCloseable {
    static final String FILE_NAME = ".download.lock";
    private static final long POLL_MILLIS = 200;
    private static final ConcurrentHashMap<Path, Semaphore> IN_PROCESS = new ConcurrentHashMap<>();

    private final Semaphore inProcess;
    private final FileChannel channel;
    private final FileLock lock;

    private DownloadLock(Semaphore inProcess, FileChannel channel, FileLock lock) {
        this.inProcess = inProcess;
        this.channel = channel;
        this.lock = lock;
    }

    /** Waits until {@code dir} (which must exist) is free, telling {@code listener} once if it has to wait. */
    static DownloadLock acquire(Path dir, ProgressListener listener) {
        Path lockFile = dir.resolve(FILE_NAME);
        Path key;
        try {
            key = dir.toRealPath();
        } catch (IOException e) {
            throw new HubException("cannot open the model directory " + dir + ": " + HubClient.describe(e), false, e);
        }
        Semaphore semaphore = IN_PROCESS.computeIfAbsent(key, k -> new Semaphore(1));
        boolean told = false;
        try {
            if (!semaphore.tryAcquire()) {
                listener.waitingForLock(lockFile);
                told = true;
                semaphore.acquire();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubException("interrupted while waiting for another download into " + dir, false, e);
        }
        FileChannel ch = null;
        try {
            ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            while (true) {
                FileLock l;
                try {
                    l = ch.tryLock();
                } catch (OverlappingFileLockException e) {
                    l = null; // held through another channel of this process: wait like for another process
                }
                if (l != null) return new DownloadLock(semaphore, ch, l);
                if (!told) {
                    listener.waitingForLock(lockFile);
                    told = true;
                }
                Thread.sleep(POLL_MILLIS);
            }
        } catch (IOException e) {
            closeQuietly(ch);
            semaphore.release();
            throw new HubException("cannot lock " + lockFile + ": " + HubClient.describe(e), false, e);
        } catch (InterruptedException e) {
            closeQuietly(ch);
            semaphore.release();
            Thread.currentThread().interrupt();
            throw new HubException("interrupted while waiting for another download into " + dir, false, e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // Closing the channel below releases it as well.
        } finally {
            closeQuietly(channel);
            inProcess.release();
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch == null) return;
        try {
            ch.close();
        } catch (IOException ignored) {
            // Nothing left to release.
        }
    }
}
