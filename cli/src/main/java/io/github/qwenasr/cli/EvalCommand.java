package io.github.qwenasr.cli;

import io.github.qwenasr.TranscribeOptions;
import io.github.qwenasr.eval.EvalMode;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The command line of {@code qwen-asr eval} (docs/modes.md 13): option declarations for picocli, the
 * help text, and {@link #toRequest()} which validates them. The work is the eval module's.
 */
@Command(
        name = EvalCommand.NAME,
        sortOptions = false,
        usageHelpAutoWidth = false,
        customSynopsis = {
                "qwen-asr eval --model <dir> (--librispeech <dir> | --tsv <file>) [--mode exact[,int8[,bf16]]]",
                "              [--limit <N>] [--language <name>] [--details <file>] [options]",
                "       qwen-asr eval -h | --help"},
        descriptionHeading = "%n",
        description = {
                "Measures accuracy (WER, CER) on audio with reference transcripts, once per load mode.",
                "Prints the word and character error rates over the whole data set, with substitutions,",
                "deletions, insertions, audio and wall seconds and the real-time factor, one row per mode.",
                "Texts are compared after the usual normalisation (NFKC, case folding, punctuation removed",
                "except apostrophes inside words, whitespace collapsed); Chinese and Japanese characters",
                "count as words. The table goes to stdout, progress to stderr.",
                ""},
        optionListHeading = "Options:%n",
        footerHeading = "%n",
        footer = {
                "Data sets:",
                "  --librispeech  every *.trans.txt under the folder (lines 'UTTERANCE-ID TEXT'), with",
                "                 UTTERANCE-ID.flac beside it, as in LibriSpeech's test-clean",
                "  --tsv          lines 'path<TAB>reference'; relative paths from the TSV's folder; lines",
                "                 starting with # and blank lines skipped; an optional header 'path<TAB>reference'",
                "FLAC, MP3 and other non-WAV audio need ffmpeg on the PATH.",
                "",
                "Exit codes: 0 done (failed utterances are counted and scored as empty transcripts),",
                "1 bad data set, model or output file, or every utterance of a mode failed,",
                "2 usage error, 3 internal error.",
                "",
                "Example:",
                "  qwen-asr eval --model Qwen3-ASR-0.6B --librispeech LibriSpeech/test-clean --limit 200"})
final class EvalCommand {
    static final String NAME = "eval";

    @Option(names = {"--model", "-d"}, paramLabel = "<dir>", order = 1,
            description = "Model directory (required).")
    String model;

    @Option(names = "--librispeech", paramLabel = "<dir>", order = 2,
            description = "A data set in the LibriSpeech layout, at any depth under <dir>.")
    String librispeech;

    @Option(names = "--tsv", paramLabel = "<file>", order = 3,
            description = "A data set listed as 'path<TAB>reference' lines.")
    String tsv;

    @Option(names = "--mode", paramLabel = "<mode>", split = ",", order = 4,
            description = "Comma-separated load modes, one row of the report each: exact (the default), int8 "
                    + "(int8 decoder weights), bf16 (native bf16 matmuls; an error where they cannot run).")
    List<String> modes;

    @Option(names = "--limit", paramLabel = "<N>", order = 5,
            description = "Only the first <N> utterances of the data set.")
    Integer limit;

    @Option(names = "--language", paramLabel = "<name>", order = 6,
            description = "Force the language of every transcription (also makes CER the primary metric for "
                    + "Chinese, Cantonese, Japanese, Korean and Thai). Default: detected.")
    String language;

    @Option(names = "--details", paramLabel = "<file>", order = 7,
            description = "Also write one JSON line per utterance and mode to <file> (replaced only once complete).")
    String details;

    @Option(names = "-t", paramLabel = "<N>", order = 8,
            description = "Worker threads, 1.." + QwenAsrCommand.MAX_THREADS + " (default: number of CPUs, at most 16).")
    Integer threads;

    @Option(names = "--max-new-tokens", paramLabel = "<N>", order = 9,
            description = "Most tokens generated per audio piece, at least 1 (default as for transcription).")
    Integer maxNewTokens;

    @Option(names = "--silent", order = 10, description = "Write nothing to stderr except errors.")
    boolean silent;

    @Option(names = {"-h", "--help"}, usageHelp = true, order = 11, description = "Show this help and exit.")
    boolean help;

    /** Checks what parsing could not and builds the request. */
    EvalRequest toRequest() {
        if (model == null) throw new UsageException("eval needs --model <dir>");
        if (librispeech != null && tsv != null) throw new UsageException("--librispeech and --tsv are mutually exclusive");
        if (librispeech == null && tsv == null) throw new UsageException("no data set: give --librispeech <dir> or --tsv <file>");
        if (limit != null && limit < 1) throw new UsageException("--limit must be at least 1, got " + limit);
        if (maxNewTokens != null && maxNewTokens < 1) {
            throw new UsageException("--max-new-tokens must be at least 1, got " + maxNewTokens);
        }
        List<String> warnings = new ArrayList<>();
        int n = QwenAsrCommand.threadCount(threads, Runtime.getRuntime().availableProcessors(), warnings);
        TranscribeOptions options = TranscribeOptions.defaults()
                .withLanguage(language == null ? null : QwenAsrCommand.canonicalLanguage(language))
                .withMaxNewTokens(maxNewTokens == null ? TranscribeOptions.AUTO_MAX_NEW_TOKENS : maxNewTokens);
        EvalRequest.Source source = librispeech != null
                ? new EvalRequest.Source(EvalRequest.Layout.LIBRISPEECH, path("--librispeech", librispeech))
                : new EvalRequest.Source(EvalRequest.Layout.TSV, path("--tsv", tsv));
        return new EvalRequest(path("--model", model), source, modes(), limit, options, n,
                details == null ? null : path("--details", details), silent, warnings);
    }

    private List<EvalMode> modes() {
        if (modes == null || modes.isEmpty()) return List.of(EvalMode.EXACT);
        Set<EvalMode> chosen = new LinkedHashSet<>();
        for (String given : modes) {
            EvalMode mode = EvalMode.parse(given).orElseThrow(() -> new UsageException("unknown mode '" + given
                    + "' for --mode; modes: "
                    + Arrays.stream(EvalMode.values()).map(EvalMode::label).collect(Collectors.joining(", "))));
            if (!chosen.add(mode)) throw new UsageException("--mode lists '" + mode.label() + "' twice");
        }
        return List.copyOf(chosen);
    }

    private static Path path(String flag, String value) {
        if (value.isEmpty()) throw new UsageException(flag + " needs a non-empty path");
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new UsageException(flag + ": invalid path '" + value + "'");
        }
    }
}
