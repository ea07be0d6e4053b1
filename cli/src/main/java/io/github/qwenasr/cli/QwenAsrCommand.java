package io.github.qwenasr.cli;

import io.github.qwenasr.PastText;
import io.github.qwenasr.Quantization;
import io.github.qwenasr.QwenAsr;
import io.github.qwenasr.TranscribeOptions;
import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.align.TimestampedTranscriber;
import io.github.qwenasr.encoder.EncoderAttention;
import io.github.qwenasr.format.OutputFormat;
import io.github.qwenasr.stream.StreamOptions;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The command-line surface of {@code qwen-asr} (MODES.md 1.1–1.2 for the offline mode; MODES.md 6 for
 * {@code --stream}; MODES.md 8 and MODEL.md 7.6 for alignment and timestamps): option declarations for
 * picocli, the help text, and {@link #toRequest()} which turns the parsed values into a
 * {@link CliRequest} or a one-line {@link UsageException}.
 *
 * <p>Like the earlier engines, a flag given twice keeps its last value, and of {@code --silent} and
 * {@code --debug} the later one wins. Values follow their flag as the next argument or, for long
 * flags, after '=' ({@code --language=German}). Unlike them, a missing value, an unknown flag or a number out
 * of range is an error (exit 2) rather than being silently ignored or clamped.
 */
@Command(
        name = "qwen-asr",
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = false,
        customSynopsis = {
                "qwen-asr [-d <model_dir>] (-i <file.wav> | --stdin) [options]",
                "       qwen-asr --stream (-i <file.wav> | --stdin) [options]",
                "       qwen-asr (--align <text> | --align-file <file>) (-i <file.wav> | --stdin) [options]",
                "       qwen-asr download [0.6b|1.7b|aligner|all] [--dir <dir>]   (see qwen-asr download --help)",
                "       qwen-asr -h | --help | --version"},
        description = {
                "",
                "Transcribes speech with a Qwen3-ASR model on the CPU.",
                "The transcript goes to stdout as one line (or, with --output-format, as json, srt or vtt;",
                "with -o, to a file); everything else goes to stderr.",
                ""},
        optionListHeading = "Options:%n",
        footerHeading = "%n",
        footer = {
                "Input: a WAV file (integer PCM 8/16/24/32-bit or float, any sample rate and channel count),",
                "or with --stdin either WAV bytes or raw signed 16-bit little-endian 16 kHz mono.",
                "",
                "Streaming (--stream): the audio is decoded in chunks as it arrives and text is printed as soon",
                "as it is final (the newest few words stay open until more audio confirms them). With --stdin",
                "the audio is read while it arrives, e.g. from a microphone; at the end of the input the rest",
                "is printed and the line ends; Ctrl-C ends the input early the same way (twice: quit at once).",
                "Not combinable with -S/-W, --timestamps, --align or srt/vtt output.",
                "",
                "Exit codes:",
                "  0  success (an empty transcript is a success); also -h and --version",
                "  1  the run failed: model directory, model files, audio, transcription or download",
                "  2  usage error: unknown flag, missing or invalid value, conflicting inputs",
                "  3  internal error (a bug; add --debug for the stack trace)",
                "",
                "Without -d, the 0.6B model in the model cache is used; 'qwen-asr download' fetches it.",
                "",
                "Examples:",
                "  qwen-asr download 0.6b",
                "  qwen-asr -i speech.wav",
                "  qwen-asr -d Qwen3-ASR-0.6B -i speech.wav",
                "  qwen-asr -i speech.wav --timestamps --output-format srt -o speech.srt",
                "  qwen-asr -i speech.wav --align-file speech.txt --align-language German --output-format json",
                "  arecord -f S16_LE -r 16000 -c 1 -d 10 | qwen-asr -d Qwen3-ASR-0.6B --stdin --silent",
                "  arecord -f S16_LE -r 16000 -c 1 | qwen-asr --stdin --stream"})
final class QwenAsrCommand {
    /** Upper bound for -t: far above any useful value, low enough to catch typos like -t 4000. */
    static final int MAX_THREADS = 256;
    /** Bounds of --stream-chunk-sec (those of {@link StreamOptions}). */
    static final double MIN_CHUNK_SECONDS = 0.1;
    static final double MAX_CHUNK_SECONDS = 60;

    @Option(names = "-d", paramLabel = "<model_dir>", order = 1,
            description = "Model directory (config.json, *.safetensors, vocab.json, merges.txt). "
                    + "Default: the 0.6B model downloaded into the cache by 'qwen-asr download'.")
    String modelDir;

    @Option(names = "-i", paramLabel = "<file.wav>", order = 2, description = "Audio file to transcribe.")
    String inputFile;

    @Option(names = "--stdin", order = 3, description = "Read the audio from standard input (until end of file; with --stream, "
            + "decoded while it arrives).")
    boolean stdin;

    @Option(names = "-t", paramLabel = "<N>", order = 4,
            description = "Worker threads, 1.." + MAX_THREADS + " (default: number of CPUs, at most 16).")
    Integer threads;

    @Option(names = "--language", paramLabel = "<name>", order = 5,
            description = "Force the output language by name, e.g. English, Chinese, German (any case). "
                    + "Default: detected from the audio.")
    String language;

    @Option(names = "--prompt", paramLabel = "<text>", order = 6,
            description = "Context text that biases recognition (names, terms). Empty clears it.")
    String prompt;

    @Option(names = "--max-new-tokens", paramLabel = "<N>", order = 7,
            description = "Most tokens generated per audio piece, at least 1 (default: "
                    + TranscribeOptions.DEFAULT_MAX_NEW_TOKENS + ", or "
                    + TranscribeOptions.AUTO_TOKENS_PER_SECOND + " per second for pieces longer than that allows).")
    Integer maxNewTokens;

    @Option(names = "--encoder-attention", paramLabel = "windowed|full", order = 8,
            description = "Encoder attention span: windowed (trained behaviour, default) or full "
                    + "(as the official CPU path; same result for audio up to 8 s).")
    String encoderAttention;

    @Option(names = "-S", paramLabel = "<secs>", order = 9,
            description = "Segmented mode: split the audio into segments of about <secs> seconds at quiet points "
                    + "and decode them one by one (0 = off, the default; otherwise at least 1).")
    String segmentSeconds;

    @Option(names = "-W", paramLabel = "<secs>", order = 10,
            description = "With -S: search +-<secs> (at most half the segment length) around each target cut "
                    + "for the quietest 100 ms (default: 3).")
    String searchSeconds;

    @Option(names = "--past-text", paramLabel = "yes|no|auto", order = 11,
            description = "With -S: condition each segment on the text so far (its last "
                    + TranscribeOptions.PAST_TEXT_TOKENS + " tokens); with --stream: condition each step on "
                    + "the text so far (keep it on: without it most of the text is lost). "
                    + "auto (default) = no for -S, yes for --stream.")
    String pastText;

    @Option(names = "--quantize", paramLabel = "none|int8", order = 16,
            description = "Hold the decoder's linear weights as int8 (about half the bytes read per token; "
                    + "logits change by the quantization error) or as stored (none, the default). The first "
                    + "int8 run quantizes into <model_dir>/.qwen-asr-cache (or the user cache) and later runs map it.")
    String quantize;

    @Option(names = "--skip-silence", order = 12,
            description = "Drop pauses longer than 0.6 s before decoding (segment times stay on the original audio).")
    boolean skipSilence;

    @Option(names = "--stream", order = 13,
            description = "Streaming mode: decode the audio in chunks as it arrives and print text as soon as it "
                    + "is final. With --stdin the input is read while it arrives (live).")
    boolean stream;

    @Option(names = "--stream-chunk-sec", paramLabel = "<secs>", order = 14,
            description = "With --stream: audio per decoding step, " + MIN_CHUNK_SECONDS + " to "
                    + MAX_CHUNK_SECONDS + " s (default: " + StreamOptions.DEFAULT_CHUNK_SECONDS + "). Shorter "
                    + "chunks show text sooner but cost more compute.")
    String streamChunkSeconds;

    @Option(names = "--stream-max-new-tokens", paramLabel = "<N>", order = 15,
            description = "With --stream: most tokens generated per step, at least 1 (default: 32).")
    Integer streamMaxNewTokens;

    @Option(names = "--timestamps", order = 20,
            description = "Also time every word with the forced aligner (pieces of at most 180 s).")
    boolean timestamps;

    @Option(names = "--align", paramLabel = "<text>", order = 21,
            description = "Alignment mode: time the words of <text> in the audio (no transcription, -d not needed).")
    String alignText;

    @Option(names = "--align-file", paramLabel = "<file>", order = 22,
            description = "Alignment mode with the text read from a UTF-8 file.")
    String alignFile;

    @Option(names = "--align-language", paramLabel = "<name>", order = 23,
            description = "Language of the --align text (default: English); one of the aligner's: "
                    + "Chinese, English, Cantonese, French, German, Italian, Japanese, Korean, Portuguese, "
                    + "Russian, Spanish.")
    String alignLanguage;

    @Option(names = "--aligner", paramLabel = "<dir>", order = 24,
            description = "Forced aligner model directory. Default: Qwen3-ForcedAligner-0.6B in the cache "
                    + "('qwen-asr download aligner').")
    String alignerDir;

    @Option(names = "--output-format", paramLabel = "txt|json|srt|vtt", order = 25,
            description = "Output format (default: txt; json in alignment mode). json, srt and vtt carry "
                    + "word times with --timestamps or in alignment mode.")
    String outputFormat;

    @Option(names = "-o", paramLabel = "<file>", order = 26,
            description = "Write the output to <file> (replaced only once complete) instead of stdout.")
    String outputFile;

    private Verbosity verbosity = Verbosity.NORMAL;

    @Option(names = "--profile", order = 32,
            description = "Print a per-stage timing report to stderr (also with --silent).")
    boolean profile;

    @Option(names = {"-h", "--help"}, usageHelp = true, order = 33, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--version", versionHelp = true, order = 34, description = "Show the version and exit.")
    boolean version;

    // Setters rather than fields: picocli calls them in command-line order, so the later flag wins.
    @Option(names = "--silent", order = 30, description = "Write nothing to stderr except errors.")
    void setSilent(boolean on) {
        if (on) verbosity = Verbosity.SILENT;
    }

    @Option(names = "--debug", order = 31, description = "Also write per-stage diagnostics to stderr.")
    void setDebug(boolean on) {
        if (on) verbosity = Verbosity.DEBUG;
    }

    /** Checks what parsing could not and builds the request. */
    CliRequest toRequest() {
        if (inputFile != null && stdin) throw new UsageException("-i and --stdin are mutually exclusive");
        if (inputFile == null && !stdin) throw new UsageException("no input: give -i <file.wav> or --stdin");
        int n = threads == null ? QwenAsr.defaultThreads() : threads;
        if (n < 1 || n > MAX_THREADS) {
            throw new UsageException("-t must be between 1 and " + MAX_THREADS + ", got " + n);
        }
        TranscribeOptions options = TranscribeOptions.defaults()
                .withLanguage(language == null ? null : canonicalLanguage(language))
                .withContext(prompt == null ? "" : prompt)
                .withMaxNewTokens(positiveTokens())
                .withEncoderAttention(attention())
                .withSegmentSeconds(segmentLength())
                .withSearchSeconds(searchSeconds == null ? TranscribeOptions.DEFAULT_SEARCH_SECONDS
                        : seconds("-W", searchSeconds))
                .withPastText(pastTextMode())
                .withSkipSilence(skipSilence);
        Path model = modelDir == null ? null : path("-d", modelDir);
        CliRequest.Alignment alignment = alignment();
        if (alignment != null && timestamps) {
            throw new UsageException("--timestamps transcribes and aligns; it cannot be combined with --align");
        }
        if (timestamps && options.language() != null
                && TimestampedTranscriber.canonicalLanguage(options.language()) == null) {
            throw new UsageException("--timestamps: the forced aligner does not support the language '"
                    + options.language() + "'; supported: " + String.join(", ", TimestampedTranscriber.supportedLanguages()));
        }
        if (alignerDir != null && alignment == null && !timestamps) {
            throw new UsageException("--aligner needs --timestamps, --align or --align-file");
        }
        OutputFormat format = format(alignment != null);
        StreamOptions streaming = streamOptions(options, alignment != null, format);
        return new CliRequest(model, inputFile == null ? null : path("-i", inputFile), n, options, verbosity, profile,
                alignment, timestamps, alignerDir == null ? null : path("--aligner", alignerDir),
                format, outputFile == null ? null : path("-o", outputFile), streaming, quantization());
    }

    /**
     * The streaming settings (MODES.md 6.1), or null without --stream. Every flag that has no meaning in
     * streaming mode is refused rather than ignored, and the --stream-* flags need --stream.
     */
    private StreamOptions streamOptions(TranscribeOptions options, boolean aligning, OutputFormat format) {
        if (!stream) {
            if (streamChunkSeconds != null) throw new UsageException("--stream-chunk-sec needs --stream");
            if (streamMaxNewTokens != null) throw new UsageException("--stream-max-new-tokens needs --stream");
            return null;
        }
        if (aligning) throw new UsageException("--stream cannot be combined with --align or --align-file");
        if (timestamps) throw new UsageException("--stream cannot be combined with --timestamps");
        if (options.segmentSeconds() > 0) throw new UsageException("--stream cannot be combined with -S (segmented mode)");
        if (searchSeconds != null) throw new UsageException("--stream cannot be combined with -W");
        if (format == OutputFormat.SRT || format == OutputFormat.VTT) {
            throw new UsageException("--stream writes txt or json, not " + format.extension()
                    + " (subtitles need --timestamps, which streaming does not produce)");
        }
        if (maxNewTokens != null) {
            throw new UsageException("--max-new-tokens does not apply to --stream; use --stream-max-new-tokens");
        }
        if (encoderAttention != null && attention() != EncoderAttention.WINDOWED) {
            throw new UsageException("--stream always uses windowed encoder attention; --encoder-attention "
                    + encoderAttention.strip() + " cannot be combined with it");
        }
        if (skipSilence && stdin) {
            throw new UsageException("--skip-silence needs the whole recording; it works with --stream -i <file>, "
                    + "not with --stdin --stream");
        }
        double chunk = StreamOptions.DEFAULT_CHUNK_SECONDS;
        if (streamChunkSeconds != null) {
            chunk = seconds("--stream-chunk-sec", streamChunkSeconds);
            if (chunk < MIN_CHUNK_SECONDS || chunk > MAX_CHUNK_SECONDS) {
                throw new UsageException("--stream-chunk-sec must be between " + MIN_CHUNK_SECONDS + " and "
                        + MAX_CHUNK_SECONDS + " seconds, got '" + streamChunkSeconds + "'");
            }
        }
        StreamOptions defaults = StreamOptions.defaults();
        int tokens = defaults.maxNewTokens();
        if (streamMaxNewTokens != null) {
            if (streamMaxNewTokens < 1) {
                throw new UsageException("--stream-max-new-tokens must be at least 1, got " + streamMaxNewTokens);
            }
            tokens = streamMaxNewTokens;
        }
        // MODES.md 6.12: auto means on for streaming; "no" is honoured (with a warning at run time).
        boolean past = options.pastText() != PastText.NO;
        return defaults.withChunkSeconds(chunk).withMaxNewTokens(tokens).withPastText(past)
                .withLanguage(options.language()).withContext(options.context());
    }

    private CliRequest.Alignment alignment() {
        if (alignText != null && alignFile != null) {
            throw new UsageException("--align and --align-file are mutually exclusive");
        }
        if (alignText == null && alignFile == null) {
            if (alignLanguage != null) throw new UsageException("--align-language needs --align or --align-file");
            return null;
        }
        if (alignText != null && alignText.isBlank()) throw new UsageException("--align needs a non-empty text");
        String language = "English";
        if (alignLanguage != null) {
            language = TimestampedTranscriber.canonicalLanguage(alignLanguage);
            if (language == null) {
                throw new UsageException("unsupported language '" + alignLanguage + "' for --align-language; supported: "
                        + String.join(", ", TimestampedTranscriber.supportedLanguages()));
            }
        }
        return new CliRequest.Alignment(alignText, alignFile == null ? null : path("--align-file", alignFile), language);
    }

    private OutputFormat format(boolean aligning) {
        if (outputFormat == null) return aligning ? OutputFormat.JSON : OutputFormat.TXT;
        try {
            return OutputFormat.parse(outputFormat);
        } catch (QwenAsrException e) {
            throw new UsageException("--output-format: " + e.getMessage());
        }
    }

    private Quantization quantization() {
        if (quantize == null) return Quantization.NONE;
        return switch (quantize.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "none" -> Quantization.NONE;
            case "int8" -> Quantization.INT8;
            default -> throw new UsageException("--quantize must be none or int8, got '" + quantize + "'");
        };
    }

    private int positiveTokens() {
        if (maxNewTokens == null) return TranscribeOptions.AUTO_MAX_NEW_TOKENS;
        if (maxNewTokens < 1) throw new UsageException("--max-new-tokens must be at least 1, got " + maxNewTokens);
        return maxNewTokens;
    }

    private double segmentLength() {
        if (segmentSeconds == null) return 0;
        double s = seconds("-S", segmentSeconds);
        if (s != 0 && s < TranscribeOptions.MIN_SEGMENT_SECONDS) {
            throw new UsageException("-S must be 0 (off) or at least 1 second, got '" + segmentSeconds + "'");
        }
        return s;
    }

    /** A plain decimal number of seconds, at least 0: no sign, exponent, NaN, Infinity or type suffix. */
    static double seconds(String flag, String value) {
        String v = value.strip();
        if (!v.matches("\\+?(\\d+(\\.\\d*)?|\\.\\d+)")) {
            throw new UsageException(flag + " must be a number of seconds >= 0, got '" + value + "'");
        }
        double d = Double.parseDouble(v);
        if (!Double.isFinite(d) || d > 1e9) {
            throw new UsageException(flag + " is out of range, got '" + value + "'");
        }
        return d;
    }

    private PastText pastTextMode() {
        if (pastText == null) return PastText.AUTO;
        return switch (pastText.strip().toLowerCase(Locale.ROOT)) {
            case "yes" -> PastText.YES;
            case "no" -> PastText.NO;
            case "auto" -> PastText.AUTO;
            default -> throw new UsageException("--past-text must be one of yes|no|auto, got '" + pastText + "'");
        };
    }

    private EncoderAttention attention() {
        if (encoderAttention == null) return EncoderAttention.WINDOWED;
        return switch (encoderAttention.strip().toLowerCase(Locale.ROOT)) {
            case "windowed" -> EncoderAttention.WINDOWED;
            case "full" -> EncoderAttention.FULL;
            default -> throw new UsageException("--encoder-attention must be windowed or full, got '"
                    + encoderAttention + "'");
        };
    }

    /** Matches a language name case-insensitively (MODES.md 1.2); codes such as "en" are not names. */
    static String canonicalLanguage(String given) {
        String wanted = given.strip();
        for (String name : QwenAsr.supportedLanguages()) {
            if (name.equalsIgnoreCase(wanted)) return name;
        }
        throw new UsageException("unsupported language '" + given + "' for --language; supported: "
                + String.join(", ", QwenAsr.supportedLanguages()));
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
