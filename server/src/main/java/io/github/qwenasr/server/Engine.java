package io.github.qwenasr.server;

import io.github.qwenasr.ComputeMode;
import io.github.qwenasr.LoadOptions;
import io.github.qwenasr.Quantization;
import io.github.qwenasr.DecodeStats;
import io.github.qwenasr.QwenAsr;
import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.TranscribeOptions;
import io.github.qwenasr.Transcription;
import io.github.qwenasr.align.AlignedItem;
import io.github.qwenasr.align.ForcedAligner;
import io.github.qwenasr.align.TimestampedTranscriber;
import io.github.qwenasr.audio.IncrementalPcmReader;
import io.github.qwenasr.audio.AudioInput;
import io.github.qwenasr.audio.AudioSource;
import io.github.qwenasr.format.OutputFormat;
import io.github.qwenasr.format.SubtitleCue;
import io.github.qwenasr.format.TimedItem;
import io.github.qwenasr.format.TranscriptDocument;
import io.github.qwenasr.hub.ModelCache;
import io.github.qwenasr.hub.ModelCatalog;
import io.github.qwenasr.stream.StreamOptions;
import io.github.qwenasr.stream.StreamUpdate;
import io.github.qwenasr.stream.StreamingSession;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * The server's one door into the engine: every call into the core library goes through this class,
 * and the rest of the server sees only the records declared here. When the core's API changes (one
 * model handle, per-piece finish reasons, batched decoding), this is the class to re-wire.
 *
 * <p>Thread-safe: the loaded models are, and every method keeps its state local.
 */
public final class Engine implements AutoCloseable {
    private final QwenAsr asr;
    private final ForcedAligner aligner;
    private final String modelId;

    private Engine(QwenAsr asr, ForcedAligner aligner, String modelId) {
        this.asr = asr;
        this.aligner = aligner;
        this.modelId = modelId;
    }

    /**
     * Loads the speech model and, when {@code alignerDir} is not null, the forced aligner.
     *
     * @throws Failure with a one-line reason when a directory does not hold a usable model
     */
    public static Engine load(Path modelDir, Path alignerDir, int threads) {
        return load(modelDir, alignerDir, threads, Quantization.NONE);
    }

    /**
     * {@link #load(Path, Path, int)} with the speech model's decoder weights held as
     * {@code quantization} says (the aligner always stays as stored).
     */
    public static Engine load(Path modelDir, Path alignerDir, int threads, Quantization quantization) {
        return load(modelDir, alignerDir, new LoadOptions(threads, quantization, ComputeMode.EXACT));
    }

    /**
     * {@link #load(Path, Path, int)} with the speech model loaded as {@code options} say (threads,
     * int8 decoder weights, bf16 compute); the aligner always stays as stored, in exact f32.
     */
    public static Engine load(Path modelDir, Path alignerDir, LoadOptions options) {
        int threads = options.threads();
        QwenAsr asr;
        try {
            asr = QwenAsr.load(modelDir, options);
        } catch (QwenAsrException e) {
            throw new Failure(e.getMessage());
        }
        ForcedAligner aligner = null;
        if (alignerDir != null) {
            try {
                aligner = ForcedAligner.load(alignerDir, threads);
            } catch (QwenAsrException e) {
                asr.close();
                throw new Failure(e.getMessage());
            }
        }
        Path name = modelDir.toAbsolutePath().normalize().getFileName();
        return new Engine(asr, aligner, name == null ? "qwen3-asr" : name.toString());
    }

    /**
     * The default model of the command line: Qwen3-ASR-0.6B in the model cache ($QWEN_ASR_CACHE, ...).
     *
     * @throws Failure when its download has not completed, saying which command fetches it
     */
    public static Path defaultModelDir(Map<String, String> env) {
        ModelCache cache = ModelCache.fromEnvironment(env);
        ModelCatalog m = ModelCatalog.DEFAULT;
        if (cache.isComplete(m)) return cache.modelDir(m);
        throw new Failure("no model given (-d) and " + m.repoName() + " is not downloaded (in " + cache.root()
                + "); run: qwen-asr download " + m.shortName());
    }

    // ------------------------------------------------------------------ what the server sees

    /**
     * Why decoding stopped: an end token ("stop"), the token limit ("length": the text may be cut
     * short), a repetition the engine repaired or guarded against ("repetition"), or no text at all
     * ("empty"), as the core reports it for the whole transcription.
     */
    public enum FinishReason {
        STOP, LENGTH, REPETITION, EMPTY;

        static FinishReason of(io.github.qwenasr.FinishReason core) {
            return switch (core) {
                case STOP -> STOP;
                case LENGTH -> LENGTH;
                case REPETITION -> REPETITION;
                case EMPTY -> EMPTY;
            };
        }

        /** The value the API reports. */
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Whether word times are wanted: not at all, required (fail without them) or when the aligner can give them. */
    public enum Timing { NONE, REQUIRED, IF_AVAILABLE }

    /**
     * What one transcription should do.
     *
     * @param language     a canonical name, or null to detect
     * @param maxNewTokens generation limit per piece; 0 = the engine's automatic limit
     */
    public record Request(String language, String prompt, Timing timing, int maxNewTokens) {}

    /** A timed word (or CJK character), seconds on the recording. */
    public record Word(String text, double start, double end) {}

    /** A stretch of the recording with its text. */
    public record Segment(double start, double end, String text) {}

    /**
     * One transcription.
     *
     * @param language        the language name(s) as the model reports them, "" when unknown
     * @param pieces          the decoded pieces of the recording (long audio is split)
     * @param words           timed words; empty unless requested and available
     * @param generatedTokens tokens generated over all pieces
     */
    public record Result(String text, String language, double audioSeconds, List<Segment> pieces, List<Word> words,
                         FinishReason finishReason, int promptTokens, int generatedTokens) {
        public Result {
            pieces = List.copyOf(pieces);
            words = List.copyOf(words);
        }

        /** True when some piece hit the token limit, so the text may be incomplete. */
        public boolean truncated() {
            return finishReason == FinishReason.LENGTH;
        }
    }

    /** A failure whose message is safe to show a client: bad audio, an unsupported option. */
    public static final class Failure extends RuntimeException {
        public Failure(String message) {
            super(message);
        }
    }

    /** Thrown when the caller's cancel condition turned true during a transcription. */
    public static final class Cancelled extends RuntimeException {
        Cancelled() {
            super("cancelled", null, false, false);
        }
    }

    public String modelId() {
        return modelId;
    }

    /** The line on --compute bf16: what runs the matmuls, or why exact f32 does; empty for an exact load. */
    public String computeNote() {
        return asr.info().compute().notice();
    }

    /** One line on how int8 decoder weights were obtained at load (cache file mapped or written, or memory); empty without. */
    public String quantizationNote() {
        return asr.info().quantizationNote();
    }

    public boolean hasAligner() {
        return aligner != null;
    }

    /** What the model's shared decode batch is doing (uploads and streaming steps decode together). */
    public DecodeStats decodeStats() {
        return asr.decodeStats();
    }

    /** The language names the model accepts, in its own spelling. */
    public List<String> languages() {
        return QwenAsr.supportedLanguages();
    }

    /** Whether the forced aligner can time words of this (canonical) language. */
    public boolean alignerSupports(String language) {
        return aligner != null && TimestampedTranscriber.canonicalLanguage(language) != null;
    }

    // ------------------------------------------------------------------ offline

    /** An opened audio file: its length is known before the model runs. */
    public static final class Audio implements AutoCloseable {
        private final AudioSource source;

        private Audio(AudioSource source) {
            this.source = source;
        }

        /** Length in seconds at the model's rate. */
        public double seconds() {
            return source.length() / 16000.0;
        }

        @Override
        public void close() {
            source.close();
        }
    }

    /**
     * Opens an audio or video file as the command line does (docs/modes.md 2.6): WAV of any encoding in
     * Java, any other format through ffmpeg when the server's machine has it.
     *
     * @param shownAs how error messages name the file (never its path on this machine)
     * @throws Failure when the file is not usable audio
     */
    public Audio open(Path file, String shownAs) {
        try {
            return new Audio(AudioInput.open(file));
        } catch (QwenAsrException e) {
            throw new Failure(withoutPath(e.getMessage(), file, shownAs));
        }
    }

    /**
     * Transcribes opened audio, with word times when the request asks and the aligner can.
     *
     * @param cancelled polled between generated tokens; when it turns true, {@link Cancelled} is thrown
     * @throws Failure   for a request the engine refuses (e.g. word times in a language the aligner lacks)
     * @throws Cancelled when {@code cancelled} turned true
     */
    public Result transcribe(Audio audio, Request request, BooleanSupplier cancelled) {
        if (cancelled.getAsBoolean()) throw new Cancelled();
        TranscribeOptions options = TranscribeOptions.defaults()
                .withLanguage(request.language())
                .withContext(request.prompt() == null ? "" : request.prompt())
                .withMaxNewTokens(request.maxNewTokens())
                .withTokenListener(id -> {
                    if (cancelled.getAsBoolean()) throw new Cancelled();
                });
        boolean timed = request.timing() != Timing.NONE && aligner != null
                && (request.language() == null || alignerSupports(request.language()));
        if (request.timing() == Timing.REQUIRED && !timed) {
            throw new Failure(aligner == null
                    ? "word timestamps need the forced aligner; start the server with --aligner DIR"
                    : "the forced aligner cannot time " + request.language() + "; it supports "
                    + String.join(", ", TimestampedTranscriber.supportedLanguages()));
        }
        try {
            if (timed) {
                try {
                    TimestampedTranscriber.Result r = new TimestampedTranscriber(asr, aligner)
                            .transcribe16k(audio.source, options);
                    return result(r.transcription(), r.items());
                } catch (QwenAsrException e) {
                    // The detected language may be one the aligner lacks: required times fail, optional ones are dropped.
                    if (request.timing() == Timing.REQUIRED) throw e;
                }
            }
            return result(asr.transcribe16k(audio.source, options), List.of());
        } catch (QwenAsrException e) {
            throw new Failure(e.getMessage());
        }
    }

    private static Result result(Transcription t, List<AlignedItem> items) {
        List<Segment> pieces = new ArrayList<>();
        for (Transcription.Segment s : t.segments()) pieces.add(new Segment(s.startSeconds(), s.endSeconds(), s.text()));
        List<Word> words = new ArrayList<>();
        for (AlignedItem i : items) words.add(new Word(i.text(), i.startSeconds(), i.endSeconds()));
        Transcription.Stats stats = t.stats();
        FinishReason finish = FinishReason.of(t.finishReason());
        return new Result(t.text(), t.language(), stats.audioSeconds(), pieces, words, finish, stats.promptTokens(),
                stats.generated());
    }

    // ------------------------------------------------------------------ formats

    /** SubRip subtitles: cues built from the words, or one cue over the whole audio without them. */
    public String srt(Result r) {
        return OutputFormat.SRT.render(document(r), r.audioSeconds());
    }

    /** WebVTT subtitles, cued like {@link #srt}. */
    public String vtt(Result r) {
        return OutputFormat.VTT.render(document(r), r.audioSeconds());
    }

    /** The subtitle cues of {@link #srt} as segments (cue lines joined by a space). */
    public List<Segment> cues(Result r) {
        List<Segment> out = new ArrayList<>();
        for (SubtitleCue c : document(r).cues(r.audioSeconds())) {
            out.add(new Segment(c.startMs() / 1000.0, c.endMs() / 1000.0, String.join(" ", c.lines())));
        }
        return out;
    }

    private static TranscriptDocument document(Result r) {
        List<TimedItem> items = new ArrayList<>();
        for (Word w : r.words()) items.add(new TimedItem(w.text(), w.start(), w.end()));
        return new TranscriptDocument(r.language(), r.text(), items);
    }

    // ------------------------------------------------------------------ streaming

    /** What a streaming step produced. */
    public record StreamStep(String committedDelta, String committedText, String tentativeText, String language,
                             boolean finished) {}

    /** A live transcription: push audio as it arrives, finish at the end; {@link #cancel} from any thread. */
    public interface Stream {
        /** Mono samples in [-1, 1] at {@code sampleRate}; runs every complete chunk. */
        StreamStep push(float[] pcm, int sampleRate);

        /** Decodes the rest and commits the whole text. */
        StreamStep finish();

        /** Stops a running push or finish at its next step and frees the session. */
        void cancel();

        /** Seconds of audio received so far. */
        double audioSeconds();
    }

    /**
     * Opens a streaming session.
     *
     * @param language     canonical name or null (detect)
     * @param chunkSeconds audio per decoding step
     * @throws Failure for options the engine refuses
     */
    public Stream openStream(String language, String prompt, double chunkSeconds) {
        StreamingSession session;
        try {
            session = asr.openStream(StreamOptions.defaults().withLanguage(language)
                    .withContext(prompt == null ? "" : prompt).withChunkSeconds(chunkSeconds));
        } catch (QwenAsrException e) {
            throw new Failure(e.getMessage());
        }
        return new Stream() {
            @Override
            public StreamStep push(float[] pcm, int sampleRate) {
                return step(() -> session.push(pcm, sampleRate));
            }

            @Override
            public StreamStep finish() {
                return step(session::finish);
            }

            @Override
            public void cancel() {
                session.cancel();
            }

            @Override
            public double audioSeconds() {
                return session.audioSeconds();
            }
        };
    }

    /**
     * Reads a WAV byte stream as it arrives (any encoding, channel count and rate the command line's
     * {@code --stdin} takes; header sizes may be unset). Blocks until the header has arrived.
     *
     * @throws Failure when the bytes are not a usable WAV stream
     */
    PcmBlocks openWavStream(InputStream in) {
        IncrementalPcmReader reader = new IncrementalPcmReader(in, 16384);
        try {
            reader.readHeader();
        } catch (QwenAsrException e) {
            throw new Failure(streamMessage(e));
        }
        if (!reader.isWav()) throw new Failure("format is wav, but the audio does not start with a RIFF or RF64 header");
        return new PcmBlocks() {
            @Override
            public float[] next() {
                try {
                    return reader.read();
                } catch (QwenAsrException e) {
                    throw new Failure(streamMessage(e));
                }
            }

            @Override
            public int sampleRate() {
                return reader.sampleRate();
            }
        };
    }

    /** The reader's messages speak of stdin, where the command line uses it. */
    private static String streamMessage(QwenAsrException e) {
        return String.valueOf(e.getMessage()).replace("on stdin", "in the stream").replace("stdin", "the stream");
    }

    private static StreamStep step(java.util.function.Supplier<StreamUpdate> call) {
        try {
            StreamUpdate u = call.get();
            return new StreamStep(u.committedDelta(), u.committedText(), u.tentativeText(), u.language(), u.finished());
        } catch (CancellationException e) {
            throw new Cancelled();
        } catch (QwenAsrException e) {
            throw new Failure(e.getMessage());
        }
    }

    // ------------------------------------------------------------------

    /** A message about {@code file} with its path replaced by {@code shownAs}: clients never see server paths. */
    static String withoutPath(String message, Path file, String shownAs) {
        if (message == null) return "unreadable audio";
        String out = message.replace(file.toAbsolutePath().toString(), shownAs).replace(file.toString(), shownAs);
        Path name = file.getFileName();
        return name == null ? out : out.replace(name.toString(), shownAs);
    }

    @Override
    public void close() {
        if (aligner != null) aligner.close();
        asr.close();
    }
}
