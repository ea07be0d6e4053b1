package io.github.qwenasr.spark;

import io.github.qwenasr.LoadOptions;
import io.github.qwenasr.QwenAsr;
import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.TranscribeOptions;
import io.github.qwenasr.Transcription;
import io.github.qwenasr.align.AlignedItem;
import io.github.qwenasr.align.ForcedAligner;
import io.github.qwenasr.align.TimestampedTranscriber;
import io.github.qwenasr.audio.AudioInput;
import io.github.qwenasr.audio.AudioLoader;
import io.github.qwenasr.audio.AudioSource;
import io.github.qwenasr.audio.InputFormat;
import io.github.qwenasr.hub.ModelCache;
import io.github.qwenasr.hub.ModelCatalog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one place where this module calls the engine (qwen-asr-core): loading, transcribing a file or
 * WAV bytes, and turning the result or the failure into an {@link Outcome}. When the core reshapes
 * (one decode loop, batched decoding, finish reasons per piece), this is the class to re-wire.
 *
 * <p>Thread-safe: the loaded models are, and each call keeps its state local. Concurrent calls share
 * the engine's worker pool; once the core batches decoding they share each decode step.
 */
public final class TranscriberAdapter implements AutoCloseable {
    private final QwenAsr asr;
    private final ForcedAligner aligner;

    private TranscriberAdapter(QwenAsr asr, ForcedAligner aligner) {
        this.asr = asr;
        this.aligner = aligner;
    }

    /**
     * Loads the speech model and, when the key names one, the forced aligner.
     *
     * @throws QwenAsrSparkException with a one-line reason when a directory does not hold a usable model
     */
    public static TranscriberAdapter load(EngineKey key) {
        int threads = key.threads() > 0 ? key.threads() : QwenAsr.defaultThreads();
        QwenAsr asr;
        try {
            asr = QwenAsr.load(key.modelPath(), new LoadOptions(threads, key.quantization(), key.compute()));
        } catch (QwenAsrException e) {
            throw new QwenAsrSparkException(e.getMessage(), e);
        }
        ForcedAligner aligner = null;
        if (key.alignerPath() != null) {
            try {
                aligner = ForcedAligner.load(key.alignerPath(), threads);
            } catch (QwenAsrException e) {
                asr.close();
                throw new QwenAsrSparkException(e.getMessage(), e);
            }
        }
        return new TranscriberAdapter(asr, aligner);
    }

    /**
     * Checks what a job asks for before any executor runs it (an unknown language fails the job once,
     * instead of every row).
     *
     * @return the request with the language in the model's spelling
     * @throws QwenAsrSparkException saying what is wrong
     */
    public static TranscribeRequest validate(TranscribeRequest request) {
        try {
            TranscribeOptions o = options(request);
            return new TranscribeRequest(o.language(), o.context(), o.maxNewTokens());
        } catch (QwenAsrException e) {
            throw new QwenAsrSparkException(e.getMessage(), e);
        }
    }

    /**
     * The command line's default model: Qwen3-ASR-0.6B in the model cache ($QWEN_ASR_CACHE, ...).
     *
     * @throws QwenAsrSparkException when its download has not completed, saying which command fetches it
     */
    public static Path defaultModelDir(Map<String, String> env) {
        ModelCache cache = ModelCache.fromEnvironment(env);
        ModelCatalog m = ModelCatalog.DEFAULT;
        if (cache.isComplete(m)) return cache.modelDir(m);
        throw new QwenAsrSparkException("no model given (-d) and " + m.repoName() + " is not downloaded (in "
                + cache.root() + "); run: qwen-asr download " + m.shortName());
    }

    public boolean hasAligner() {
        return aligner != null;
    }

    /**
     * Transcribes an audio file as {@code qwen-asr -i FILE} does: WAV in pure Java, any other format
     * through ffmpeg when it is installed.
     */
    public Outcome transcribe(Path file, TranscribeRequest request) {
        return guarded(() -> {
            try (AudioSource source = AudioInput.open(file)) {
                return transcribe16k(source, options(request));
            }
        });
    }

    /**
     * Transcribes the bytes of an audio file: WAV is decoded in memory; anything else is judged exactly
     * as a file would be ({@link #transcribe(Path, TranscribeRequest)}: other audio formats through
     * ffmpeg, images or text refused with a line saying what they look like), from an owner-only
     * temporary copy (ffmpeg needs a file to seek in) deleted afterwards.
     */
    public Outcome transcribe(byte[] bytes, TranscribeRequest request) {
        if (bytes.length == 0) return Outcome.failed("audio file is empty");
        InputFormat kind = InputFormat.sniff(bytes, bytes.length);
        if (kind == InputFormat.WAV || kind == InputFormat.WAV_BIG_ENDIAN) {
            return guarded(() -> transcribe16k(AudioSource.of(AudioLoader.load16k(bytes)), options(request)));
        }
        return guarded(() -> {
            Path copy = TemporaryAudio.write(bytes);
            try (AudioSource source = AudioInput.open(copy)) {
                return transcribe16k(source, options(request));
            } catch (QwenAsrException e) {
                // The row has no file name: the message must not name the temporary copy.
                throw new QwenAsrException(e.getMessage().replace(copy.toString(), "the input"), e);
            } finally {
                TemporaryAudio.delete(copy);
            }
        });
    }

    private Outcome transcribe16k(AudioSource audio, TranscribeOptions options) {
        if (aligner == null) return outcome(asr.transcribe16k(audio, options), null, null);
        TimestampedTranscriber.Result r;
        try {
            r = new TimestampedTranscriber(asr, aligner).transcribe16k(audio, options);
        } catch (QwenAsrException e) {
            // The words failed (e.g. the detected language is one the aligner lacks): the transcript alone,
            // decoded in the same 180 s pieces, with the reason.
            TranscribeOptions same = options.withMaxPieceSeconds(
                    Math.min(options.maxPieceSeconds(), TimestampedTranscriber.MAX_PIECE_SECONDS));
            return outcome(asr.transcribe16k(audio, same), null, "no word times: " + oneLine(e.getMessage()));
        }
        return outcome(r.transcription(), r.items(), null);
    }

    /** Any failure of one input becomes its error row; the job goes on. */
    private static Outcome guarded(java.util.function.Supplier<Outcome> body) {
        try {
            return body.get();
        } catch (QwenAsrException e) {
            return Outcome.failed(oneLine(e.getMessage()));
        } catch (OutOfMemoryError e) {
            return Outcome.failed("out of memory: give the executors a larger heap (spark.executor.memory)");
        } catch (RuntimeException e) {
            return Outcome.failed("internal error: " + e.getClass().getName() + ": " + oneLine(e.getMessage()));
        }
    }

    private static Outcome outcome(Transcription tr, List<AlignedItem> items, String error) {
        Transcription.Stats stats = tr.stats();
        // The core's reason for the whole transcription: stop, length, repetition or empty.
        String finish = tr.finishReason().name().toLowerCase(java.util.Locale.ROOT);
        List<Word> words = null;
        if (items != null) {
            words = new ArrayList<>(items.size());
            for (AlignedItem i : items) words.add(new Word(i.text(), i.startSeconds(), i.endSeconds()));
        }
        return new Outcome(tr.language(), tr.text(), finish, stats.audioSeconds(), error, words);
    }

    private static TranscribeOptions options(TranscribeRequest request) {
        return TranscribeOptions.defaults()
                .withLanguage(request.language())
                .withContext(request.prompt())
                .withMaxNewTokens(request.maxNewTokens());
    }

    private static String oneLine(String message) {
        if (message == null || message.isBlank()) return "unknown error";
        return message.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }

    @Override
    public void close() {
        if (aligner != null) aligner.close();
        asr.close();
    }
}
