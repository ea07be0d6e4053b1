package io.github.qwenasr;

import io.github.qwenasr.audio.AudioInput;
import io.github.qwenasr.audio.AudioLoader;
import io.github.qwenasr.audio.AudioSource;
import io.github.qwenasr.config.ModelConfig;
import io.github.qwenasr.engine.EngineAccess;
import io.github.qwenasr.engine.Model;
import io.github.qwenasr.engine.OfflineTranscriber;
import io.github.qwenasr.prompt.Languages;
import io.github.qwenasr.stream.StreamOptions;
import io.github.qwenasr.stream.StreamingSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A loaded Qwen3-ASR model: the library's entry point.
 *
 * <pre>{@code
 * try (QwenAsr asr = QwenAsr.load(Path.of("Qwen3-ASR-0.6B"))) {
 *     Transcription t = asr.transcribe(Path.of("speech.wav"));
 *     System.out.println(t.language() + ": " + t.text());
 * }
 * }</pre>
 *
 * Loading maps the weights (bf16, not copied; {@link LoadOptions} may ask for int8 decoder weights)
 * and reads the tokenizer once. The model is thread-safe: each call has its own decoding state;
 * calls from several threads share the worker pool (taking turns on each kernel), and their
 * token-by-token decoding runs as one batch (docs/modes.md 14): transcriptions and streaming steps
 * in flight together cost little more than one, and each gets exactly the tokens it gets alone.
 * {@link #decodeStats()} shows the batch.
 */
public final class QwenAsr implements AutoCloseable {
    static {
        EngineAccess.registerModels(asr -> asr.model);
    }

    private final Model model;
    private final OfflineTranscriber transcriber;
    private final ModelInfo info;

    private QwenAsr(Model model) {
        this.model = model;
        this.transcriber = new OfflineTranscriber(model);
        this.info = model.info(Languages.all());
    }

    /** Loads a model directory with one worker per available processor (at most 16). */
    public static QwenAsr load(Path dir) {
        return load(dir, defaultThreads());
    }

    /** Worker threads {@link #load(Path)} uses: the available processors, at most 16. */
    public static int defaultThreads() {
        return Math.max(1, Math.min(16, Runtime.getRuntime().availableProcessors()));
    }

    /** Loads a model directory as published (docs/model.md 1.1) with the given number of threads, exact f32. */
    public static QwenAsr load(Path dir, int threads) {
        return load(dir, LoadOptions.defaults().withThreads(Math.max(1, threads)));
    }

    /**
     * Loads a model directory as published (docs/model.md 1.1) with the given load options. With
     * {@link Quantization#INT8} the first load quantizes the decoder's linear weights into a cache file
     * (a few seconds for 0.6B) and later loads map it; {@link ModelInfo#quantizationNote()} says which
     * happened. A {@link ComputeMode#BF16} request that cannot be met here (no native module or
     * library, a CPU without bf16) loads exact f32: {@link ModelInfo#compute()} says so and why.
     */
    public static QwenAsr load(Path dir, LoadOptions options) {
        if (!Files.isDirectory(dir)) throw new QwenAsrException("model directory not found: " + dir);
        ModelConfig config = ModelConfig.load(dir);
        if (config.aligner()) {
            throw new QwenAsrException(dir + " holds a forced-aligner model (" + config.variantName()
                    + "), not a speech recognition model");
        }
        return new QwenAsr(Model.open(dir, config, options));
    }

    /**
     * Transcribes an audio file: WAV (any PCM/float format, channel count and sample rate) with the Java
     * decoder, any other format through ffmpeg ({@link AudioInput}).
     */
    public Transcription transcribe(Path audio) {
        return transcribe(audio, TranscribeOptions.defaults());
    }

    /**
     * Transcribes an audio file ({@link AudioInput#open(Path)}) read in pieces: memory follows the longest
     * piece decoded (at most {@link TranscribeOptions#maxPieceSeconds()}), not the length of the recording.
     */
    public Transcription transcribe(Path audio, TranscribeOptions options) {
        try (AudioSource source = AudioInput.open(audio)) {
            return transcribe16k(source, options);
        }
    }

    /** Transcribes WAV bytes, or raw s16le 16 kHz mono when the bytes do not start with RIFF. */
    public Transcription transcribe(byte[] wavOrRaw, TranscribeOptions options) {
        return transcribe16k(AudioLoader.load16k(wavOrRaw), options);
    }

    /** Transcribes float PCM at any sample rate (mono; resampled and peak-guarded, docs/model.md 2.1). */
    public Transcription transcribe(float[] pcm, int sampleRate, TranscribeOptions options) {
        return transcribe16k(AudioLoader.fromPcm(pcm, sampleRate), options);
    }

    /**
     * Transcribes 16 kHz mono samples as they are (no resampling or peak guard): optionally
     * compacts silence (docs/modes.md 5), then decodes either the official long-audio pieces (1200 s)
     * or, with a segment length, the segments of segmented mode (docs/modes.md 4).
     */
    public Transcription transcribe16k(float[] samples, TranscribeOptions options) {
        return transcribe16k(AudioSource.of(samples), options);
    }

    /**
     * {@link #transcribe16k(float[], TranscribeOptions)} on audio read in pieces: only the piece or
     * segment being decoded (and the few seconds a cut search looks at) is held in memory.
     *
     * @throws java.util.concurrent.CancellationException when {@link TranscribeOptions#cancellation()} says so
     */
    public Transcription transcribe16k(AudioSource samples, TranscribeOptions options) {
        return transcriber.transcribe(samples, options, null);
    }

    /**
     * Opens a streaming session on this model (docs/modes.md 6): push audio as it arrives, read
     * committed and tentative text. Sessions are independent and may run on different threads.
     */
    public StreamingSession openStream(StreamOptions options) {
        return EngineAccess.openStream(model, options);
    }

    /**
     * What the shared decode batch is doing now (sequences in it and waiting to join, its bound)
     * and has done (steps, tokens computed, the largest batch): for metrics and tuning.
     */
    public DecodeStats decodeStats() {
        return model.decodeStats();
    }

    /**
     * Opens a segmented session on this model (docs/modes.md 7.2, 7.3): push audio as it arrives; each
     * part (a segment cut at a quiet point, or with {@link TranscribeOptions#withVoiceActivity} an
     * utterance) is transcribed as soon as it is complete, as {@link #transcribe16k(float[],
     * TranscribeOptions)} would transcribe it in a file.
     *
     * @throws QwenAsrException when the options ask for neither a segment length nor voice activity
     *                          detection, or for silence skipping (which needs the whole recording)
     */
    public SegmentedSession openSegmented(TranscribeOptions options) {
        return new SegmentedSession(model, options);
    }

    /** What was loaded: variant, sizes, directory, languages. */
    public ModelInfo info() {
        return info;
    }

    /** The 30 language names the model accepts (official order). */
    public static List<String> supportedLanguages() {
        return Languages.all();
    }

    /**
     * The official spelling of a supported language name given in any case, with surrounding spaces
     * ("  german" gives "German"), or empty for anything else (codes such as "en" are not names).
     */
    public static Optional<String> canonicalLanguage(String name) {
        return Languages.canonical(name);
    }

    /**
     * Stops the worker threads and unmaps the weights; a second call does nothing. Decodes still
     * in flight on other threads end with a {@link QwenAsrException} ("the model was closed"),
     * and later calls fail with "model is closed".
     */
    @Override
    public void close() {
        model.close();
    }
}
