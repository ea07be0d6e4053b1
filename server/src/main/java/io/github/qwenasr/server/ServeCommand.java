package io.github.qwenasr.server;

import io.github.qwenasr.ComputeMode;
import io.github.qwenasr.LoadOptions;
import io.github.qwenasr.Quantization;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code qwen-asr serve}: loads the model (and the aligner when given), serves the HTTP API, the
 * streaming WebSocket and the page until it gets SIGINT or SIGTERM, then drains and stops.
 */
@Command(name = "qwen-asr serve", mixinStandardHelpOptions = true, sortOptions = false, separator = " ",
        usageHelpWidth = 100, versionProvider = ServeCommand.Version.class,
        description = {
                "Serves speech recognition over HTTP: the OpenAI transcription API",
                "(POST /v1/audio/transcriptions, GET /v1/models), live streaming over a WebSocket",
                "(/v1/stream), a page to try it at /, GET /health and GET /metrics (Prometheus).",
                "Decoding is greedy: the temperature field is accepted and ignored.",
                "",
                "It listens on the loopback address only unless --host says otherwise. To expose it",
                "beyond this machine, set --host 0.0.0.0, an API key (--api-key or QWEN_ASR_API_KEY)",
                "and put a TLS reverse proxy in front (see the README's Server section).",
                ""},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:--help or --version", "1:the model could not be loaded or the port bound",
                "2:invalid options", "130/143:stopped by SIGINT/SIGTERM (after draining)"})
public final class ServeCommand implements Callable<Integer> {
    @Option(names = "--host", paramLabel = "<host>", description = "address to listen on (default: 127.0.0.1, this machine only)")
    String host = "127.0.0.1";

    @Option(names = "--port", paramLabel = "<port>", description = "TCP port; 0 picks a free one (default: 8080)")
    int port = 8080;

    @Option(names = {"-d", "--model"}, paramLabel = "<dir>",
            description = "speech model directory (default: the downloaded Qwen3-ASR-0.6B in the model cache)")
    Path modelDir;

    @Option(names = "--aligner", paramLabel = "<dir>",
            description = "forced aligner directory: enables word timestamps and word-timed srt/vtt")
    Path alignerDir;

    @Option(names = "--api-key", paramLabel = "<key>",
            description = "require 'Authorization: Bearer KEY' (default: $QWEN_ASR_API_KEY, else no key)")
    String apiKey;

    @Option(names = {"-t", "--threads"}, paramLabel = "<n>", description = "worker threads (default: available processors)")
    Integer threads;

    @Option(names = "--quantize", paramLabel = "none|int8", converter = QuantizeValue.class,
            description = "hold the speech model's decoder weights as int8 (about half the bytes read per token; "
                    + "logits move by the quantization error; the first load quantizes into <model>/.qwen-asr-cache) "
                    + "or as stored (default: none)")
    Quantization quantize = Quantization.NONE;

    @Option(names = "--compute", paramLabel = "exact|bf16", converter = ComputeValue.class,
            description = "exact (default): every matmul in Java, f32. bf16: the speech model's encoder, conv stem "
                    + "and prompt matmuls on oneDNN's bf16 GEMM, on CPUs with avx512_bf16 or AMX and oneDNN installed; "
                    + "elsewhere one warning line and exact")
    ComputeMode compute = ComputeMode.EXACT;

    @Option(names = "--max-upload-mb", paramLabel = "<mib>", description = "largest uploaded file in MiB (default: 100); more gets 413")
    long maxUploadMb = 100;

    @Option(names = "--max-audio-seconds", paramLabel = "<s>",
            description = "longest uploaded recording in seconds (default: 1800); longer gets 413")
    double maxAudioSeconds = 1800;

    @Option(names = "--max-concurrent", paramLabel = "<n>",
            description = "transcriptions decoding at once (default: 2)")
    int maxConcurrent = 2;

    @Option(names = "--max-queue", paramLabel = "<n>",
            description = "transcriptions waiting beyond those (default: 16); more get 429")
    int maxQueue = 16;

    @Option(names = "--request-timeout", paramLabel = "<s>",
            description = "seconds per transcription request, queue wait included (default: 600); 504 after")
    double requestTimeout = 600;

    @Option(names = "--max-new-tokens", paramLabel = "<n>",
            description = "generation limit per decoded piece of an upload (default: automatic, at least 512)")
    int maxNewTokens = 0;

    @Option(names = "--max-streams", paramLabel = "<n>",
            description = "streaming sessions open at once (default: 8)")
    int maxStreams = 8;

    @Option(names = "--max-stream-seconds", paramLabel = "<s>",
            description = "longest audio of one streaming session in seconds (default: 3600)")
    double maxStreamSeconds = 3600;

    @Option(names = "--stream-chunk-sec", paramLabel = "<s>",
            description = "seconds of audio per streaming decoding step, 0.1 to 60 (default: 2)")
    double streamChunkSeconds = 2.0;

    @Option(names = "--shutdown-grace", paramLabel = "<s>",
            description = "seconds a shutdown waits for work in flight (default: 30)")
    double shutdownGrace = 30;

    private final Map<String, String> env;
    private final PrintWriter err;

    ServeCommand(Map<String, String> env, PrintWriter err) {
        this.env = env;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Parses and runs; a bad option is one line on stderr and exit status 2. */
    static int run(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new ServeCommand(env, err));
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((e, ignored) -> {
            err.println("Error: " + e.getMessage());
            err.println("Run 'qwen-asr serve --help' for the options.");
            return 2;
        });
        return cl.execute(args);
    }

    @Override
    public Integer call() {
        ServerSettings settings;
        try {
            settings = settings();
        } catch (IllegalArgumentException e) {
            err.println("Error: " + e.getMessage());
            return 2;
        }
        Path model;
        try {
            model = modelDir != null ? modelDir : Engine.defaultModelDir(env);
        } catch (Engine.Failure e) {
            err.println("Error: " + e.getMessage());
            return 1;
        }
        int n = threads != null ? threads : Math.max(1, Math.min(16, Runtime.getRuntime().availableProcessors()));
        err.println("Loading " + model + (alignerDir != null ? " and the aligner " + alignerDir : "") + " ...");
        Engine engine;
        try {
            engine = Engine.load(model, alignerDir, new LoadOptions(n, quantize, compute));
        } catch (Engine.Failure e) {
            err.println("Error: " + e.getMessage());
            return 1;
        }
        if (!engine.quantizationNote().isEmpty()) err.println(engine.quantizationNote());
        if (!engine.computeNote().isEmpty()) err.println(engine.computeNote());
        AsrServer server;
        try {
            server = AsrServer.start(engine, settings);
        } catch (IOException | RuntimeException e) {
            engine.close();
            err.println("Error: cannot listen on " + settings.host() + ":" + settings.port() + ": " + e.getMessage());
            return 1;
        }
        String shown = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
        err.println("qwen-asr server listening on http://" + shown + ":" + server.port() + "/ (model "
                + engine.modelId() + (engine.hasAligner() ? ", word timestamps on" : "")
                + (settings.apiKey() != null ? ", API key required" : "") + ")");
        if (!settings.loopbackOnly() && settings.apiKey() == null) {
            err.println("Warning: listening beyond loopback without an API key; anyone who can reach this port can use it");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            err.println("qwen-asr server: stopping (finishing the work in flight)...");
            server.close();
            engine.close();
            stopped.countDown();
        }, "qwen-asr-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    ServerSettings settings() {
        // A blank --api-key is a mistake, not a request for an open server; a blank variable counts as unset.
        if (apiKey != null && apiKey.isBlank()) throw new IllegalArgumentException("--api-key must not be blank");
        String key = apiKey != null ? apiKey : env.get("QWEN_ASR_API_KEY");
        if (key != null && key.isBlank()) key = null;
        if (maxUploadMb < 1 || maxUploadMb > (1L << 20)) throw new IllegalArgumentException("--max-upload-mb must be 1 to 1048576");
        if (threads != null && threads < 1) throw new IllegalArgumentException("--threads must be at least 1");
        return new ServerSettings(host, port, key, maxUploadMb << 20, maxAudioSeconds, maxConcurrent, maxQueue,
                requestTimeout, maxStreams, maxStreamSeconds, streamChunkSeconds, shutdownGrace, maxNewTokens);
    }

    /** --quantize none|int8, any case; anything else is a one-line usage error (picocli names the option). */
    static final class QuantizeValue implements CommandLine.ITypeConverter<Quantization> {
        @Override
        public Quantization convert(String value) {
            return switch (value.strip().toLowerCase(Locale.ROOT)) {
                case "none" -> Quantization.NONE;
                case "int8" -> Quantization.INT8;
                default -> throw new CommandLine.TypeConversionException("expected none or int8, got '" + value + "'");
            };
        }
    }

    /** --compute exact|bf16, any case; anything else is a one-line usage error. */
    static final class ComputeValue implements CommandLine.ITypeConverter<ComputeMode> {
        @Override
        public ComputeMode convert(String value) {
            try {
                return ComputeMode.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("--compute " + e.getMessage());
            }
        }
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = ServeCommand.class.getPackage().getImplementationVersion();
            return new String[]{"qwen-asr server " + (v == null ? "(development build)" : v)};
        }
    }
}
