package io.github.qwenasr.spark;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A batch run's output folder. Rows live in {@code part-<run>-<partition>.<ext>} files, each written
 * whole under {@code _tmp/} and renamed into place, so a part file that exists is complete and a
 * killed job loses only the partitions that were being written. Names starting with {@code _} are
 * the run's own files, which Spark's readers skip: {@code _lock} (held while a run writes, so two runs
 * never share the folder), {@code _job.json} (the settings, {@link JobManifest}), {@code _tmp/} and
 * {@code _SUCCESS} (written when a run has finished every input; removed while one runs).
 *
 * <p>The folder must be on a file system every executor sees at the same path (local for an embedded
 * run; a shared mount such as NFS on a cluster), with an atomic rename within it.
 */
public final class OutputDir implements AutoCloseable {
    static final String LOCK = "_lock";
    static final String JOB = "_job.json";
    static final String TMP = "_tmp";
    static final String SUCCESS = "_SUCCESS";
    static final String PART_PREFIX = "part-";

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private OutputDir(Path dir, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Opens (creating) the folder for a run with these settings: takes the lock, checks or records the
     * settings, deletes what a killed run left in {@code _tmp/} and the old {@code _SUCCESS}.
     *
     * @throws QwenAsrSparkException when another run holds it, it holds rows of other settings or other
     *                               files, or it cannot be written
     */
    public static OutputDir open(Path dir, JobManifest manifest) {
        try {
            if (Files.exists(dir) && !Files.isDirectory(dir)) {
                throw new QwenAsrSparkException("--output " + dir + " is not a folder");
            }
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new QwenAsrSparkException("cannot create the output folder " + dir + ": " + e.getMessage(), e);
        }
        FileChannel ch;
        FileLock lock;
        try {
            ch = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new QwenAsrSparkException("cannot write in the output folder " + dir + ": " + e.getMessage(), e);
        }
        try {
            lock = ch.tryLock();
        } catch (IOException | OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            close(ch);
            throw new QwenAsrSparkException("another batch run is writing to " + dir + "; wait for it or use another --output");
        }
        OutputDir out = new OutputDir(dir, ch, lock);
        try {
            out.checkParts(OutputFormat.parse(manifest.format()));
            out.checkManifest(manifest);
            out.clean();
        } catch (RuntimeException e) {
            out.close();
            throw e;
        }
        return out;
    }

    public Path dir() {
        return dir;
    }

    private void checkManifest(JobManifest manifest) {
        Path job = dir.resolve(JOB);
        if (Files.exists(job)) {
            JobManifest was;
            try {
                was = JobManifest.fromJson(Files.readString(job, StandardCharsets.UTF_8));
            } catch (IOException | RuntimeException e) {
                throw new QwenAsrSparkException(job + " is not a batch run's settings file; use another --output");
            }
            List<String> diff = was.differences(manifest);
            if (!diff.isEmpty()) {
                throw new QwenAsrSparkException("the output folder " + dir + " holds rows made with other settings ("
                        + String.join(", ", diff) + "); rerun with the same settings or use another --output");
            }
            return;
        }
        try {
            writeAtomically(job, manifest.toJson());
        } catch (IOException e) {
            throw new QwenAsrSparkException("cannot write " + job + ": " + e.getMessage(), e);
        }
    }

    /** A folder without a manifest must not hold anything that is not ours (a typo'd --output). */
    private void checkParts(OutputFormat format) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (name.startsWith("_") || name.startsWith(".")) continue;
                if (name.startsWith(PART_PREFIX) && name.endsWith("." + format.extension())) continue;
                throw new QwenAsrSparkException("the output folder " + dir + " holds " + name
                        + ", which is not a part file of this run's format; use an empty or new --output");
            }
        } catch (IOException e) {
            throw new QwenAsrSparkException("cannot list the output folder " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Deletes a killed run's temporary files (safe: the lock says no run is writing) and the old success mark. */
    private void clean() {
        Path tmp = dir.resolve(TMP);
        try {
            if (Files.isDirectory(tmp)) {
                try (Stream<Path> files = Files.list(tmp)) {
                    for (Path p : files.toList()) Files.deleteIfExists(p);
                }
            }
            Files.createDirectories(tmp);
            Files.deleteIfExists(dir.resolve(SUCCESS));
        } catch (IOException e) {
            throw new QwenAsrSparkException("cannot clean " + tmp + ": " + e.getMessage(), e);
        }
    }

    /** The complete part files of this format, in name order. */
    public List<Path> committedParts(OutputFormat format) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, PART_PREFIX + "*." + format.extension())) {
            for (Path p : entries) out.add(p);
        } catch (IOException e) {
            throw new QwenAsrSparkException("cannot list the output folder " + dir + ": " + e.getMessage(), e);
        }
        out.sort(null);
        return out;
    }

    /** Marks the run complete: every input it listed has a row. */
    public void markSuccess(String summary) {
        try {
            writeAtomically(dir.resolve(SUCCESS), summary);
        } catch (IOException e) {
            throw new QwenAsrSparkException("cannot write " + dir.resolve(SUCCESS) + ": " + e.getMessage(), e);
        }
    }

    /** The final name of a partition's file. */
    static Path partFile(Path dir, String runId, int partition, OutputFormat format) {
        return dir.resolve(String.format("%s%s-%05d.%s", PART_PREFIX, runId, partition, format.extension()));
    }

    /** A temporary name for one attempt at a partition (a retried or speculative task gets another). */
    static Path tempFile(Path dir, String runId, int partition, long attempt, OutputFormat format) {
        return dir.resolve(TMP).resolve(String.format("%s%s-%05d.attempt-%d.%s.tmp", PART_PREFIX, runId, partition,
                attempt, format.extension()));
    }

    /**
     * Makes a written temporary file the partition's part file: flushed to disk, then renamed in one
     * step. When another attempt got there first (a speculative copy) its file stays and this one goes.
     */
    static void commit(Path temp, Path part) throws IOException {
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        if (Files.exists(part)) {
            Files.deleteIfExists(temp);
            return;
        }
        try {
            Files.move(temp, part, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the output folder's file system cannot rename atomically: " + part.getParent(), e);
        } catch (FileAlreadyExistsException | NoSuchFileException e) {
            Files.deleteIfExists(temp);
        }
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void close() {
        try {
            if (lock.isValid()) lock.release();
        } catch (IOException ignored) {
            // The lock goes with the channel.
        }
        close(lockChannel);
    }

    private static void close(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // Nothing was written through it.
        }
    }
}
