package io.github.qwenasr.cli;

import io.github.qwenasr.hub.ModelCatalog;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The command line of {@code qwen-asr download} (docs/modes.md 1.7, without the defects of 12.1.10):
 * option declarations for picocli, the help text, and {@link #toRequest()} which validates them.
 * Model names are matched in any case; an unknown one is a usage error (exit 2).
 */
@Command(
        name = DownloadCommand.NAME,
        sortOptions = false,
        usageHelpAutoWidth = false,
        customSynopsis = {
                "qwen-asr download [0.6b|1.7b|aligner|all] [--dir <dir>] [--revision <rev>] [--silent]",
                "       qwen-asr download --list | -h | --help"},
        descriptionHeading = "%n",
        description = {
                "Downloads a model from the Hugging Face hub into the model cache, verifying every file.",
                "An interrupted download resumes where it stopped when run again.",
                "The model directory is printed on stdout; progress goes to stderr.",
                ""},
        parameterListHeading = "Arguments:%n",
        optionListHeading = "Options:%n",
        footerHeading = "%n",
        footer = {
                "Models (default 0.6b):",
                "  0.6b     Qwen/Qwen3-ASR-0.6B            the default model for transcription",
                "  1.7b     Qwen/Qwen3-ASR-1.7B            more accurate, slower",
                "  aligner  Qwen/Qwen3-ForcedAligner-0.6B  word timestamps for a transcript",
                "  all      the three of them",
                "",
                "Cache: $QWEN_ASR_CACHE, else $XDG_CACHE_HOME/qwen-asr, else ~/.cache/qwen-asr",
                "(macOS ~/Library/Caches/qwen-asr, Windows %%LOCALAPPDATA%%\\qwen-asr); a model goes to",
                "<cache>/<repository name>, e.g. ~/.cache/qwen-asr/Qwen3-ASR-0.6B.",
                "",
                "Environment:",
                "  HF_ENDPOINT  hub base URL, e.g. a mirror: HF_ENDPOINT=https://hf-mirror.com",
                "  HF_TOKEN     access token, sent to the hub only (not to the download CDN)",
                "",
                "Exit codes: 0 done, 1 download failed, 2 usage error, 3 internal error."})
final class DownloadCommand {
    static final String NAME = "download";
    private static final String ALL = "all";

    @Parameters(arity = "0..1", paramLabel = "<model>", description = "0.6b, 1.7b, aligner or all (default: 0.6b).")
    String model;

    @Option(names = "--dir", paramLabel = "<dir>", order = 1,
            description = "Cache directory to download into (default: the model cache, see below).")
    String dir;

    @Option(names = "--revision", paramLabel = "<rev>", order = 2,
            description = "Branch, tag or commit to download (default: " + ModelCatalog.DEFAULT_REVISION + ").")
    String revision;

    @Option(names = "--silent", order = 3, description = "Write nothing to stderr except errors.")
    boolean silent;

    @Option(names = {"-l", "--list"}, order = 4, description = "List the models and whether they are downloaded.")
    boolean list;

    @Option(names = {"-h", "--help"}, usageHelp = true, order = 5, description = "Show this help and exit.")
    boolean help;

    /** Checks what parsing could not and builds the request. */
    DownloadRequest toRequest() {
        Path cacheRoot = dir == null ? null : path(dir);
        String rev = revision == null ? ModelCatalog.DEFAULT_REVISION : revision.strip();
        if (rev.isEmpty()) throw new UsageException("--revision needs a branch, tag or commit");
        if (list) {
            if (model != null) throw new UsageException("--list shows every model; leave out '" + model + "'");
            return new DownloadRequest(List.of(), cacheRoot, rev, silent, true);
        }
        return new DownloadRequest(models(), cacheRoot, rev, silent, false);
    }

    private List<ModelCatalog> models() {
        if (model == null) return List.of(ModelCatalog.DEFAULT);
        if (model.strip().toLowerCase(Locale.ROOT).equals(ALL)) return List.of(ModelCatalog.values());
        return ModelCatalog.find(model).map(List::of).orElseThrow(() -> new UsageException("unknown model '" + model
                + "'; choose " + Arrays.stream(ModelCatalog.values()).map(ModelCatalog::shortName).collect(Collectors.joining(", "))
                + " or " + ALL));
    }

    private static Path path(String value) {
        if (value.isBlank()) throw new UsageException("--dir needs a non-empty path");
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new UsageException("--dir: invalid path '" + value + "'");
        }
    }
}
