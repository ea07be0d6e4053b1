package io.github.qwenasr.cli;

import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.hub.DownloadOptions;
import io.github.qwenasr.hub.HubClient;
import io.github.qwenasr.hub.ModelCache;
import io.github.qwenasr.hub.ModelCatalog;
import io.github.qwenasr.hub.ModelDownloader;
import io.github.qwenasr.hub.ProgressListener;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Runs a validated {@code download} request: lists the models, or downloads them one after the
 * other into the cache, printing each model directory on stdout and progress on stderr (a redrawn
 * bar when stderr is a terminal, plain lines otherwise, nothing with --silent). Failures are one
 * "Error:" line: {@link QwenAsrException} exits 1, anything else 3.
 */
final class DownloadJob {
    private final DownloadRequest request;
    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;
    private final Log log;

    DownloadJob(DownloadRequest request, Map<String, String> env, PrintStream out, PrintStream err) {
        this.request = request;
        this.env = env;
        this.out = out;
        this.err = err;
        this.log = new Log(err, request.silent() ? Verbosity.SILENT : Verbosity.NORMAL);
    }

    int run() {
        try {
            ModelCache cache = request.cacheRoot() != null ? new ModelCache(request.cacheRoot()) : ModelCache.fromEnvironment(env);
            if (request.list()) {
                list(cache);
            } else {
                download(cache);
            }
            return ExitCodes.OK;
        } catch (QwenAsrException e) {
            log.error(e.getMessage());
            return ExitCodes.FAILURE;
        } catch (Throwable e) {
            log.error("internal error: " + e.getClass().getName() + ": " + e.getMessage());
            return ExitCodes.INTERNAL;
        }
    }

    private void download(ModelCache cache) {
        ProgressListener progress = DownloadProgress.listener(err, env, request.silent());
        DownloadProgress.withResumeNotice(err, request.silent(), () -> {
            try (HubClient hub = HubClient.fromEnvironment(env)) {
                ModelDownloader downloader = new ModelDownloader(hub, DownloadOptions.defaults());
                for (ModelCatalog model : request.models()) {
                    Path dir = downloader.download(model, request.revision(), cache, progress);
                    printLine(dir.toString());
                    if (model != ModelCatalog.ALIGNER) log.info("Transcribe with: " + transcribeHint(model, dir));
                }
            }
            return null;
        });
    }

    /** The shortest command that uses the model: no -d for the default model in the default cache. */
    private String transcribeHint(ModelCatalog model, Path dir) {
        boolean implicit = model == ModelCatalog.DEFAULT && request.cacheRoot() == null;
        return "qwen-asr " + (implicit ? "" : "-d " + dir + " ") + "-i <audio.wav>";
    }

    private void list(ModelCache cache) {
        StringBuilder sb = new StringBuilder("Models in " + cache.root() + ":\n");
        sb.append(String.format(Locale.ROOT, "  %-8s %-30s %-16s %s%n", "name", "repository", "state", "description"));
        for (ModelCatalog m : ModelCatalog.values()) {
            String state = cache.isComplete(m) ? "downloaded" : cache.isPartial(m) ? "partial" : "not downloaded";
            sb.append(String.format(Locale.ROOT, "  %-8s %-30s %-16s %s%n", m.shortName(), m.repoId(), state, m.description()));
        }
        printLine(sb.toString().stripTrailing());
    }

    /** Stdout is UTF-8 whatever the platform charset (paths may hold any character). */
    private void printLine(String text) {
        byte[] bytes = (text + System.lineSeparator()).getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
        out.flush();
    }
}
