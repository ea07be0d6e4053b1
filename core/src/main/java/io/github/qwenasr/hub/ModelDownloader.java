package io.github.qwenasr.hub;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Downloads a model repository into a directory (docs/modes.md 1.7, fixing the defects listed in
 * 12.1.10): lists the files and their checksums, keeps files already complete (size and checksum
 * checked), fetches the rest with {@link FileDownloader} (resumable, verified, atomic), then leaves
 * a {@link CompletionRecord}. One download per directory at a time ({@link DownloadLock}); a
 * concurrent second download of the same model waits and then finds everything in place.
 *
 * <pre>{@code
 * try (HubClient hub = HubClient.fromEnvironment(System.getenv())) {
 *     ModelCache cache = ModelCache.fromEnvironment(System.getenv());
 *     Path dir = new ModelDownloader(hub, DownloadOptions.defaults())
 *             .download(ModelCatalog.ASR_0_6B, ModelCatalog.DEFAULT_REVISION, cache, ProgressListener.SILENT);
 * }
 * }</pre>
 */
public final class ModelDownloader {
    private final HubClient hub;
    private final DownloadOptions options;

    public ModelDownloader(HubClient hub, DownloadOptions options) {
        this.hub = hub;
        this.options = options;
    }

    /** Downloads a catalog model into its directory of {@code cache}; returns that directory. */
    public Path download(ModelCatalog model, String revision, ModelCache cache, ProgressListener listener) {
        return download(model.repoId(), revision, cache.modelDir(model), listener);
    }

    /**
     * Downloads the model files of {@code repoId} at {@code revision} into {@code dir} (created if
     * needed) and returns {@code dir}.
     *
     * @throws HubException with a one-line message when the download cannot be completed; what was
     *                      transferred stays in {@code .part} files and is resumed next time
     */
    public Path download(String repoId, String revision, Path dir, ProgressListener listener) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new HubException("cannot create the model directory " + dir + ": " + HubClient.describe(e), false, e);
        }
        try (DownloadLock _ = DownloadLock.acquire(dir, listener)) {
            RepoSnapshot snapshot = withRetries(() -> hub.snapshot(repoId, revision), listener);
            List<RemoteFile> files = ModelFiles.select(snapshot);
            listener.started(snapshot, dir, files);
            List<RemoteFile> toFetch = keepCompleteFiles(files, dir, listener);
            long bytes = bytesToFetch(toFetch, dir);
            listener.planned(toFetch.size(), bytes);
            if (!toFetch.isEmpty()) {
                checkFreeSpace(dir, bytes);
                CompletionRecord.remove(dir);
            }
            FileDownloader fileDownloader = new FileDownloader(hub, options, listener);
            for (RemoteFile f : toFetch) {
                fileDownloader.download(snapshot, f, dir, files.indexOf(f) + 1, files.size());
            }
            record(snapshot, files, dir);
            listener.finished(snapshot, dir);
            return dir;
        } catch (IOException e) {
            throw new HubException("cannot update " + dir + ": " + HubClient.describe(e), false, e);
        }
    }

    /**
     * Returns the files that still need a transfer: a final file that fails its check is deleted
     * (the completion record goes first) so that it can never pass for a good one.
     */
    private static List<RemoteFile> keepCompleteFiles(List<RemoteFile> files, Path dir, ProgressListener listener) throws IOException {
        List<RemoteFile> toFetch = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            RemoteFile f = files.get(i);
            Path target = dir.resolve(f.path());
            if (!Files.exists(target)) {
                toFetch.add(f);
                continue;
            }
            listener.checking(f, i + 1, files.size());
            if (isComplete(f, target)) {
                listener.fileSkipped(f, i + 1, files.size());
            } else {
                CompletionRecord.remove(dir);
                Files.delete(target);
                toFetch.add(f);
            }
        }
        return toFetch;
    }

    /** Size and checksum match (a file without a published checksum is judged by its size). */
    private static boolean isComplete(RemoteFile f, Path target) throws IOException {
        if (!Files.isRegularFile(target)) return false;
        long size = Files.size(target);
        if (f.size() >= 0 && size != f.size()) return false;
        ContentDigest digest = ContentDigest.of(f);
        if (digest == null) return f.size() >= 0;
        digest.updateFrom(target, size);
        return digest.finishHex().equals(digest.expected());
    }

    private static long bytesToFetch(List<RemoteFile> files, Path dir) throws IOException {
        long total = 0;
        for (RemoteFile f : files) {
            if (f.size() < 0) continue;
            Path part = FileDownloader.partPath(dir, f);
            long have = Files.isRegularFile(part) ? Files.size(part) : 0;
            total += have <= f.size() ? f.size() - have : f.size();
        }
        return total;
    }

    private static void checkFreeSpace(Path dir, long needed) {
        long free;
        try {
            free = Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            return; // Unknown: the writes themselves will tell.
        }
        if (free >= 0 && free < needed) {
            throw new HubException("not enough disk space in " + dir + ": " + Units.bytes(needed) + " to download, "
                    + Units.bytes(free) + " free; free some space or choose another directory", false);
        }
    }

    private static void record(RepoSnapshot snapshot, List<RemoteFile> files, Path dir) throws IOException {
        List<CompletionRecord.Entry> entries = new ArrayList<>();
        for (RemoteFile f : files) {
            entries.add(new CompletionRecord.Entry(f.path(), Files.size(dir.resolve(f.path())), f.sha256()));
        }
        new CompletionRecord(snapshot.repoId(), snapshot.revision(), snapshot.commit(), entries).write(dir);
    }

    /** Runs a hub call, retrying passing failures like file transfers do. */
    private <T> T withRetries(Supplier<T> call, ProgressListener listener) {
        for (int failures = 1; ; failures++) {
            try {
                return call.get();
            } catch (HubException e) {
                if (!e.retryable() || failures >= options.maxAttempts()) throw e;
                Duration delay = options.delayAfter(failures);
                listener.retrying(null, failures + 1, options.maxAttempts(), delay, e.getMessage());
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
