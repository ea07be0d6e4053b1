package io.github.qwenasr.hub;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What a {@link ModelDownloader} reports while it works, in this order: possibly
 * {@link #waitingForLock}, then {@link #started}, {@link #planned}, and per file either
 * {@link #fileSkipped} or {@link #fileStarted} / {@link #progress}... / {@link #fileFinished} (with
 * {@link #restarting} and {@link #retrying} in between when the network misbehaves), then
 * {@link #finished}. Every method has an empty default; {@link #SILENT} reports nothing.
 * Calls come from the downloading thread.
 */
public interface ProgressListener {
    /** Reports nothing. */
    ProgressListener SILENT = new ProgressListener() {
    };

    /** Another download (another process or thread) holds the model directory; this one waits for it. */
    default void waitingForLock(Path lockFile) {
    }

    /** The file list is known: {@code files} is what the model directory will hold. */
    default void started(RepoSnapshot snapshot, Path dir, List<RemoteFile> files) {
    }

    /** A file already in the directory is being checked (this can take seconds for the weights). */
    default void checking(RemoteFile file, int index, int count) {
    }

    /** Existing files checked: this many files and bytes remain to be transferred. */
    default void planned(int filesToFetch, long bytesToFetch) {
    }

    /** The file was already complete (size and checksum match) and is kept. */
    default void fileSkipped(RemoteFile file, int index, int count) {
    }

    /** The transfer of a file begins; {@code resumeFrom} bytes of it are already on disk. */
    default void fileStarted(RemoteFile file, int index, int count, long resumeFrom) {
    }

    /** {@code done} bytes of the file are on disk. Called often: throttle any drawing. */
    default void progress(RemoteFile file, long done) {
    }

    /** The partial file was discarded and the file starts again from its first byte. */
    default void restarting(RemoteFile file, String reason) {
    }

    /**
     * A transfer failed in a way worth retrying; the next attempt starts after {@code delay}.
     * {@code file} is null when it is the file list that could not be fetched.
     */
    default void retrying(RemoteFile file, int attempt, int maxAttempts, Duration delay, String reason) {
    }

    /** The file is complete, verified and in place. */
    default void fileFinished(RemoteFile file) {
    }

    /** Every file is in place and verified. */
    default void finished(RepoSnapshot snapshot, Path dir) {
    }
}
