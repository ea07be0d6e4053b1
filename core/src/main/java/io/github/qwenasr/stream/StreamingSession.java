package io.github.qwenasr.stream;

import io.github.qwenasr.FinishReason;
import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.audio.AudioLoader;
import io.github.qwenasr.audio.Resampler;
import io.github.qwenasr.audio.StreamingResampler;
import io.github.qwenasr.config.ModelConfig;
import io.github.qwenasr.EncoderAttention;
import io.github.qwenasr.engine.EncodedAudio;
import io.github.qwenasr.engine.EngineAccess;
import io.github.qwenasr.engine.Model;
import io.github.qwenasr.mel.LogMel;
import io.github.qwenasr.prompt.Languages;
import io.github.qwenasr.prompt.OutputParser;
import io.github.qwenasr.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One live transcription over a shared, loaded model (docs/modes.md 6): push PCM as it arrives, get
 * committed and tentative text back. Created by {@code QwenAsr.openStream(StreamOptions)}; many
 * sessions may share one model. A session is used from one thread at a time, except
 * {@link #cancel()} (and {@link #close()}), which any thread may call: a push or finish that starts
 * while another is running on the session fails at once with an {@link IllegalStateException},
 * and the running one goes on undisturbed.
 *
 * <p>Each step follows the C engine's per-chunk loop (6.2): the audio context is the cached
 * encoder windows plus the re-encoded partial window (6.3, {@link EncoderWindowCache}); the prompt
 * replays the hypothesis minus its rollback tail, at most {@code maxPrefixTokens} of it (6.4); the
 * prefill reuses the KV rows whose identities did not change (6.5, {@link StepDecoder}); long runs
 * of one token are cut ({@link RunSuppressor}); the candidate is committed by
 * {@link CommitPolicy} or, when {@link DegeneracyDetector} objects, the session re-anchors on the
 * last emitted tokens (6.8). Differences from the C engine, all deliberate:
 * <ul>
 *   <li>the final step (and {@link #finish()} without new audio) always commits the whole
 *       hypothesis: no re-anchor runs on it (6.9), and a periodic re-anchor takes effect when the
 *       next step starts, so a finish right after it still flushes the tentative tail;</li>
 *   <li>the rollback never cuts into the "language X&lt;asr_text&gt;" header, so steps that generate
 *       nothing cannot erode the replayed history into it;</li>
 *   <li>a candidate that is a strict prefix of the committed one does not shrink it, so tokens
 *       regenerated after it are not emitted twice ({@link CommitPolicy});</li>
 *   <li>a re-anchor resets the committed candidate to the carried tokens (as C; R does not);</li>
 *   <li>steps during the unfixed cold start do not count towards stagnation;</li>
 *   <li>the raw history is trimmed to what the prefix, commit and de-dup rules can still read,
 *       so memory stays bounded without periodic re-anchors;</li>
 *   <li>committed text is carried as UTF-8 bytes across tokens and whitespace-stripped at both
 *       ends as it grows, so every delta extends the text and the finished text is stripped.</li>
 * </ul>
 * With {@code pastText} off each step decodes its audio context from scratch (C semantics, 6.12):
 * allowed, but the transcript then arrives in bursts with gaps; keep conditioning on.
 */
public final class StreamingSession implements AutoCloseable {
    static {
        EngineAccess.registerStreams(StreamingSession::new);
    }

    private static final int SAMPLE_RATE = Resampler.TARGET_RATE;
    /** Tokens carried over a re-anchor (6.8). */
    static final int CARRY_TOKENS = 24;
    /** Extra history kept beyond prefix + rollback so empty steps do not erode the prefix at once. */
    private static final int HISTORY_SLACK = 64;

    /** What one step did (package-private diagnostics for tests). */
    record StepTrace(int chunkIndex, boolean isFinal, long cursor, int headRows, int inputRows, int reusedRows,
                     int audioRows, int cachedWindows, int windowRowsReusable, int generated, int dropped,
                     int emitted, DegeneracyDetector.Reason reanchor, boolean periodicReanchor, int rawHeld,
                     int committedHeld, int audioHeld, double encodeMillis, double prefillMillis, double decodeMillis, double millis) {}

    private final StreamOptions options;
    private final Tokenizer tokenizer;
    private final String forcedLanguage;
    private final int asrText;
    private final int chunkSamples;
    private final StreamPrompt prompt;
    private final EncoderWindowCache encoderCache;
    private final TokenGenerator generator;
    private final StreamAudio audio = new StreamAudio();
    private final CommittedText committedText = new CommittedText();
    private final RecentTokens emitted = new RecentTokens(64);
    private final DegeneracyDetector degeneracy = new DegeneracyDetector();
    private final int historyKeep;
    /** Set while a push or finish runs: a second one at the same time would corrupt the step state. */
    private final AtomicBoolean inCall = new AtomicBoolean();

    private StreamingResampler resampler;
    private int inputRate;
    private long cursor;
    private int chunks;
    /** Raw history (6.2 step 8), absolute positions since the last rebuild. */
    private final TokenWindow raw = new TokenWindow();
    /** Position of the first {@code <asr_text>} in the raw history, or -1. */
    private long markerAt = -1;
    /** Committed candidate: positions [committedOrigin, committedOrigin + committedLength) of its own window. */
    private final TokenWindow committed = new TokenWindow();
    private long committedOrigin;
    private int committedLength;
    private String language;
    private String tentative = "";
    private boolean finished;
    private boolean failed;
    private volatile boolean cancelled;
    private Consumer<StepTrace> tracer;
    private double totalEncodeMs, totalPrefillMs, totalDecodeMs, totalStepMs;
    private long totalGenerated, totalCommitted;
    private int reanchors;
    /** Re-anchors the degeneracy guard asked for (not the periodic ones). */
    private int degenerateReanchors;
    /** Whether the last decoding step ended at its token or position limit rather than an end token. */
    private boolean lastStepLimited;
    private long totalPromptRows;
    private FinishReason finishReason;
    /** Cursor of a periodic re-anchor decided by the last step and not yet applied, or -1. */
    private long reanchorAt = -1;

    /**
     * A session over explicit parts (tests drive it with a scripted generator).
     *
     * @param windowSamples encoder attention window in 16 kHz samples
     */
    StreamingSession(StreamOptions options, Tokenizer tokenizer, int audioTokenId, long windowSamples,
                     EncoderWindowCache.SpanEncoder spanEncoder, TokenGenerator generator) {
        this.options = Objects.requireNonNull(options, "options");
        this.tokenizer = tokenizer;
        this.forcedLanguage = options.language() == null || options.language().isBlank()
                ? null : Languages.require(options.language());
        this.language = forcedLanguage == null ? "" : forcedLanguage;
        this.asrText = tokenizer.requireAddedToken("<asr_text>");
        this.chunkSamples = (int) Math.round(options.chunkSeconds() * SAMPLE_RATE);
        this.prompt = new StreamPrompt(tokenizer, options.context(), forcedLanguage, audioTokenId);
        this.encoderCache = new EncoderWindowCache(windowSamples, options.maxCachedWindows(), spanEncoder);
        this.generator = generator;
        this.historyKeep = options.maxPrefixTokens() + options.rollbackTokens() + options.maxNewTokens() + HISTORY_SLACK;
    }

    /** A session on a loaded model: what {@code QwenAsr.openStream} opens, through {@link EngineAccess}. */
    StreamingSession(Model model, StreamOptions options) {
        this(Objects.requireNonNull(options, "options"), model.tokenizer(), model.tokens().audioPad(),
                windowSamples(model.config().audio()),
                samples -> {
                    EncodedAudio e = model.encode(samples, EncoderAttention.WINDOWED, false);
                    return new EncoderWindowCache.Encoded(e.rows(), e.count());
                },
                new StepDecoder(model.decoder(), model.newSequence(), model.tokens().audioPad()));
    }

    /** The encoder's attention window in 16 kHz samples: whole 100-frame chunks, as AudioEncoder.windowTokens counts them. */
    private static long windowSamples(ModelConfig.AudioConfig ac) {
        long windowFrames = (long) Math.max(1, ac.nWindowInfer() / ac.chunkFrames()) * ac.chunkFrames();
        return windowFrames * LogMel.HOP;
    }

    /** Appends mono PCM at the given rate (resampled statefully to 16 kHz) and runs every complete chunk. */
    public StreamUpdate push(float[] pcm, int sampleRate) {
        return push(pcm, 0, pcm.length, sampleRate);
    }

    /**
     * Appends {@code pcm[offset, offset+length)}, mono at {@code sampleRate}, and runs every
     * complete chunk now available. Samples are clipped to [-1, 1].
     *
     * @throws QwenAsrException       after {@link #finish()}, when the rate differs from the first
     *                                push's, or for NaN/infinite samples
     * @throws CancellationException  after {@link #cancel()}
     * @throws IllegalStateException  while another push or finish is running on this session
     */
    public StreamUpdate push(float[] pcm, int offset, int length, int sampleRate) {
        enter();
        try {
            return pushAlone(pcm, offset, length, sampleRate);
        } finally {
            inCall.set(false);
        }
    }

    private StreamUpdate pushAlone(float[] pcm, int offset, int length, int sampleRate) {
        checkUsable();
        Objects.checkFromIndexSize(offset, length, pcm.length);
        if (resampler == null) {
            if (sampleRate > 0) AudioLoader.checkLowestRate(sampleRate, "");
            try {
                resampler = StreamingResampler.to16k(sampleRate);
            } catch (IllegalArgumentException e) {
                throw new QwenAsrException("unsupported sample rate " + sampleRate + " Hz: " + e.getMessage(), e);
            }
            inputRate = sampleRate;
        } else if (sampleRate != inputRate) {
            throw new QwenAsrException("sample rate changed from " + inputRate + " to " + sampleRate
                    + " Hz within one stream");
        }
        for (int i = offset; i < offset + length; i++) {
            if (!Float.isFinite(pcm[i])) throw new QwenAsrException("audio contains NaN or infinite samples");
        }
        appendAudio(resampler.push(pcm, offset, length));
        Call call = new Call();
        return guarded(() -> {
            while (audio.end() - cursor >= chunkSamples) step(cursor + chunkSamples, false, call);
        }, call);
    }

    /**
     * Processes the remaining audio as the final step and commits the whole final hypothesis
     * (6.9); with no audio left since the last step, commits the last hypothesis as it stands.
     * Later pushes and finishes fail.
     *
     * @throws IllegalStateException while a push is running on this session
     */
    public StreamUpdate finish() {
        enter();
        try {
            return finishAlone();
        } finally {
            inCall.set(false);
        }
    }

    private StreamUpdate finishAlone() {
        checkUsable();
        if (resampler != null) appendAudio(resampler.finish());
        Call call = new Call();
        StreamUpdate u = guarded(() -> {
            while (audio.end() - cursor > chunkSamples) step(cursor + chunkSamples, false, call);
            if (audio.end() > cursor) {
                step(audio.end(), true, call);
            } else {
                commitFinal(call);
            }
            call.delta.append(committedText.finish());
            finishReason = degenerateReanchors > 0 ? FinishReason.REPETITION
                    : lastStepLimited ? FinishReason.LENGTH
                    : committedText.text().isEmpty() ? FinishReason.EMPTY : FinishReason.STOP;
            finished = true;
            tentative = "";
            generator.release();
            encoderCache.restartAt(cursor);
            audio.discardBefore(audio.end());
        }, call);
        return u;
    }

    /** Stops a push or finish running on another thread at its next decoding step; the session is then closed. */
    public void cancel() {
        cancelled = true;
    }

    @Override
    public void close() {
        cancel();
    }

    /** All text committed so far. */
    public String committedText() {
        return committedText.text();
    }

    /** Detected (or forced) language, "" while unknown. */
    public String language() {
        return language;
    }

    /** Seconds of 16 kHz audio received so far (after resampling). */
    public double audioSeconds() {
        return audio.end() / (double) SAMPLE_RATE;
    }

    /** Decoding steps run so far. */
    public int chunks() {
        return chunks;
    }

    /** Whether {@link #finish()} has completed. */
    public boolean isFinished() {
        return finished;
    }

    // ------------------------------------------------------------------ package-private test hooks

    /** Cumulative timings and token counts of the steps run so far, and how the stream ended once finished. */
    public StreamStats stats() {
        return new StreamStats(chunks, totalEncodeMs, totalPrefillMs, totalDecodeMs, totalStepMs, totalPromptRows,
                totalGenerated, totalCommitted, reanchors, finishReason);
    }

    void setTracer(Consumer<StepTrace> t) {
        tracer = t;
    }

    void setPrefillReuse(boolean on) {
        generator.setReuseEnabled(on);
    }

    int reanchors() {
        return reanchors;
    }

    long windowsEncoded() {
        return encoderCache.windowsEncoded();
    }

    /** Audio decoded so far, in 16 kHz samples. */
    long cursorSamples() {
        return cursor;
    }

    // ------------------------------------------------------------------ the step

    /** What one push/finish call accumulates. */
    private static final class Call {
        final StringBuilder delta = new StringBuilder();
        final List<Double> millis = new ArrayList<>();
    }

    /**
     * Marks a push or finish as running. Two at once would run their steps on the same history,
     * caches and decoder buffers, each corrupting what the other's kernels read.
     */
    private void enter() {
        if (!inCall.compareAndSet(false, true)) {
            throw new IllegalStateException("a streaming session is not thread-safe: push or finish called while "
                    + "another call on it is running");
        }
    }

    private void checkUsable() {
        if (finished) throw new QwenAsrException("stream already finished");
        if (cancelled) throw new CancellationException("stream cancelled");
        if (failed) throw new QwenAsrException("stream stopped after an earlier error");
    }

    private StreamUpdate guarded(Runnable work, Call call) {
        try {
            work.run();
        } catch (CancellationException e) {
            release();
            throw e;
        } catch (RuntimeException | Error e) {
            failed = true;
            release();
            throw e;
        }
        if (cancelled) {
            release();
            throw new CancellationException("stream cancelled");
        }
        return new StreamUpdate(call.delta.toString(), committedText.text(), tentative, language, chunks, call.millis,
                finished, finishReason);
    }

    private void release() {
        generator.release();
        encoderCache.restartAt(cursor);
    }

    private void appendAudio(float[] s) {
        for (int i = 0; i < s.length; i++) s[i] = Math.max(-1f, Math.min(1f, s[i]));
        audio.append(s);
    }

    private void step(long newCursor, boolean isFinal, Call call) {
        long t0 = System.nanoTime();
        if (cancelled) throw new CancellationException("stream cancelled");
        int chunkIndex = chunks;
        if (reanchorAt >= 0) {
            reanchor(reanchorAt);
            reanchorAt = -1;
        }
        cursor = newCursor;

        // 6.3: audio context = cached windows + the partial window.
        long tEnc = System.nanoTime();
        encoderCache.advance(audio, cursor);
        List<EncoderWindowCache.Span> spans = encoderCache.windows();
        int windowRows = 0;
        for (EncoderWindowCache.Span s : spans) windowRows += s.count();
        EncoderWindowCache.Span tail = encoderCache.tail(audio, cursor);
        if (tail != null) spans.add(tail);
        double encodeMs = (System.nanoTime() - tEnc) / 1e6;
        double prefillMs = 0;
        double decodeMs = 0;

        // 6.4: prefix = hypothesis minus the rollback tail, the most recent maxPrefixTokens of it.
        boolean usePrefix = options.pastText() && chunkIndex >= options.unfixedChunks() && raw.end() > 0;
        long prefixEnd = usePrefix ? Math.max(raw.start(), raw.end() - options.rollbackTokens()) : 0;
        // The rollback re-decodes text, never the "language X<asr_text>" header (C lets steps that
        // generate nothing erode the history into it, and the header then gets committed as text).
        if (usePrefix && markerAt >= 0) prefixEnd = Math.max(prefixEnd, Math.min(raw.end(), markerAt + 1));
        int[] prefix = raw.copy(Math.max(raw.start(), prefixEnd - options.maxPrefixTokens()), prefixEnd);

        StreamPrompt.Layout layout = prompt.layout(spans, prefix);
        int generated = 0;
        int dropped = 0;
        int reused = 0;
        boolean hitLimit = false;
        if (layout.audioRows() > 0) {
            // 6.5-6.6: prefill with reuse, greedy decode.
            TokenGenerator.Output out = generator.run(layout, options.maxNewTokens(), () -> cancelled);
            reused = out.reusedRows();
            prefillMs = out.prefillNanos() / 1e6;
            decodeMs = out.decodeNanos() / 1e6;
            generated = out.tokens().length;
            hitLimit = out.iterations() == options.maxNewTokens() || out.positionLimited();
            lastStepLimited = out.iterations() == out.tokens().length;   // no end token was chosen
            totalPromptRows += layout.ids().length;
            // 6.2 steps 7-8: run suppression, raw history = full prefix + survivors.
            int[] prefixTail = raw.copy(Math.max(raw.start(), prefixEnd - RunSuppressor.MAX_RUN), prefixEnd);
            RunSuppressor.Result kept = RunSuppressor.filter(prefixTail, out.tokens(), RunSuppressor.MAX_RUN);
            dropped = kept.dropped();
            raw.truncate(prefixEnd);
            if (markerAt >= prefixEnd) markerAt = -1;
            for (int id : kept.kept()) {
                if (id == asrText && markerAt < 0) markerAt = raw.end();
                raw.append(id);
            }
        }
        // With no audio rows at all (a context shorter than one mel frame) the hypothesis stands.
        updateLanguage();

        // 6.2 step 9: text region.
        long textStart = textStart();
        int textTokens = (int) Math.max(0, raw.end() - textStart);
        int candidateLength = CommitPolicy.candidateLength(textTokens, chunkIndex, isFinal, options.unfixedChunks(),
                options.rollbackTokens());
        TokenView candidate = raw.view(textStart, candidateLength);

        // 6.7-6.8: commit, or re-anchor when degenerate (never on the final step: 6.9).
        DegeneracyDetector.Reason reason = DegeneracyDetector.Reason.NONE;
        boolean periodic = false;
        int emittedTokens = 0;
        if (!isFinal) {
            reason = degeneracy.check(candidate, candidateLength, committedLength, hitLimit, dropped,
                    chunkIndex < options.unfixedChunks());
        }
        if (reason != DegeneracyDetector.Reason.NONE) {
            degenerateReanchors++;
            reanchor(cursor);
        } else {
            emittedTokens = commit(textStart, candidate, call);
            periodic = !isFinal && options.pastText() && options.reanchorChunks() > 0
                    && chunkIndex >= options.unfixedChunks() && (chunkIndex + 1) % options.reanchorChunks() == 0;
            // Applied when the next step starts: a finish() with no audio left still flushes this hypothesis.
            if (periodic) reanchorAt = cursor;
        }
        trimHistory();
        tentative = isFinal ? "" : tentativeText();
        chunks++;
        audio.discardBefore(encoderCache.windowBase(cursor));
        double ms = (System.nanoTime() - t0) / 1e6;
        call.millis.add(ms);
        totalEncodeMs += encodeMs;
        totalPrefillMs += prefillMs;
        totalDecodeMs += decodeMs;
        totalStepMs += ms;
        totalGenerated += generated;
        totalCommitted += emittedTokens;
        if (tracer != null) {
            tracer.accept(new StepTrace(chunkIndex, isFinal, cursor, prompt.headLength(), layout.ids().length, reused,
                    layout.audioRows(), encoderCache.cachedWindows(), windowRows, generated, dropped, emittedTokens,
                    reason, periodic, raw.size(), committed.size(), audio.held(), encodeMs, prefillMs, decodeMs, ms));
        }
    }

    /** Commits the whole current hypothesis without decoding (finish with no audio left). */
    private void commitFinal(Call call) {
        long textStart = textStart();
        int textTokens = (int) Math.max(0, raw.end() - textStart);
        totalCommitted += commit(textStart, raw.view(textStart, textTokens), call);
    }

    /** Text region start (6.2 step 9): after the first {@code <asr_text>}, or 0 (always 0 when forced). */
    private long textStart() {
        if (forcedLanguage != null || markerAt < 0) return 0;
        return Math.min(markerAt + 1, raw.end());
    }

    private TokenView committedView() {
        return committed.view(committedOrigin, committedLength);
    }

    /** 6.7 with the candidate's text region at {@code textStart}; returns the number of tokens emitted. */
    private int commit(long textStart, TokenView candidate, Call call) {
        CommitPolicy.Decision d = CommitPolicy.commit(committedView(), candidate, emitted.all());
        int count = 0;
        for (int i = d.emitFrom(); i < d.emitTo(); i++) {
            int id = candidate.get(i);
            if (id == TokenView.FORGOTTEN) continue;
            emitted.add(id);
            count++;
            if (id == asrText) continue; // the marker is framing, never text
            call.delta.append(committedText.append(tokenizer.decodeBytes(new int[] {id}, true)));
        }
        if (d.keepCommitted() && committedOrigin == textStart) return count;
        // The committed candidate becomes the new candidate (positions the raw history forgot stay forgotten).
        long keptFrom = Math.max(textStart, raw.start());
        long end = textStart + candidate.length();
        committed.restartAt(Math.min(keptFrom, end));
        committed.appendAll(raw.copy(keptFrom, end));
        committedOrigin = textStart;
        committedLength = candidate.length();
        return count;
    }

    /**
     * 6.8 re-anchor: the history restarts as [{@code <asr_text>} unless forced] + the last 24
     * emitted tokens, which also become the committed candidate; prefill reuse and the encoder
     * cache restart at the current window base.
     */
    private void reanchor(long atCursor) {
        int[] carry = emitted.last(CARRY_TOKENS);
        raw.clear();
        markerAt = -1;
        if (forcedLanguage == null) {
            markerAt = 0;
            raw.append(asrText);
        }
        raw.appendAll(carry);
        committedOrigin = textStart();
        committed.restartAt(committedOrigin);
        committed.appendAll(carry);
        committedLength = carry.length;
        generator.invalidate();
        encoderCache.restartAt(atCursor);
        degeneracy.reset();
        reanchors++;
    }

    /** Keeps the raw history (and the committed candidate with it) bounded. */
    private void trimHistory() {
        if (raw.size() <= 2 * historyKeep) return;
        long cut = raw.end() - historyKeep;
        raw.dropBefore(cut);
        committed.dropBefore(cut);
    }

    /** The detected language from the hypothesis header "language X" before {@code <asr_text>}. */
    private void updateLanguage() {
        if (forcedLanguage != null || markerAt <= 0 || raw.start() > 0) return;
        String header = tokenizer.decode(raw.copy(0, markerAt), true);
        language = OutputParser.parse(header + "<asr_text>", null).language();
    }

    /** The hypothesis beyond the committed candidate, as text continuing the committed text. */
    private String tentativeText() {
        long textStart = textStart();
        long from = Math.max(raw.start(), textStart + committedLength);
        int[] ids = raw.copy(from, raw.end());
        if (ids.length == 0) return "";
        if (forcedLanguage == null && markerAt < 0 && committedLength == 0) {
            // No <asr_text> yet: a hypothesis that is still its "language X" header is not text.
            String whole = tokenizer.decode(ids, true).stripLeading();
            if (whole.regionMatches(true, 0, "language", 0, Math.min(whole.length(), 8))) return "";
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        for (int id : ids) {
            if (id != asrText) bytes.writeBytes(tokenizer.decodeBytes(new int[] {id}, true));
        }
        return committedText.preview(bytes.toByteArray());
    }
}
