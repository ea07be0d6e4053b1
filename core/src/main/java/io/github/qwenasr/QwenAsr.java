package io.github.qwenasr;

import io.github.qwenasr.audio.AudioLoader;
import io.github.qwenasr.audio.AudioSource;
import io.github.qwenasr.audio.WavFileSource;
import io.github.qwenasr.config.ModelConfig;
import io.github.qwenasr.config.TensorNames;
import io.github.qwenasr.decoder.TextDecoder;
import io.github.qwenasr.encoder.AudioEncoder;
import io.github.qwenasr.generate.GreedyDecoder;
import io.github.qwenasr.generate.TokenListener;
import io.github.qwenasr.kernel.Parallel;
import io.github.qwenasr.longform.AudioSplitter;
import io.github.qwenasr.longform.SegmentJoiner;
import io.github.qwenasr.longform.Segmenter;
import io.github.qwenasr.longform.SilenceCompactor;
import io.github.qwenasr.longform.TimeMap;
import io.github.qwenasr.mel.LogMel;
import io.github.qwenasr.prompt.OutputParser;
import io.github.qwenasr.prompt.PromptBuilder;
import io.github.qwenasr.tokenizer.Tokenizer;
import io.github.qwenasr.weights.WeightStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
 * Loading maps the weights (bf16, not copied) and reads the tokenizer once. The model is
 * immutable and thread-safe: each call has its own decoding state, and calls from several
 * threads share the worker pool (they take turns on each kernel).
 */
public final class QwenAsr implements AutoCloseable {
    private final Path dir;
    private final ModelConfig config;
    private final WeightStore weights;
    private final Tokenizer tokenizer;
    private final AudioEncoder encoder;
    private final TextDecoder decoder;
    private final Parallel pool;
    private final io.github.qwenasr.weights.Int8WeightCache.Result int8;
    private final int imEnd;
    private final int endOfText;
    private final int asrText;

    private QwenAsr(Path dir, ModelConfig config, WeightStore weights, Tokenizer tokenizer, AudioEncoder encoder,
                    TextDecoder decoder, Parallel pool, io.github.qwenasr.weights.Int8WeightCache.Result int8) {
        this.int8 = int8;
        this.dir = dir;
        this.config = config;
        this.weights = weights;
        this.tokenizer = tokenizer;
        this.encoder = encoder;
        this.decoder = decoder;
        this.pool = pool;
        this.imEnd = tokenizer.requireAddedToken("<|im_end|>");
        this.endOfText = tokenizer.requireAddedToken("<|endoftext|>");
        this.asrText = tokenizer.requireAddedToken("<asr_text>");
    }

    /** Loads a model directory with one worker per available processor (at most 16). */
    public static QwenAsr load(Path dir) {
        return load(dir, defaultThreads());
    }

    public static int defaultThreads() {
        return Math.max(1, Math.min(16, Runtime.getRuntime().availableProcessors()));
    }

    /** Loads a model directory as published (MODEL.md 1.1) with the given number of threads. */
    public static QwenAsr load(Path dir, int threads) {
        return load(dir, LoadOptions.defaults().withThreads(Math.max(1, threads)));
    }

    /**
     * Loads a model directory as published (MODEL.md 1.1). With {@link Quantization#INT8} the first
     * load quantizes the decoder's linear weights into a cache file (a few seconds for 0.6B) and
     * later loads map it; {@link #int8Weights()} says which happened.
     */
    public static QwenAsr load(Path dir, LoadOptions options) {
        if (!Files.isDirectory(dir)) throw new QwenAsrException("model directory not found: " + dir);
        ModelConfig config = ModelConfig.load(dir);
        if (config.aligner()) {
            throw new QwenAsrException(dir + " holds a forced-aligner model (" + config.variantName()
                    + "), not a speech recognition model");
        }
        ModelParts p = ModelParts.open(dir, config, config.text().vocabSize(), options.threads(), options.quantization());
        try {
            return new QwenAsr(dir, config, p.weights(), p.tokenizer(), p.encoder(), p.decoder(), p.pool(), p.int8());
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
    }

    /** Transcribes a WAV file (any PCM/float format, channel count and sample rate). */
    public Transcription transcribe(Path wav) {
        return transcribe(wav, TranscribeOptions.defaults());
    }

    /**
     * Transcribes a WAV file read in pieces: memory follows the longest piece decoded (at most
     * {@link TranscribeOptions#maxPieceSeconds()}), not the length of the recording.
     */
    public Transcription transcribe(Path wav, TranscribeOptions options) {
        try (WavFileSource source = WavFileSource.open(wav)) {
            return transcribe16k(source, options);
        }
    }

    /** Transcribes WAV bytes, or raw s16le 16 kHz mono when the bytes do not start with RIFF. */
    public Transcription transcribe(byte[] wavOrRaw, TranscribeOptions options) {
        return transcribe16k(AudioLoader.load16k(wavOrRaw), options);
    }

    /** Transcribes float PCM at any sample rate (mono; resampled and peak-guarded, MODEL.md 2.1). */
    public Transcription transcribe(float[] pcm, int sampleRate, TranscribeOptions options) {
        return transcribe16k(AudioLoader.fromPcm(pcm, sampleRate), options);
    }

    /**
     * Transcribes 16 kHz mono samples as they are (no resampling or peak guard): optionally
     * compacts silence (MODES.md 5), then decodes either the official long-audio pieces (1200 s)
     * or, with a segment length, the segments of segmented mode (MODES.md 4).
     */
    public Transcription transcribe16k(float[] samples, TranscribeOptions options) {
        return transcribe16k(AudioSource.of(samples), options);
    }

    /**
     * {@link #transcribe16k(float[], TranscribeOptions)} on audio read in pieces: only the piece or
     * segment being decoded (and the few seconds a cut search looks at) is held in memory.
     */
    public Transcription transcribe16k(AudioSource samples, TranscribeOptions options) {
        if (samples.length() == 0) throw new QwenAsrException("audio is empty");
        AudioSource audio = samples;
        TimeMap map = TimeMap.identity(samples.length());
        if (options.skipSilence()) {
            SilenceCompactor.Compacted compacted = SilenceCompactor.compact(samples);
            audio = compacted.audio();
            map = compacted.map();
        }
        List<Segmenter.Range> ranges = Segmenter.split(audio, options.segmentSeconds(), options.searchSeconds());
        checkSegmentLengths(ranges, options);
        Run run = new Run();
        if (ranges.size() == 1) {
            transcribePieces(audio, map, options, run);
        } else {
            transcribeSegments(audio, ranges, map, options, run);
        }
        return run.result(samples.length() / (double) AudioSplitter.SAMPLE_RATE);
    }

    /** Segments are decoded whole, so none may exceed the piece limit (a single range is split as usual). */
    static void checkSegmentLengths(List<Segmenter.Range> ranges, TranscribeOptions options) {
        if (ranges.size() < 2) return;
        for (Segmenter.Range r : ranges) {
            if (r.length() > options.maxPieceSeconds() * AudioSplitter.SAMPLE_RATE) {
                throw new QwenAsrException(String.format(java.util.Locale.ROOT,
                        "a %.1f s segment exceeds the %.0f s piece limit; use a smaller segment length",
                        r.length() / (double) AudioSplitter.SAMPLE_RATE, options.maxPieceSeconds()));
            }
        }
    }

    /** The offline path: the official split at 1200 s, piece texts joined with no separator (MODEL.md 5.8). */
    private void transcribePieces(AudioSource audio, TimeMap map, TranscribeOptions options, Run run) {
        List<Segmenter.Range> pieces = AudioSplitter.ranges(audio, options.maxPieceSeconds());
        for (int i = 0; i < pieces.size(); i++) {
            Segmenter.Range piece = pieces.get(i);
            float[] samples = AudioSplitter.pieceSamples(audio, pieces, i);
            PieceResult r = decode(encode(samples, options), options, NO_PAST, options.tokenListener(), true);
            run.count(r);
            run.keep(r);
            run.text.append(r.parsed.text());
            run.addSegment(map, piece.start(), piece.end(), r.parsed.text(), r.parsed.language());
        }
    }

    /**
     * Segmented mode (MODES.md 4.3-4.5, with the 12.x defects fixed): each segment is decoded on its
     * own, optionally after a bounded past-text suffix; a conditioned result that looks collapsed is
     * re-decoded without it (conditioning stops after the second collapse); texts are joined by
     * {@link SegmentJoiner}.
     */
    private void transcribeSegments(AudioSource audio, List<Segmenter.Range> ranges, TimeMap map,
                                    TranscribeOptions options, Run run) {
        boolean conditioning = options.pastText().enabledForSegments();
        int collapses = 0;
        for (Segmenter.Range range : ranges) {
            float[] segment = Segmenter.decodable(audio, range);
            Encoded encoded = encode(segment, options);
            int[] past = conditioning && !run.text.isEmpty()
                    ? PromptBuilder.pastTextIds(tokenizer, run.text.toString(),
                    TranscribeOptions.PAST_TEXT_TOKENS) : NO_PAST;
            // With conditioning the segment may be decoded twice: stream its tokens only once it is final.
            TokenListener live = past.length == 0 ? options.tokenListener() : null;
            PieceResult r = decode(encoded, options, past, live, true);
            run.count(r);
            if (past.length > 0) {
                double seconds = range.length() / (double) AudioSplitter.SAMPLE_RATE;
                if (collapsed(r, seconds, run.text)) {
                    r = decode(encoded, options, NO_PAST, null, false);
                    run.count(r);
                    if (++collapses >= 2) conditioning = false;
                }
                if (options.tokenListener() != null) {
                    for (int id : r.tokens) options.tokenListener().onToken(id);
                }
            }
            run.keep(r);
            String text = r.parsed.text();
            SegmentJoiner.append(run.text, text);
            run.addSegment(map, range.start(), range.end(), text, r.parsed.language());
        }
    }

    private static final int[] NO_PAST = new int[0];

    /**
     * MODES.md 4.5's collapse test for a conditioned segment: empty; at least 8 s of audio but fewer
     * than max(12, 1.75 per second) text tokens; or 48+ bytes found verbatim in the earlier text.
     */
    static boolean collapsed(String text, int textTokens, double seconds, CharSequence earlier) {
        if (text.isEmpty()) return true;
        if (seconds >= 8 && textTokens < Math.max(12, (int) Math.floor(seconds * 1.75))) return true;
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length >= 48
                && earlier.toString().contains(text);
    }

    private static boolean collapsed(PieceResult r, double seconds, CharSequence earlier) {
        return collapsed(r.parsed.text(), r.textTokens, seconds, earlier);
    }

    /** Everything one transcription accumulates over its decoder runs. */
    private static final class Run {
        final StringBuilder text = new StringBuilder();
        final StringBuilder raw = new StringBuilder();
        final List<String> languages = new ArrayList<>();
        final List<Transcription.Segment> segments = new ArrayList<>();
        int[] tokens = new int[0];
        double mel, enc, pre, dec;
        int prompt, gen, textTokens, runs, limited;

        /** Keeps the output of a run whose text is used (not that of a discarded collapsed decode). */
        void keep(PieceResult r) {
            raw.append(r.raw);
            languages.add(r.parsed.language());
            int old = tokens.length;
            tokens = Arrays.copyOf(tokens, old + r.tokens.length);
            System.arraycopy(r.tokens, 0, tokens, old, r.tokens.length);
        }

        /** Counts one decoder run's cost (a collapsed decode counts too: its time was spent). */
        void count(PieceResult r) {
            mel += r.melMs;
            enc += r.encMs;
            pre += r.prefillMs;
            dec += r.decodeMs;
            prompt += r.promptLen;
            gen += r.generated;
            textTokens += r.textTokens;
            runs++;
            if (r.limited) limited++;
        }

        void addSegment(TimeMap map, int start, int end, String segmentText, String language) {
            if (segmentText.isEmpty()) return;
            segments.add(new Transcription.Segment(map.toOriginalSample(start) / AudioSplitter.SAMPLE_RATE,
                    map.toOriginalSample(end) / AudioSplitter.SAMPLE_RATE, segmentText, language));
        }

        Transcription result(double audioSeconds) {
            Transcription.Stats stats = new Transcription.Stats(audioSeconds, mel, enc, pre, dec, prompt, gen,
                    textTokens, runs, limited);
            return new Transcription(mergeLanguages(languages), text.toString(), raw.toString(), tokens, stats,
                    segments);
        }
    }

    /** Official merge: drop empty entries and consecutive duplicates, join with ','. */
    static String mergeLanguages(List<String> langs) {
        List<String> out = new ArrayList<>();
        for (String l : langs) {
            if (l == null || l.isEmpty()) continue;
            if (!out.isEmpty() && out.get(out.size() - 1).equals(l)) continue;
            out.add(l);
        }
        return String.join(",", out);
    }

    private record PieceResult(OutputParser.Parsed parsed, String raw, int[] tokens, double melMs, double encMs,
                               double prefillMs, double decodeMs, int promptLen, int generated, int textTokens,
                               boolean limited) {}

    /** Encoder output of one piece, kept so a re-decode does not repeat the encoder. */
    private record Encoded(float[] audio, int audioTokens, int samples, double melMs, double encMs) {}

    private Encoded encode(float[] samples, TranscribeOptions o) {
        long t0 = System.nanoTime();
        LogMel.Features features = LogMel.compute(samples);
        long t1 = System.nanoTime();
        float[] audio = encoder.encode(pool, features.data(), features.frames(), o.encoderAttention());
        int a = encoder.tokenCount(features.frames());
        // The encoder's 373 MB (0.6B) are not read again until the next piece: out of the resident
        // set, the decode peak is the decoder's weights and the heap alone (about 0.3 GB lower).
        weights.releasePages(TensorNames.ENC);
        long t2 = System.nanoTime();
        return new Encoded(audio, a, samples.length, (t1 - t0) / 1e6, (t2 - t1) / 1e6);
    }

    /** One greedy decode; {@code countEncoder}: whether this run reports the mel and encoder time. */
    private PieceResult decode(Encoded e, TranscribeOptions o, int[] pastTextIds, TokenListener listener,
                               boolean countEncoder) {
        int[] ids = PromptBuilder.idsWithPastText(tokenizer, o.context(), e.audioTokens(), o.language(), pastTextIds);
        float[] embeds = decoder.embed(ids, config.audioTokenId(), e.audio(), e.audioTokens());
        int limit = o.tokenLimit(e.samples());
        GreedyDecoder.Result g = GreedyDecoder.run(pool, decoder, embeds, ids.length, limit,
                id -> id == imEnd || id == endOfText, listener);
        String raw = tokenizer.decode(g.tokens(), true);
        // After past text every generated token is text (MODES.md 3.3); the parser then finds no header.
        OutputParser.Parsed parsed = OutputParser.parse(raw, o.language());
        boolean noHeader = o.language() != null || pastTextIds.length > 0;
        int textTokens = countTextTokens(g.tokens(), noHeader);
        double melMs = countEncoder ? e.melMs() : 0;
        double encMs = countEncoder ? e.encMs() : 0;
        return new PieceResult(parsed, raw, g.tokens(), melMs, encMs, g.prefillNanos() / 1e6,
                g.decodeNanos() / 1e6, ids.length, g.tokens().length + (g.stopped() ? 1 : 0), textTokens,
                !g.stopped());
    }

    private int countTextTokens(int[] tokens, boolean forced) {
        if (forced) return tokens.length;
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] == asrText) return tokens.length - i - 1;
        }
        return 0;
    }

    /**
     * Opens a streaming session on this model (MODES.md 6): push audio as it arrives, read
     * committed and tentative text. Sessions are independent and may run on different threads.
     */
    public io.github.qwenasr.stream.StreamingSession openStream(io.github.qwenasr.stream.StreamOptions options) {
        return io.github.qwenasr.stream.StreamingSession.open(this, options);
    }

    public ModelConfig config() {
        return config;
    }

    public Path directory() {
        return dir;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** The encoder, for diagnostics and equivalence tests. */
    public AudioEncoder encoder() {
        return encoder;
    }

    /** The decoder, for diagnostics and equivalence tests. */
    public TextDecoder decoder() {
        return decoder;
    }

    /** How the int8 decoder weights were obtained on load (cache file mapped or written, or memory); empty without int8. */
    public java.util.Optional<io.github.qwenasr.weights.Int8WeightCache.Result> int8Weights() {
        return java.util.Optional.ofNullable(int8);
    }

    /** The worker pool the model's kernels run on. */
    public Parallel pool() {
        return pool;
    }

    /** The 30 language names the model accepts (official order). */
    public static List<String> supportedLanguages() {
        return io.github.qwenasr.prompt.Languages.all();
    }

    @Override
    public void close() {
        pool.close();
        weights.close();
    }
}
