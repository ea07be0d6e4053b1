package io.github.qwenasr.engine;

import io.github.qwenasr.FinishReason;
import io.github.qwenasr.TokenListener;
import io.github.qwenasr.TranscribeOptions;
import io.github.qwenasr.Transcription;
import io.github.qwenasr.generate.DecodeSequence;
import io.github.qwenasr.longform.SegmentJoiner;
import io.github.qwenasr.prompt.OutputParser;
import io.github.qwenasr.prompt.PromptBuilder;
import io.github.qwenasr.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The decoding state of one transcription: decodes its parts one after another and gathers the
 * result. Parts are the official pieces (texts joined with no separator, docs/model.md 5.8) or
 * segments (docs/modes.md 4.3-4.6: segmented mode's, or utterances, 7.5), conditioned on the text so far
 * when the options say so (bounded past text, a conditioned result that looks collapsed re-decoded
 * without it, conditioning off after the second collapse), joined by {@link SegmentJoiner}. Used by
 * {@link OfflineTranscriber} for a whole recording and by a segmented session for parts that arrive
 * over time, so both decode a part the same way. One thread at a time.
 */
public final class SegmentRun {
    private static final int[] NO_PAST = new int[0];

    private final Model model;
    private final TranscribeOptions options;
    private final boolean segments;
    private final Run run = new Run();
    private boolean conditioning;
    private int collapses;

    /**
     * @param segments whether the parts are segments (joined as segments, and conditioned on the text
     *                 so far when {@link TranscribeOptions#conditionsSegments()}) rather than pieces
     */
    public SegmentRun(Model model, TranscribeOptions options, boolean segments) {
        this.model = model;
        this.options = options;
        this.segments = segments;
        this.conditioning = segments && options.conditionsSegments();
    }

    /**
     * Decodes one part and adds it to the result.
     *
     * @param samples      what its decode reads (zero-padded where the rule asks)
     * @param length       its length before padding, in samples
     * @param startSeconds where it starts on the original recording
     * @param endSeconds   where it ends there
     * @return the part as it joins the result
     */
    public Transcription.Segment decode(float[] samples, int length, double startSeconds, double endSeconds) {
        EncodedAudio encoded = model.encode(samples, options.encoderAttention(), true);
        int[] past = conditioning && !run.text.isEmpty()
                ? PromptBuilder.pastTextIds(model.tokenizer(), run.text.toString(), TranscribeOptions.PAST_TEXT_TOKENS)
                : NO_PAST;
        // With conditioning the part may be decoded twice: stream its tokens only once it is final.
        TokenListener live = past.length == 0 ? options.tokenListener() : null;
        Decoded d = decode(encoded, options, past, live, true);
        run.count(d);
        if (past.length > 0) {
            if (collapsed(d.parsed.text(), d.textTokens, length / (double) io.github.qwenasr.longform.TranscriptionPlan.SAMPLE_RATE, run.text)) {
                d = decode(encoded, options, NO_PAST, null, false);
                run.count(d);
                if (++collapses >= 2) conditioning = false;
            }
            if (options.tokenListener() != null) {
                for (int id : d.tokens) options.tokenListener().onToken(id);
            }
        }
        return run.keep(startSeconds, endSeconds, d, segments);
    }

    /** The text so far. */
    public String text() {
        return run.text.toString();
    }

    /** The parts decoded so far. */
    public List<Transcription.Segment> segments() {
        return List.copyOf(run.segments);
    }

    /** The result so far, over a recording of {@code audioSeconds}. */
    public Transcription result(double audioSeconds, Optional<Transcription.SilenceSkip> skip) {
        return run.result(audioSeconds, skip);
    }

    /**
     * docs/modes.md 4.5's collapse test for a conditioned segment: empty; at least 8 s of audio but fewer
     * than max(12, 1.75 per second) text tokens; or 48+ bytes found verbatim in the earlier text.
     */
    public static boolean collapsed(String text, int textTokens, double seconds, CharSequence earlier) {
        if (text.isEmpty()) return true;
        if (seconds >= 8 && textTokens < Math.max(12, (int) Math.floor(seconds * 1.75))) return true;
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length >= 48 && earlier.toString().contains(text);
    }

    /** The official merge of the parts' languages: drop empty entries and consecutive duplicates, join with ','. */
    public static String mergeLanguages(List<String> languages) {
        List<String> out = new ArrayList<>();
        for (String l : languages) {
            if (l == null || l.isEmpty()) continue;
            if (!out.isEmpty() && out.get(out.size() - 1).equals(l)) continue;
            out.add(l);
        }
        return String.join(",", out);
    }

    /** One greedy decode of an encoded part; {@code countEncoder}: whether it reports the mel and encoder cost. */
    private Decoded decode(EncodedAudio e, TranscribeOptions o, int[] pastTextIds, TokenListener listener,
                           boolean countEncoder) {
        Tokenizer tokenizer = model.tokenizer();
        int[] ids = PromptBuilder.idsWithPastText(tokenizer, o.context(), e.count(), o.language(), pastTextIds);
        float[] embeds = model.decoder().embed(ids, model.tokens().audioPad(), e.rows(), e.count());
        DecodeSequence g = model.newSequence().listener(listener).cancellation(o.cancellation());
        g.prefill(embeds, ids.length, o.tokenLimit(e.samples()));
        g.run();
        int[] tokens = g.tokens();
        String raw = tokenizer.decode(tokens, true);
        // After past text every generated token is text (docs/modes.md 3.3); the parser then finds no header.
        OutputParser.Parsed parsed = OutputParser.parse(raw, o.language());
        boolean noHeader = o.language() != null || pastTextIds.length > 0;
        return new Decoded(parsed, raw, tokens, countEncoder ? e : null, g, ids.length,
                textTokens(tokens, noHeader));
    }

    /** Generated ids after the language header (all of them when there is none). */
    private int textTokens(int[] tokens, boolean noHeader) {
        if (noHeader) return tokens.length;
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] == model.tokens().asrText()) return tokens.length - i - 1;
        }
        return 0;
    }

    /** How a part's final decode ended (the order of {@link Transcription.Segment#finishReason()}). */
    static FinishReason finishReason(Decoded d) {
        if (d.parsed.repaired()) return FinishReason.REPETITION;
        if (!d.stopped) return FinishReason.LENGTH;
        if (d.parsed.text().isEmpty()) return FinishReason.EMPTY;
        return FinishReason.STOP;
    }

    /** What one decode produced and cost; {@code encoded} is null when its encoder cost was counted already. */
    private static final class Decoded {
        final OutputParser.Parsed parsed;
        final String raw;
        final int[] tokens;
        final EncodedAudio encoded;
        final long prefillNanos;
        final long decodeNanos;
        final int generated;
        final int promptTokens;
        final int textTokens;
        final boolean stopped;

        Decoded(OutputParser.Parsed parsed, String raw, int[] tokens, EncodedAudio encoded, DecodeSequence g,
                int promptTokens, int textTokens) {
            this.parsed = parsed;
            this.raw = raw;
            this.tokens = tokens;
            this.encoded = encoded;
            this.prefillNanos = g.prefillNanos();
            this.decodeNanos = g.decodeNanos();
            this.generated = g.iterations();
            this.promptTokens = promptTokens;
            this.textTokens = textTokens;
            this.stopped = g.stopped();
        }
    }

    /** Everything one transcription accumulates over its decodes. */
    private static final class Run {
        final StringBuilder text = new StringBuilder();
        final StringBuilder raw = new StringBuilder();
        final List<String> languages = new ArrayList<>();
        final List<Transcription.Segment> segments = new ArrayList<>();
        final List<Integer> tokens = new ArrayList<>();
        long melNanos, encoderNanos, prefillNanos, decodeNanos;
        long melFrames, encoderTokens;
        int prompt, generated, textTokens, runs;
        boolean truncated;

        /** Counts one decode's cost (a discarded collapsed decode counts too: its time was spent). */
        void count(Decoded d) {
            if (d.encoded != null) {
                melNanos += d.encoded.melNanos();
                encoderNanos += d.encoded.encoderNanos();
                melFrames += d.encoded.melFrames();
                encoderTokens += d.encoded.count();
            }
            prefillNanos += d.prefillNanos;
            decodeNanos += d.decodeNanos;
            prompt += d.promptTokens;
            generated += d.generated;
            textTokens += d.textTokens;
            runs++;
        }

        /** Keeps the final decode of a part: its text joins the transcript. */
        Transcription.Segment keep(double startSeconds, double endSeconds, Decoded d, boolean segmented) {
            raw.append(d.raw);
            languages.add(d.parsed.language());
            for (int id : d.tokens) tokens.add(id);
            String partText = d.parsed.text();
            if (segmented) {
                SegmentJoiner.append(text, partText);
            } else {
                text.append(partText);
            }
            truncated |= !d.stopped;
            Transcription.Segment s = new Transcription.Segment(startSeconds, endSeconds, partText,
                    d.parsed.language(), finishReason(d), d.promptTokens, d.generated, d.textTokens);
            segments.add(s);
            return s;
        }

        Transcription result(double audioSeconds, Optional<Transcription.SilenceSkip> skip) {
            Transcription.Stats stats = new Transcription.Stats(audioSeconds,
                    melNanos / 1e6, encoderNanos / 1e6, prefillNanos / 1e6, decodeNanos / 1e6, melFrames, encoderTokens,
                    prompt, generated, textTokens, runs);
            return new Transcription(mergeLanguages(languages), text.toString(), raw.toString(), tokens, segments,
                    truncated, stats, skip);
        }
    }
}
