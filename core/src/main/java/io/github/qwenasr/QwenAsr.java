package io.github.qwenasr;

import io.github.qwenasr.audio.AudioLoader;
import io.github.qwenasr.config.ModelConfig;
import io.github.qwenasr.decoder.TextDecoder;
import io.github.qwenasr.encoder.AudioEncoder;
import io.github.qwenasr.generate.GreedyDecoder;
import io.github.qwenasr.kernel.Parallel;
import io.github.qwenasr.longform.AudioSplitter;
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
    private final int imEnd;
    private final int endOfText;
    private final int asrText;

    private QwenAsr(Path dir, ModelConfig config, WeightStore weights, Tokenizer tokenizer, AudioEncoder encoder,
                    TextDecoder decoder, Parallel pool) {
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
        if (!Files.isDirectory(dir)) throw new QwenAsrException("model directory not found: " + dir);
        ModelConfig config = ModelConfig.load(dir);
        if (config.aligner()) {
            throw new QwenAsrException(dir + " holds a forced-aligner model (" + config.variantName()
                    + "), not a speech recognition model");
        }
        WeightStore weights = WeightStore.open(dir);
        Parallel pool = null;
        try {
            Tokenizer tokenizer = Tokenizer.load(dir);
            checkTokenIds(config, tokenizer);
            AudioEncoder encoder = new AudioEncoder(config.audio(), weights);
            TextDecoder decoder = new TextDecoder(config.text(), weights, config.text().vocabSize());
            pool = new Parallel(Math.max(1, threads));
            return new QwenAsr(dir, config, weights, tokenizer, encoder, decoder, pool);
        } catch (RuntimeException e) {
            if (pool != null) pool.close();
            weights.close();
            throw e;
        }
    }

    private static void checkTokenIds(ModelConfig c, Tokenizer t) {
        if (t.requireAddedToken("<|audio_pad|>") != c.audioTokenId()
                || t.requireAddedToken("<|audio_start|>") != c.audioStartTokenId()
                || t.requireAddedToken("<|audio_end|>") != c.audioEndTokenId()) {
            throw new QwenAsrException("tokenizer_config.json and config.json disagree on the audio token ids");
        }
        if (c.audioTokenId() >= c.text().vocabSize()) {
            throw new QwenAsrException("config.json: vocab_size " + c.text().vocabSize() + " does not cover the audio token id");
        }
    }

    /** Transcribes a WAV file (any PCM/float format, channel count and sample rate). */
    public Transcription transcribe(Path wav) {
        return transcribe(wav, TranscribeOptions.defaults());
    }

    public Transcription transcribe(Path wav, TranscribeOptions options) {
        return transcribe16k(AudioLoader.load16k(wav), options);
    }

    /** Transcribes WAV bytes, or raw s16le 16 kHz mono when the bytes do not start with RIFF. */
    public Transcription transcribe(byte[] wavOrRaw, TranscribeOptions options) {
        return transcribe16k(AudioLoader.load16k(wavOrRaw), options);
    }

    /** Transcribes float PCM at any sample rate (mono; resampled and peak-guarded, MODEL.md 2.1). */
    public Transcription transcribe(float[] pcm, int sampleRate, TranscribeOptions options) {
        return transcribe16k(AudioLoader.fromPcm(pcm, sampleRate), options);
    }

    /** Transcribes 16 kHz mono samples as they are (no resampling or peak guard). */
    public Transcription transcribe16k(float[] samples, TranscribeOptions options) {
        if (samples.length == 0) throw new QwenAsrException("audio is empty");
        List<AudioSplitter.Piece> pieces = AudioSplitter.split(samples, options.maxPieceSeconds());
        StringBuilder text = new StringBuilder();
        StringBuilder raw = new StringBuilder();
        List<String> languages = new ArrayList<>();
        int[] allTokens = new int[0];
        double mel = 0, enc = 0, pre = 0, dec = 0;
        int prompt = 0, gen = 0, textTokens = 0;
        for (AudioSplitter.Piece piece : pieces) {
            PieceResult r = transcribePiece(piece.samples(), options);
            text.append(r.parsed.text());
            raw.append(r.raw);
            languages.add(r.parsed.language());
            int old = allTokens.length;
            allTokens = Arrays.copyOf(allTokens, old + r.tokens.length);
            System.arraycopy(r.tokens, 0, allTokens, old, r.tokens.length);
            mel += r.melMs;
            enc += r.encMs;
            pre += r.prefillMs;
            dec += r.decodeMs;
            prompt += r.promptLen;
            gen += r.generated;
            textTokens += r.textTokens;
        }
        Transcription.Stats stats = new Transcription.Stats(samples.length / 16000.0, mel, enc, pre, dec, prompt, gen,
                textTokens, pieces.size());
        return new Transcription(mergeLanguages(languages), text.toString(), raw.toString(), allTokens, stats);
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
                               double prefillMs, double decodeMs, int promptLen, int generated, int textTokens) {}

    private PieceResult transcribePiece(float[] samples, TranscribeOptions o) {
        long t0 = System.nanoTime();
        LogMel.Features features = LogMel.compute(samples);
        long t1 = System.nanoTime();
        float[] audio = encoder.encode(pool, features.data(), features.frames(), o.encoderAttention());
        int a = encoder.tokenCount(features.frames());
        long t2 = System.nanoTime();
        int[] ids = PromptBuilder.ids(tokenizer, o.context(), a, o.language());
        float[] embeds = decoder.embed(ids, config.audioTokenId(), audio, a);
        GreedyDecoder.Result g = GreedyDecoder.run(pool, decoder, embeds, ids.length, o.maxNewTokens(),
                id -> id == imEnd || id == endOfText, o.tokenListener());
        String raw = tokenizer.decode(g.tokens(), true);
        OutputParser.Parsed parsed = OutputParser.parse(raw, o.language());
        int textTokens = countTextTokens(g.tokens(), o.language() != null);
        return new PieceResult(parsed, raw, g.tokens(), (t1 - t0) / 1e6, (t2 - t1) / 1e6, g.prefillNanos() / 1e6,
                g.decodeNanos() / 1e6, ids.length, g.tokens().length + (g.stopped() ? 1 : 0), textTokens);
    }

    private int countTextTokens(int[] tokens, boolean forced) {
        if (forced) return tokens.length;
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] == asrText) return tokens.length - i - 1;
        }
        return 0;
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
