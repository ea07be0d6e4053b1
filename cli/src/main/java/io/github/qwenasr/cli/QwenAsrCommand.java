package io.github.qwenasr.cli;

import io.github.qwenasr.ComputeMode;
import io.github.qwenasr.PastText;
import io.github.qwenasr.Quantization;
import io.github.qwenasr.QwenAsr;
import io.github.qwenasr.TranscribeOptions;
import io.github.qwenasr.align.TimestampedTranscriber;
import io.github.qwenasr.EncoderAttention;
import io.github.qwenasr.format.OutputFormat;
import io.github.qwenasr.stream.StreamOptions;
import io.github.qwenasr.vad.VoiceActivity;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The command-line surface of {@code qwen-asr} (docs/modes.md 1.1–1.2 for the offline mode; docs/modes.md 6 for
 * {@code --stream}; docs/modes.md 8 and docs/model.md 7.6 for alignment and timestamps): option declarations for
 * picocli, the help text, and {@link #toRequest()} which turns the parsed values into a
 * {@link CliRequest} or a one-line {@link UsageException}.
 *
 * <p>Like the earlier engines, a flag given twice keeps its last value (except {@code -i}, which adds an
 * input each time: many inputs, docs/modes.md 1.9), and of {@code --silent} and
 * {@code --debug} the later one wins; every value given must be valid, though, also one that a
 * later value replaces (each is converted as it is read, by picocli and {@link OptionValues}). Values follow their flag as the next argument or, for long
 * flags, after '=' ({@code --language=German}). Unlike them, a missing value, an unknown flag or a number out
 * of range is an error (exit 2) rather than being silently ignored or clamped.
 */
@Command(
        name = "qwen-asr",
        subcommands = {DownloadCommand.class, EvalCommand.class},
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = false,
        customSynopsis = {
                "qwen-asr [-d <model_dir>] (-i <audio> | --stdin) [options]",
                "       qwen-asr (-i <audio|folder>)... [--input-list <file>] [--jobs <N>] [--output-dir <dir>]",
                "       qwen-asr --stream (-i <audio> | --stdin) [options]",
                "       qwen-asr --live [--stream | --vad [silero|energy]] [--device <N|name>] [options]",
                "       qwen-asr --list-devices",
                "       qwen-asr (--align <text> | --align-file <file>) (-i <audio> | --stdin) [options]",
                "       qwen-asr download [0.6b|1.7b|aligner|all] [--dir <dir>]   (see qwen-asr download --help)",
                "       qwen-asr serve [--host <h>] [--port <p>] [-d <model_dir>] [--aligner <dir>] [--api-key <key>]",
                "                      (HTTP server: OpenAI API, WebSocket streaming, a page; see qwen-asr serve --help)",
                "       qwen-asr batch --input <dir|list> --output <dir> [--format jsonl|parquet] [--master <url>]",
                "                      (many files on Apache Spark, resumable; see qwen-asr batch --help)",
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
                "read by qwen-asr itself, or any other audio or video file ffmpeg reads (MP3, M4A, FLAC,",
                "Ogg/Opus, MP4, WebM, ...; the first audio stream), decoded by ffmpeg if it is installed",
                "(on the PATH, or named by QWEN_ASR_FFMPEG). --stdin takes the same, and",
                "with --stdin --raw raw signed 16-bit little-endian 16 kHz mono PCM.",
                "Text, images and other non-audio are refused with what they look like.",
                "",
                "Streaming (--stream): the audio is decoded in chunks as it arrives and text is printed as soon",
                "as it is final (the newest few words stay open until more audio confirms them). With --stdin",
                "the audio is read while it arrives, e.g. from a microphone; at the end of the input the rest",
                "is printed and the line ends; Ctrl-C ends the input early the same way (twice: quit at once).",
                "Not combinable with -S/-W, --timestamps, --align or srt/vtt output.",
                "",
                "Many inputs (-i more than once, -i <folder>, --input-list <file>, or --output-dir): the model is",
                "loaded once and the inputs are transcribed --jobs at a time, decoding together. stdout gets one",
                "line of JSON per input, in input order: {\"path\", \"language\", \"text\", \"finish_reason\",",
                "\"truncated\", \"audio_seconds\", \"output\", \"error\"} (error null when it worked; output: the",
                "file written under --output-dir, in --output-format). A folder gives its files with these",
                "extensions, any case, sorted by name (sub-folders with --recursive; hidden files skipped):",
                "  " + InputFiles.EXTENSIONS_1,
                "  " + InputFiles.EXTENSIONS_2,
                "An input that fails is reported on stderr and in its line, and the others go on. Progress",
                "(files done, hours of audio, realtime factor) goes to stderr every few seconds. Not combinable",
                "with --stdin, --stream, --live, --align, -o or --profile.",
                "",
                "Live (--live): audio from an input device (--list-devices shows them; --device picks one) until",
                "Ctrl-C, which finishes the text so far (twice: quit at once). Alone: segments cut at quiet points,",
                "each transcribed as it completes; --vad: each utterance once it ends, conditioned on the text so",
                "far; --stream: committed text as you speak. With --output-format json each part is one line of",
                "JSON with its start and end (-o writes the whole document at the end). If decoding falls behind,",
                "the oldest audio beyond 30 s is dropped with a warning.",
                "",
                "Exit codes:",
                "  0  success (an empty transcript is a success); also -h and --version",
                "  1  the run failed: model directory, model files, audio, transcription or download;",
                "     with many inputs: at least one input failed (the others were transcribed)",
                "  2  usage error: unknown flag, missing or invalid value, conflicting inputs",
                "  3  internal error (a bug; add --debug for the stack trace)",
                "",
                "Without -d, the 0.6B model in the model cache is used; if it is not there yet, it is downloaded",
                "first (as 'qwen-asr download 0.6b' does), unless --offline or HF_HUB_OFFLINE=1. The same for",
                "the forced aligner with --timestamps or --align.",
                "",
                "Examples:",
                "  qwen-asr download 0.6b",
                "  qwen-asr -i speech.wav",
                "  qwen-asr -i talk.mp3",
                "  qwen-asr -d Qwen3-ASR-0.6B -i speech.wav",
                "  qwen-asr -i speech.wav --timestamps --output-format srt -o speech.srt",
                "  qwen-asr -i recordings/ --output-dir transcripts/ > results.jsonl",
                "  qwen-asr -i speech.wav --align-file speech.txt --align-language German --output-format json",
                "  arecord -f S16_LE -r 16000 -c 1 -d 10 -t raw | qwen-asr -d Qwen3-ASR-0.6B --stdin --raw --silent",
                "  arecord -f S16_LE -r 16000 -c 1 -t wav | qwen-asr --stdin --stream",
                "  qwen-asr --live --vad",
                "  qwen-asr --live --stream --device 1"})
final class QwenAsrCommand {
    /** Segment length of --live without -S or --vad (the seed's). */
    static final double LIVE_SEGMENT_SECONDS = 5;
    /** Upper bound for -t: far above any useful value, low enough to catch typos like -t 4000. */
    static final int MAX_THREADS = 256;
    /** Upper bound for --jobs: the largest decode batch (each job beyond the batch only waits). */
    static final int MAX_JOBS = 64;

    @Option(names = "-d", paramLabel = "<model_dir>", order = 1,
            description = "Model directory (config.json, *.safetensors, vocab.json, merges.txt). "
                    + "Default: the 0.6B model downloaded into the cache by 'qwen-asr download'.")
    String modelDir;

    @Option(names = "-i", paramLabel = "<audio>", order = 2,
            description = "Audio or video file to transcribe: WAV, or any format ffmpeg decodes. Given more than "
                    + "once, or naming a folder (its audio files, by extension), every input is transcribed "
                    + "(many inputs, below).")
    List<String> inputFiles = new ArrayList<>();

    @Option(names = "--input-list", paramLabel = "<file>", order = 2,
            description = "Transcribe the files listed in <file> (UTF-8), one path per line; blank lines and lines "
                    + "starting with # are skipped, relative paths are taken from the working directory.")
    String inputList;

    @Option(names = "--recursive", order = 2,
            description = "With -i <folder>: also the audio files in its sub-folders.")
    boolean recursive;

    @Option(names = "--jobs", paramLabel = "<N>", order = 2,
            description = "With many inputs: transcriptions in flight at once, 1.." + MAX_JOBS + " (default: as many "
                    + "as the decode batch holds, 8, or the number of inputs if fewer). They share the model and "
                    + "decode together.")
    Integer jobs;

    @Option(names = "--stdin", order = 3, description = "Read audio from standard input: WAV, or any format ffmpeg "
            + "decodes (until end of file; with --stream, decoded while it arrives).")
    boolean stdin;

    @Option(names = "--raw", order = 3,
            description = "With --stdin: the input is raw PCM (s16le, 16 kHz, mono, no header) instead of WAV.")
    boolean raw;

    @Option(names = "-t", paramLabel = "<N>", order = 4,
            description = "Worker threads, 1.." + MAX_THREADS + " (default: number of CPUs, at most 16); more than "
                    + "the available processors are capped to that number, with a warning.")
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

    @Option(names = "--encoder-attention", paramLabel = "windowed|full", order = 8, converter = OptionValues.Attention.class,
            description = "Encoder attention span: windowed (trained behaviour, default) or full "
                    + "(as the official CPU path; same result for audio up to 8 s).")
    EncoderAttention encoderAttention;

    @Option(names = "-S", paramLabel = "<secs>", order = 9, converter = OptionValues.SegmentSeconds.class,
            description = "Segmented mode: split the audio into segments of about <secs> seconds at quiet points "
                    + "and decode them one by one (0 = off, the default; otherwise at least 1).")
    Double segmentSeconds;

    @Option(names = "-W", paramLabel = "<secs>", order = 10, converter = OptionValues.SearchSeconds.class,
            description = "With -S: search +-<secs> (at most half the segment length) around each target cut "
                    + "for the quietest 100 ms (default: 3).")
    Double searchSeconds;

    @Option(names = "--past-text", paramLabel = "yes|no|auto", order = 11, converter = OptionValues.PastTextMode.class,
            description = "With -S: condition each segment on the text so far (its last "
                    + TranscribeOptions.PAST_TEXT_TOKENS + " tokens); with --stream: condition each step on "
                    + "the text so far (keep it on: without it most of the text is lost). "
                    + "auto (default) = no for -S, yes for --stream.")
    PastText pastText;

    @Option(names = "--skip-silence", order = 12,
            description = "Drop pauses longer than 0.6 s before decoding (segment times stay on the original audio).")
    boolean skipSilence;

    @Option(names = "--stream", order = 13,
            description = "Streaming mode: decode the audio in chunks as it arrives and print text as soon as it "
                    + "is final. With --stdin the input is read while it arrives (live).")
    boolean stream;

    @Option(names = "--stream-chunk-sec", paramLabel = "<secs>", order = 14, converter = OptionValues.ChunkSeconds.class,
            description = "With --stream: audio per decoding step, " + OptionValues.MIN_CHUNK_SECONDS + " to "
                    + OptionValues.MAX_CHUNK_SECONDS + " s (default: " + StreamOptions.DEFAULT_CHUNK_SECONDS + "). Shorter "
                    + "chunks show text sooner but cost more compute.")
    Double streamChunkSeconds;

    @Option(names = "--stream-max-new-tokens", paramLabel = "<N>", order = 15,
            description = "With --stream: most tokens generated per step, at least 1 (default: 32).")
    Integer streamMaxNewTokens;

    @Option(names = "--live", order = 16,
            description = "Transcribe the default audio input device (or --device) until Ctrl-C: segments cut at quiet "
                    + "points (-S, default " + LIVE_SEGMENT_SECONDS + " s); with --vad each utterance once it ends; "
                    + "with --stream committed text as you speak.")
    boolean live;

    @Option(names = "--device", paramLabel = "<N|name>", order = 17,
            description = "With --live: the input device, by its number or (part of) its name as --list-devices shows it.")
    String device;

    @Option(names = "--list-devices", order = 18,
            description = "List the audio input devices (number, name, formats) on stdout and exit.")
    boolean listDevices;

    @Option(names = "--vad", paramLabel = "silero|energy", arity = "0..1", fallbackValue = "silero", order = 19,
            converter = OptionValues.Detector.class,
            description = "Voice activity detection: decode only the utterances, each as a unit conditioned on the text "
                    + "so far, times on the original audio; with --live each utterance as soon as it ends. "
                    + "silero (default) or energy.")
    VoiceActivity.Detector vad;

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

    @Option(names = "--offline", order = 27,
            description = "Never download: a model missing from the cache is an error (also HF_HUB_OFFLINE=1).")
    boolean offline;

    @Option(names = "--quantize", paramLabel = "none|int8", order = 28, converter = OptionValues.Quantize.class,
            description = "Hold the decoder's linear weights as int8 (about half the bytes read per token; "
                    + "logits change by the quantization error) or as stored (none, the default). The first "
                    + "int8 run quantizes into the model folder's .qwen-asr-cache (or the user cache); later runs map it.")
    Quantization quantize = Quantization.NONE;

    @Option(names = "--compute", paramLabel = "exact|bf16", order = 29, converter = OptionValues.Compute.class,
            description = "How the encoder and prompt matmuls run: exact (f32 in Java, the default) or bf16 "
                    + "(oneDNN's bf16 GEMM: faster on CPUs with avx512_bf16 or AMX, activations rounded to bf16; "
                    + "needs libdnnl, e.g. apt-get install libdnnl2; where it cannot run, a warning and exact).")
    ComputeMode compute = ComputeMode.EXACT;

    @Option(names = "--output-format", paramLabel = "txt|json|srt|vtt", order = 25, converter = OptionValues.Format.class,
            description = "Output format (default: txt; json in alignment mode). json, srt and vtt carry "
                    + "word times with --timestamps or in alignment mode.")
    OutputFormat outputFormat;

    @Option(names = "-o", paramLabel = "<file>", order = 26,
            description = "Write the output to <file> (replaced only once complete) instead of stdout.")
    String outputFile;

    @Option(names = "--output-dir", paramLabel = "<dir>", order = 26,
            description = "Many inputs: also write each transcript to <dir>/<name>.<format> (<name>: the input's "
                    + "file name without its extension, -2, -3, ... added when names clash; each file replaced "
                    + "only once complete; <dir> is created if missing).")
    String outputDir;

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
        if (listDevices) return listing();
        CliRequest.Many many = many();
        String inputFile = many == null && !inputFiles.isEmpty() ? inputFiles.get(0) : null;
        if (many != null) checkManyFlags();
        if (inputFile != null && stdin) throw new UsageException("-i and --stdin are mutually exclusive");
        checkLiveFlags();
        if (inputFile == null && !stdin && !live && many == null) {
            throw new UsageException("no input: give -i <audio>, --stdin or --live");
        }
        if (raw && !stdin) throw new UsageException("--raw describes the input on --stdin; a file given with -i is "
                + "recognised by its content");
        List<String> warnings = new ArrayList<>();
        int n = threadCount(threads, Runtime.getRuntime().availableProcessors(), warnings);
        checkSegmentFlags();
        TranscribeOptions options = TranscribeOptions.defaults()
                .withLanguage(language == null ? null : canonicalLanguage(language))
                .withContext(prompt == null ? "" : prompt)
                .withMaxNewTokens(positiveTokens())
                .withEncoderAttention(encoderAttention)
                .withSegmentSeconds(segmentLength())
                .withSearchSeconds(searchSeconds == null ? TranscribeOptions.DEFAULT_SEARCH_SECONDS : searchSeconds)
                .withPastText(pastText)
                .withSkipSilence(skipSilence)
                .withVoiceActivity(vad == null ? null : VoiceActivity.of(vad));
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
        if (alignment != null && quantize != Quantization.NONE) {
            throw new UsageException("--quantize applies to the speech model, which --align and --align-file do not load");
        }
        if (alignment != null && compute != ComputeMode.EXACT) {
            throw new UsageException("--compute applies to the speech model, which --align and --align-file do not load");
        }
        OutputFormat format = format(alignment != null);
        StreamOptions streaming = streamOptions(options, alignment != null, format);
        return new CliRequest(model, inputFile == null ? null : path("-i", inputFile), raw, n, options, verbosity,
                profile, alignment, timestamps, alignerDir == null ? null : path("--aligner", alignerDir),
                format, outputFile == null ? null : path("-o", outputFile), streaming, warnings, offline,
                live ? new CliRequest.Capture(false, device) : null, quantize, compute, many);
    }

    /**
     * Many inputs (docs/modes.md 1.9): -i more than once or naming a folder, --input-list, or
     * --output-dir; null for a run over one input, where --jobs and --recursive are refused.
     */
    private CliRequest.Many many() {
        List<Path> inputs = new ArrayList<>();
        for (String value : inputFiles) inputs.add(path("-i", value));
        boolean folder = inputs.stream().anyMatch(Files::isDirectory);
        if (inputs.size() <= 1 && inputList == null && outputDir == null && !folder) {
            if (jobs != null) {
                throw new UsageException("--jobs needs many inputs: -i given more than once, -i <folder>, --input-list "
                        + "or --output-dir");
            }
            if (recursive) throw new UsageException("--recursive needs -i <folder>");
            return null;
        }
        if (recursive && !folder) throw new UsageException("--recursive needs -i <folder>");
        if (jobs != null && (jobs < 1 || jobs > MAX_JOBS)) {
            throw new UsageException("--jobs must be between 1 and " + MAX_JOBS + ", got " + jobs);
        }
        return new CliRequest.Many(inputs, inputList == null ? null : path("--input-list", inputList), recursive, jobs,
                outputDir == null ? null : path("--output-dir", outputDir));
    }

    /** What many inputs are: named in the usage errors of flags that take one input. */
    private String manyInputs() {
        if (inputFiles.size() > 1) return "several -i inputs";
        if (inputList != null) return "--input-list";
        if (inputFiles.size() == 1 && Files.isDirectory(Path.of(inputFiles.get(0)))) return "-i <folder>";
        return "--output-dir";
    }

    /** The flags that make no sense for many inputs are refused rather than ignored (docs/modes.md 1.9). */
    private void checkManyFlags() {
        String many = manyInputs();
        if (stdin) throw new UsageException("--stdin reads one input; it cannot be combined with " + many);
        if (live) throw new UsageException("--live cannot be combined with " + many);
        if (stream) throw new UsageException("--stream decodes one input as it arrives; it cannot be combined with " + many);
        if (alignText != null || alignFile != null) {
            throw new UsageException("--align aligns one input; it cannot be combined with " + many);
        }
        if (outputFile != null) {
            throw new UsageException("-o writes one output; with " + many + " use --output-dir <dir>");
        }
        if (profile) throw new UsageException("--profile reports one transcription; it cannot be combined with " + many);
        if (outputDir == null) {
            if (timestamps) {
                throw new UsageException("--timestamps with " + many + " needs --output-dir (the JSON lines on stdout "
                        + "carry no word times)");
            }
            if (outputFormat != null && outputFormat != OutputFormat.JSON) {
                throw new UsageException("--output-format " + outputFormat.extension() + " with " + many
                        + " needs --output-dir (stdout carries JSON lines)");
            }
        }
    }

    /** --list-devices: nothing else is read (docs/modes.md 7.1). */
    private CliRequest listing() {
        if (!inputFiles.isEmpty() || inputList != null || stdin || live) {
            throw new UsageException("--list-devices lists the input devices and exits; it takes no -i, --input-list, "
                    + "--stdin or --live");
        }
        return new CliRequest(null, null, false, 1, TranscribeOptions.defaults(), verbosity, false, null, false, null,
                OutputFormat.TXT, null, null, List.of(), false, new CliRequest.Capture(true, null), Quantization.NONE,
                ComputeMode.EXACT, null);
    }

    /**
     * --live, --device and --vad (docs/modes.md 7): the flags that have no meaning with them are refused
     * rather than ignored, as everywhere else.
     */
    private void checkLiveFlags() {
        if (device != null && !live) throw new UsageException("--device needs --live");
        if (vad != null) {
            if (stream) {
                throw new UsageException("--vad cannot be combined with --stream (a stream decodes fixed chunks); "
                        + "--live --vad transcribes each utterance as it ends");
            }
            if (segmentSeconds != null || searchSeconds != null) {
                throw new UsageException("--vad decodes each utterance as a unit; it cannot be combined with -S or -W");
            }
            if (skipSilence) throw new UsageException("--vad already drops everything but speech; it cannot be combined with --skip-silence");
            if (alignText != null || alignFile != null) throw new UsageException("--vad cannot be combined with --align");
        }
        if (!live) return;
        if (!inputFiles.isEmpty() || stdin) {
            throw new UsageException("--live captures from an input device; it cannot be combined with -i or --stdin");
        }
        if (alignText != null || alignFile != null) throw new UsageException("--live cannot be combined with --align");
        if (timestamps) throw new UsageException("--live cannot be combined with --timestamps");
        if (skipSilence) throw new UsageException("--skip-silence needs the whole recording; it cannot be combined with --live");
        if (outputFormat == OutputFormat.SRT || outputFormat == OutputFormat.VTT) {
            throw new UsageException("--live writes txt or json, not " + outputFormat.extension());
        }
        if (vad == null && !stream && segmentSeconds != null && segmentSeconds == 0) {
            throw new UsageException("--live needs -S of at least 1 s (default " + OptionValues.formatSeconds(LIVE_SEGMENT_SECONDS)
                    + "), or --vad or --stream");
        }
    }

    /**
     * The -t value (default {@link QwenAsr#defaultThreads()}): 1..{@value #MAX_THREADS}, else a usage
     * error; above {@code processors} it is capped to that, with a warning, because extra workers
     * only wait for each other (256 threads on 2 cores ran 70x slower).
     */
    static int threadCount(Integer requested, int processors, List<String> warnings) {
        if (requested == null) return Math.min(QwenAsr.defaultThreads(), processors);
        int n = requested;
        if (n < 1 || n > MAX_THREADS) {
            throw new UsageException("-t must be between 1 and " + MAX_THREADS + ", got " + n);
        }
        if (n > processors) {
            warnings.add("-t " + n + " is more than the " + processors + " available processor"
                    + (processors == 1 ? "; using 1 thread" : "s; using " + processors + " threads"));
            n = processors;
        }
        return n;
    }

    /**
     * -W and --past-text tune segmented mode, so without -S they would do nothing; like the --stream-*
     * flags without --stream, they are refused rather than ignored (--past-text also applies to
     * --stream, which checks its own combinations). An explicit -W may be at most half of -S (the
     * default 3 s is narrowed to S/2 silently, docs/modes.md 4).
     */
    private void checkSegmentFlags() {
        if (stream) return;
        double segment = segmentLength();
        if (segment == 0) {
            if (searchSeconds != null) throw new UsageException("-W needs -S <secs> (segmented mode)");
            if (pastText != null && vad == null) {
                throw new UsageException("--past-text needs -S <secs> (segmented mode), --vad or --stream");
            }
            return;
        }
        if (searchSeconds != null && searchSeconds > segment / 2) {
            throw new UsageException("-W must be at most half of -S (" + OptionValues.formatSeconds(segment / 2)
                    + " s), got '" + OptionValues.formatSeconds(searchSeconds) + "'");
        }
    }

    /**
     * The streaming settings (docs/modes.md 6.1), or null without --stream. Every flag that has no meaning in
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
        if (encoderAttention != null && encoderAttention != EncoderAttention.WINDOWED) {
            throw new UsageException("--stream always uses windowed encoder attention; --encoder-attention "
                    + encoderAttention.name().toLowerCase(Locale.ROOT) + " cannot be combined with it");
        }
        if (skipSilence && stdin) {
            throw new UsageException("--skip-silence needs the whole recording; it works with --stream -i <file>, "
                    + "not with --stdin --stream");
        }
        double chunk = streamChunkSeconds == null ? StreamOptions.DEFAULT_CHUNK_SECONDS : streamChunkSeconds;
        StreamOptions defaults = StreamOptions.defaults();
        int tokens = defaults.maxNewTokens();
        if (streamMaxNewTokens != null) {
            if (streamMaxNewTokens < 1) {
                throw new UsageException("--stream-max-new-tokens must be at least 1, got " + streamMaxNewTokens);
            }
            tokens = streamMaxNewTokens;
        }
        // docs/modes.md 6.12: auto means on for streaming; "no" is honoured (with a warning at run time).
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
        if (outputFormat != null) return outputFormat;
        return aligning ? OutputFormat.JSON : OutputFormat.TXT;
    }

    private int positiveTokens() {
        if (maxNewTokens == null) return TranscribeOptions.AUTO_MAX_NEW_TOKENS;
        if (maxNewTokens < 1) throw new UsageException("--max-new-tokens must be at least 1, got " + maxNewTokens);
        return maxNewTokens;
    }

    /** -S, or for --live alone (segments at quiet points) {@value #LIVE_SEGMENT_SECONDS} s. */
    private double segmentLength() {
        if (segmentSeconds != null) return segmentSeconds;
        return live && vad == null && !stream ? LIVE_SEGMENT_SECONDS : 0;
    }

    /** The official spelling of a language name in any case (docs/modes.md 1.2); codes such as "en" are not names. */
    static String canonicalLanguage(String given) {
        return QwenAsr.canonicalLanguage(given).orElseThrow(() -> new UsageException("unsupported language '" + given
                + "' for --language; supported: " + String.join(", ", QwenAsr.supportedLanguages())));
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
