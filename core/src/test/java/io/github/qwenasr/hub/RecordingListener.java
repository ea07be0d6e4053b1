package io.github.qwenasr.hub;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Remembers the events a download reported, as short strings, for assertions. */
final class RecordingListener implements ProgressListener {
    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void waitingForLock(Path lockFile) {
        events.add("waiting " + lockFile.getFileName());
    }

    @Override
    public void fileSkipped(RemoteFile file, int index, int count) {
        events.add("skipped " + file.path());
    }

    @Override
    public void fileStarted(RemoteFile file, int index, int count, long resumeFrom) {
        events.add("started " + file.path() + " at " + resumeFrom);
    }

    @Override
    public void restarting(RemoteFile file, String reason) {
        events.add("restarting " + file.path());
    }

    @Override
    public void retrying(RemoteFile file, int attempt, int maxAttempts, Duration delay, String reason) {
        events.add("retrying " + (file == null ? "(list)" : file.path()) + ": " + reason);
    }

    @Override
    public void fileFinished(RemoteFile file) {
        events.add("finished " + file.path());
    }

    boolean has(String prefix) {
        return events.stream().anyMatch(e -> e.startsWith(prefix));
    }

    long count(String prefix) {
        return events.stream().filter(e -> e.startsWith(prefix)).count();
    }
}
