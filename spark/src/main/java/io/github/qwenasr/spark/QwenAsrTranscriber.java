package io.github.qwenasr.spark;

import io.github.qwenasr.ComputeMode;
import io.github.qwenasr.Quantization;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A Spark ML {@link Transformer} that transcribes a column of audio: WAV file paths (strings; local
 * paths or {@code file:} URIs, as {@code binaryFile}'s {@code path} column gives them) or WAV bytes
 * ({@code binaryFile}'s {@code content}). It adds the columns {@code language}, {@code text},
 * {@code finish_reason}, {@code audio_seconds}, {@code error} and, when an aligner is set, {@code words}
 * ({@code array<struct<text, start, end>>}); each name can be changed. A row whose audio cannot be
 * transcribed gets its error and nulls, never a failed job.
 *
 * <pre>{@code
 * Dataset<Row> audio = spark.read().format("binaryFile").option("pathGlobFilter", "*.wav").load("clips/");
 * Dataset<Row> out = new QwenAsrTranscriber().setModelDir("/models/Qwen3-ASR-0.6B").setInputCol("content")
 *         .transform(audio);
 * }</pre>
 *
 * <p>Each executor loads the model once ({@link EngineCache}) and keeps {@code jobs} transcriptions of a
 * partition in flight on it. Transcription runs every time the result is computed: cache or write the
 * result rather than using it twice. Saved and loaded with a {@code Pipeline} like any ML stage.
 */
public final class QwenAsrTranscriber extends Transformer implements DefaultParamsWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;

    private final Param<String> modelDir;
    private final Param<String> alignerDir;
    private final Param<String> language;
    private final Param<String> prompt;
    private final IntParam maxNewTokens;
    private final IntParam threads;
    private final Param<String> quantization;
    private final Param<String> compute;
    private final IntParam jobs;
    private final Param<String> inputCol;
    private final Param<String> languageCol;
    private final Param<String> textCol;
    private final Param<String> finishReasonCol;
    private final Param<String> audioSecondsCol;
    private final Param<String> errorCol;
    private final Param<String> wordsCol;

    public QwenAsrTranscriber() {
        this(Identifiable$.MODULE$.randomUID("qwenAsr"));
    }

    /** The constructor {@code DefaultParamsReader} calls when a saved pipeline is loaded. */
    public QwenAsrTranscriber(String uid) {
        this.uid = uid;
        // A Param takes its parent's uid when it is made, so the params come after it.
        modelDir = new Param<>(this, "modelDir",
                "speech model directory, at the same path on every executor");
        alignerDir = new Param<>(this, "alignerDir",
                "forced aligner directory for word times; empty for none");
        language = new Param<>(this, "language",
                "language to force (one of the model's names, any case); empty to detect");
        prompt = new Param<>(this, "prompt", "context text that biases recognition");
        maxNewTokens = new IntParam(this, "maxNewTokens",
                "generation limit per decoded piece; 0 = automatic", ParamValidators.gtEq(0));
        threads = new IntParam(this, "threads",
                "engine worker threads per executor; 0 = the executor's processors, at most 16", ParamValidators.gtEq(0));
        quantization = new Param<>(this, "quantization",
                "how the decoder's weights are held: none (as stored) or int8 (quantized once into <model>/.qwen-asr-cache)",
                ParamValidators.inArray(new String[] {"none", "int8"}));
        compute = new Param<>(this, "compute",
                "how the encoder and prefill matmuls run: exact (f32 in Java) or bf16 (oneDNN's bf16 GEMM where the executor has it, else exact)",
                ParamValidators.inArray(new String[] {"exact", "bf16"}));
        jobs = new IntParam(this, "jobs", "transcriptions in flight per task",
                ParamValidators.gtEq(1));
        inputCol = new Param<>(this, "inputCol",
                "input column: WAV paths (string) or WAV bytes (binary)");
        languageCol = new Param<>(this, "languageCol", "output column of the language");
        textCol = new Param<>(this, "textCol", "output column of the transcript");
        finishReasonCol = new Param<>(this, "finishReasonCol",
                "output column of the finish reason (stop or length)");
        audioSecondsCol = new Param<>(this, "audioSecondsCol",
                "output column of the audio duration in seconds");
        errorCol = new Param<>(this, "errorCol", "output column of the error, null when none");
        wordsCol = new Param<>(this, "wordsCol",
                "output column of the timed words (with an aligner)");
        setDefault(alignerDir, "");
        setDefault(language, "");
        setDefault(prompt, "");
        setDefault(maxNewTokens, 0);
        setDefault(threads, 0);
        setDefault(quantization, "none");
        setDefault(compute, "exact");
        setDefault(jobs, BatchSettings.DEFAULT_JOBS);
        setDefault(inputCol, ResultColumns.PATH);
        setDefault(languageCol, ResultColumns.LANGUAGE);
        setDefault(textCol, ResultColumns.TEXT);
        setDefault(finishReasonCol, ResultColumns.FINISH_REASON);
        setDefault(audioSecondsCol, ResultColumns.AUDIO_SECONDS);
        setDefault(errorCol, ResultColumns.ERROR);
        setDefault(wordsCol, ResultColumns.WORDS);
    }

    /** Loads a transformer saved with {@code write().save(path)} (also what {@code Pipeline} loading calls). */
    public static MLReader<QwenAsrTranscriber> read() {
        return new DefaultParamsReader<>();
    }

    public static QwenAsrTranscriber load(String path) {
        return read().load(path);
    }

    @Override
    public String uid() {
        return uid;
    }

    // Params are found by reflection on public methods that return a Param.
    public Param<String> modelDir() { return modelDir; }
    public Param<String> alignerDir() { return alignerDir; }
    public Param<String> language() { return language; }
    public Param<String> prompt() { return prompt; }
    public IntParam maxNewTokens() { return maxNewTokens; }
    public IntParam threads() { return threads; }
    public Param<String> quantization() { return quantization; }
    public Param<String> compute() { return compute; }
    public IntParam jobs() { return jobs; }
    public Param<String> inputCol() { return inputCol; }
    public Param<String> languageCol() { return languageCol; }
    public Param<String> textCol() { return textCol; }
    public Param<String> finishReasonCol() { return finishReasonCol; }
    public Param<String> audioSecondsCol() { return audioSecondsCol; }
    public Param<String> errorCol() { return errorCol; }
    public Param<String> wordsCol() { return wordsCol; }

    public QwenAsrTranscriber setModelDir(String v) { set(modelDir, v); return this; }
    public QwenAsrTranscriber setAlignerDir(String v) { set(alignerDir, v == null ? "" : v); return this; }
    public QwenAsrTranscriber setLanguage(String v) { set(language, v == null ? "" : v); return this; }
    public QwenAsrTranscriber setPrompt(String v) { set(prompt, v == null ? "" : v); return this; }
    public QwenAsrTranscriber setMaxNewTokens(int v) { set(maxNewTokens, v); return this; }
    public QwenAsrTranscriber setThreads(int v) { set(threads, v); return this; }
    /** "none" (the default) or "int8". */
    public QwenAsrTranscriber setQuantization(String v) { set(quantization, v); return this; }
    public QwenAsrTranscriber setCompute(String v) { set(compute, v); return this; }
    public QwenAsrTranscriber setJobs(int v) { set(jobs, v); return this; }
    public QwenAsrTranscriber setInputCol(String v) { set(inputCol, v); return this; }
    public QwenAsrTranscriber setLanguageCol(String v) { set(languageCol, v); return this; }
    public QwenAsrTranscriber setTextCol(String v) { set(textCol, v); return this; }
    public QwenAsrTranscriber setFinishReasonCol(String v) { set(finishReasonCol, v); return this; }
    public QwenAsrTranscriber setAudioSecondsCol(String v) { set(audioSecondsCol, v); return this; }
    public QwenAsrTranscriber setErrorCol(String v) { set(errorCol, v); return this; }
    public QwenAsrTranscriber setWordsCol(String v) { set(wordsCol, v); return this; }

    private boolean withWords() {
        return !$(alignerDir).isBlank();
    }

    @Override
    public StructType transformSchema(StructType schema) {
        if (!isDefined(modelDir) || $(modelDir).isBlank()) {
            throw new IllegalArgumentException("QwenAsrTranscriber: set modelDir (the speech model directory)");
        }
        String in = $(inputCol);
        if (!Arrays.asList(schema.fieldNames()).contains(in)) {
            throw new IllegalArgumentException("QwenAsrTranscriber: no input column '" + in + "' among "
                    + String.join(", ", schema.fieldNames()));
        }
        DataType type = schema.apply(in).dataType();
        if (!type.equals(DataTypes.StringType) && !type.equals(DataTypes.BinaryType)) {
            throw new IllegalArgumentException("QwenAsrTranscriber: input column '" + in + "' is " + type.simpleString()
                    + "; it must hold paths (string) or WAV bytes (binary)");
        }
        List<StructField> added = new ArrayList<>(List.of(
                DataTypes.createStructField($(languageCol), DataTypes.StringType, true),
                DataTypes.createStructField($(textCol), DataTypes.StringType, true),
                DataTypes.createStructField($(finishReasonCol), DataTypes.StringType, true),
                DataTypes.createStructField($(audioSecondsCol), DataTypes.DoubleType, true),
                DataTypes.createStructField($(errorCol), DataTypes.StringType, true)));
        if (withWords()) added.add(DataTypes.createStructField($(wordsCol), ResultColumns.WORDS_TYPE, true));
        StructType out = schema;
        for (StructField f : added) {
            if (Arrays.asList(out.fieldNames()).contains(f.name())) {
                throw new IllegalArgumentException("QwenAsrTranscriber: output column '" + f.name() + "' already exists");
            }
            out = out.add(f);
        }
        return out;
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType out = transformSchema(dataset.schema());
        TranscribeRequest request = TranscriberAdapter.validate(new TranscribeRequest(
                $(language), $(prompt), (Integer) $(maxNewTokens)));
        EngineKey key = new EngineKey($(modelDir), $(alignerDir), (Integer) $(threads),
                $(quantization).equals("int8") ? Quantization.INT8 : Quantization.NONE, ComputeMode.parse($(compute)));
        int index = dataset.schema().fieldIndex($(inputCol));
        boolean binary = dataset.schema().apply($(inputCol)).dataType().equals(DataTypes.BinaryType);
        return dataset.toDF().mapPartitions(
                new TranscribeRows(key, request, (Integer) $(jobs), index, binary, withWords()), Encoders.row(out));
    }

    @Override
    public QwenAsrTranscriber copy(ParamMap extra) {
        return (QwenAsrTranscriber) defaultCopy(extra);
    }
}
