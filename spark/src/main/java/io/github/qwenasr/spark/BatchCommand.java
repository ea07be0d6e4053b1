package io.github.qwenasr.spark;

import io.github.qwenasr.ComputeMode;
import io.github.qwenasr.Quantization;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code qwen-asr batch}: transcribes a folder or a list of WAV files on Spark (an embedded local Spark
 * by default) into JSON lines or Parquet, resumably ({@link BatchJob}).
 */
@Command(name = "qwen-asr batch", mixinStandardHelpOptions = true, sortOptions = false, separator = " ",
        usageHelpWidth = 100, versionProvider = BatchCommand.Version.class,
        description = {
                "Transcribes many WAV files on Apache Spark: an embedded local Spark using every",
                "processor (local[*]) unless --master names a cluster. Each executor loads the model",
                "once; partitions are balanced by audio duration; each partition's rows are committed",
                "as one file. A rerun skips inputs that already have rows (by the sha256 of their",
                "bytes, so moved or renamed files are not redone) and never leaves a partial file.",
                ""},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:every input has its transcript (or already had it)",
                "1:the job failed (model, output folder, Spark)", "2:invalid options",
                "3:internal error", "4:the job finished but some inputs are error rows"})
public final class BatchCommand implements Callable<Integer> {
    static final int OK = 0;
    static final int FAILURE = 1;
    static final int USAGE = 2;
    static final int INTERNAL = 3;
    static final int SOME_FAILED = 4;

    @Option(names = {"-i", "--input"}, required = true, paramLabel = "<dir|list>",
            description = "a folder (its .wav files, sub-folders included) or a text file of paths, one per line")
    Path input;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "<dir>",
            description = "output folder: part files, one per partition (created; reused by reruns)")
    Path output;

    @Option(names = "--format", paramLabel = "<fmt>", description = "jsonl (default) or parquet")
    String format = "jsonl";

    @Option(names = "--master", paramLabel = "<url>",
            description = "Spark master, e.g. spark://host:7077 or local[4] (default: the one spark-submit gives, "
                    + "else local[*])")
    String master;

    @Option(names = {"-d", "--model"}, paramLabel = "<dir>",
            description = "speech model directory, at the same path on every executor (default: the downloaded "
                    + "Qwen3-ASR-0.6B in the model cache)")
    Path modelDir;

    @Option(names = "--aligner", paramLabel = "<dir>",
            description = "forced aligner directory: adds the words column (timed words)")
    Path alignerDir;

    @Option(names = "--language", paramLabel = "<lang>", description = "force the language (default: detect)")
    String language;

    @Option(names = "--prompt", paramLabel = "<text>", description = "context text that biases recognition")
    String prompt = "";

    @Option(names = "--max-new-tokens", paramLabel = "<n>",
            description = "generation limit per decoded piece (default: automatic, at least 512)")
    int maxNewTokens = 0;

    @Option(names = {"-t", "--threads"}, paramLabel = "<n>",
            description = "engine worker threads per executor (default: its processors, at most 16)")
    int threads = 0;

    @Option(names = "--quantize", paramLabel = "none|int8", converter = QuantizeValue.class,
            description = "hold the decoder's weights as int8 on every executor (about half the bytes read per "
                    + "token; logits move by the quantization error; the first load quantizes into "
                    + "<model>/.qwen-asr-cache) or as stored (default: none)")
    Quantization quantize = Quantization.NONE;

    @Option(names = "--compute", paramLabel = "exact|bf16", converter = ComputeValue.class,
            description = "exact (default): every matmul in Java, f32. bf16: the encoder, conv stem and prompt "
                    + "matmuls on oneDNN's bf16 GEMM on executors with avx512_bf16 or AMX and oneDNN installed; "
                    + "elsewhere exact")
    ComputeMode compute = ComputeMode.EXACT;

    @Option(names = "--jobs", paramLabel = "<n>",
            description = "transcriptions in flight per task (default: " + BatchSettings.DEFAULT_JOBS + ")")
    int jobs = BatchSettings.DEFAULT_JOBS;

    @Option(names = "--partition-minutes", paramLabel = "<m>",
            description = "audio per partition in minutes (default: 30); a killed job redoes at most the "
                    + "partitions in flight")
    double partitionMinutes = BatchSettings.DEFAULT_PARTITION_SECONDS / 60;

    @Option(names = "--conf", paramLabel = "<key=value>",
            description = "a Spark setting, repeatable, e.g. --conf spark.executor.memory=8g")
    List<String> conf = new ArrayList<>();

    @Option(names = "--silent", description = "no progress lines (the summary and errors still go to stderr)")
    boolean silent;

    private final Map<String, String> env;
    private final PrintWriter err;

    BatchCommand(Map<String, String> env, PrintWriter err) {
        this.env = env;
        this.err = err;
    }

    public static void main(String[] args) {
        // Spark's INFO lines would bury the progress; the cluster's own logging applies under spark-submit.
        if (System.getProperty("log4j2.configurationFile") == null && !underSparkSubmit()) {
            System.setProperty("log4j2.configurationFile", "qwen-asr-batch-log4j2.properties");
        }
        int status = run(args, System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        System.exit(status);
    }

    /** spark-submit passes its settings as spark.* system properties, the deploy mode always among them. */
    static boolean underSparkSubmit() {
        return System.getProperty("spark.submit.deployMode") != null;
    }

    /** Parses and runs; a bad option is one line on stderr and exit status 2. */
    static int run(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new BatchCommand(env, err));
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((e, ignored) -> {
            err.println("Error: " + e.getMessage());
            err.println("Run 'qwen-asr batch --help' for the options.");
            return USAGE;
        });
        cl.setExecutionExceptionHandler((e, ignored, parsed) -> {
            err.println("Error: internal error: " + e);
            return INTERNAL;
        });
        return cl.execute(args);
    }

    @Override
    public Integer call() {
        resolveMaster();
        BatchSettings settings;
        Map<String, String> sparkConf;
        try {
            settings = settings();
            sparkConf = sparkConf();
        } catch (IllegalArgumentException e) {
            err.println("Error: " + e.getMessage());
            return USAGE;
        } catch (QwenAsrSparkException e) {
            err.println("Error: " + e.getMessage());
            return FAILURE;
        }
        // A session that already runs in this JVM (the command called from an application) is used and left running.
        boolean ours = SparkSession.getDefaultSession().isEmpty();
        SparkSession spark;
        try {
            spark = session(sparkConf);
        } catch (RuntimeException e) {
            err.println("Error: cannot start Spark (" + master + "): " + rootMessage(e));
            return FAILURE;
        }
        try {
            if (master.startsWith("local")) {
                // Same JVM as the tasks: a model that does not load fails here, in one line, and stays loaded.
                err.println("Loading " + settings.engine().modelDir() + " ...");
                EngineCache.get(settings.engine());
            }
            BatchJob.Summary s = BatchJob.run(spark, settings, silent ? line -> { } : err::println);
            err.println(summaryLine(s, settings.output()));
            return s.failed() > 0 ? SOME_FAILED : OK;
        } catch (QwenAsrSparkException e) {
            err.println("Error: " + e.getMessage());
            return FAILURE;
        } catch (RuntimeException e) {
            err.println("Error: the Spark job failed: " + rootMessage(e));
            return FAILURE;
        } finally {
            if (ours) spark.stop();
        }
    }

    BatchSettings settings() {
        OutputFormat f = OutputFormat.parse(format);
        if (jobs < 1) throw new IllegalArgumentException("--jobs must be at least 1, got " + jobs);
        if (threads < 0) throw new IllegalArgumentException("--threads must be at least 1 (0: automatic), got " + threads);
        if (maxNewTokens < 0) throw new IllegalArgumentException("--max-new-tokens must be at least 1, got " + maxNewTokens);
        if (!(partitionMinutes > 0) || Double.isInfinite(partitionMinutes)) {
            throw new IllegalArgumentException("--partition-minutes must be a positive number, got " + partitionMinutes);
        }
        TranscribeRequest request;
        try {
            request = TranscriberAdapter.validate(new TranscribeRequest(language, prompt, maxNewTokens));
        } catch (QwenAsrSparkException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        // Missing files are failures of the run (status 1), as in the command line, not usage errors.
        if (!Files.exists(input)) throw new QwenAsrSparkException("--input " + input + " does not exist");
        Path model = modelDir != null ? modelDir : TranscriberAdapter.defaultModelDir(env);
        if (!Files.isDirectory(model)) throw new QwenAsrSparkException("model directory not found: " + model);
        if (alignerDir != null && !Files.isDirectory(alignerDir)) {
            throw new QwenAsrSparkException("aligner directory not found: " + alignerDir);
        }
        EngineKey key = new EngineKey(model.toAbsolutePath().normalize().toString(),
                alignerDir == null ? null : alignerDir.toAbsolutePath().normalize().toString(), threads, quantize, compute);
        return new BatchSettings(input, output.toAbsolutePath().normalize(), f, key, request, jobs,
                partitionMinutes * 60);
    }

    /** --master, else the master spark-submit gave, else an embedded Spark on every processor. */
    void resolveMaster() {
        if (master == null) master = System.getProperty("spark.master", "local[*]");
    }

    /**
     * The Spark settings: ours, then what spark-submit set (spark.* system properties, which SparkConf
     * reads), then each --conf; a later one wins. Executors always get the engine's JVM options, before
     * any the user gives.
     */
    Map<String, String> sparkConf() {
        Map<String, String> user = new LinkedHashMap<>();
        for (String kv : conf) {
            int eq = kv.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("--conf needs KEY=VALUE, got '" + kv + "'");
            user.put(kv.substring(0, eq).strip(), kv.substring(eq + 1).strip());
        }
        Map<String, String> c = new LinkedHashMap<>();
        c.put("spark.app.name", "qwen-asr batch");
        c.put("spark.ui.enabled", "false");
        c.put("spark.ui.showConsoleProgress", "false");
        if (master.startsWith("local")) {
            // An embedded Spark serves nobody else: its ports listen on this machine only.
            c.put("spark.driver.host", "127.0.0.1");
            c.put("spark.driver.bindAddress", "127.0.0.1");
        } else {
            // The executors of a cluster get this module's jar (the engine inside; Spark is theirs).
            String jar = ownJar();
            if (jar != null) c.put("spark.jars", jar);
        }
        for (String key : List.copyOf(c.keySet())) {
            String submitted = System.getProperty(key);
            if (submitted != null) c.put(key, submitted);
        }
        String executorOptions = user.containsKey("spark.executor.extraJavaOptions")
                ? user.remove("spark.executor.extraJavaOptions") : System.getProperty("spark.executor.extraJavaOptions");
        c.put("spark.executor.extraJavaOptions", JvmOptions.executorOptions(executorOptions));
        c.putAll(user);
        c.put("spark.master", master);
        return c;
    }

    private static SparkSession session(Map<String, String> conf) {
        SparkConf sc = new SparkConf();
        conf.forEach(sc::set);
        return SparkSession.builder().config(sc).getOrCreate();
    }

    /** The jar this class came from, or null when it runs from a classes folder (tests). */
    private static String ownJar() {
        try {
            Path p = Path.of(BatchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(p) ? p.toString() : null;
        } catch (Exception e) {
            return null;
        }
    }

    static String summaryLine(BatchJob.Summary s, Path output) {
        return String.format(Locale.ROOT, "Done: %d inputs, %d transcribed now (%d with errors), %d skipped as already "
                        + "in %s; %.3f h of audio in %.1f s (%.1f audio hours per hour)", s.inputs(), s.rows(), s.failed(),
                s.skipped(), output, s.audioSeconds() / 3600, s.wallSeconds(), s.audioHoursPerHour());
    }

    /** The innermost message of a Spark failure (the task's own exception), on one line. */
    static String rootMessage(Throwable e) {
        Throwable t = e;
        String msg = e.getMessage();
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
            if (t.getMessage() != null) msg = t.getMessage();
        }
        if (msg == null) msg = t.getClass().getName();
        String firstLine = msg.strip().lines().findFirst().orElse(msg);
        return firstLine;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = BatchCommand.class.getPackage().getImplementationVersion();
            return new String[] {"qwen-asr batch " + (v == null ? "(development build)" : v) + ", Apache Spark "
                    + org.apache.spark.package$.MODULE$.SPARK_VERSION()};
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
}
