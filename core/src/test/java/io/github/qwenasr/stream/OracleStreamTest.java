package io.github.qwenasr.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.FinishReason;
import io.github.qwenasr.prompt.PyStrings;
import io.github.qwenasr.tokenizer.PreTokenizerRegex;
import io.github.qwenasr.tokenizer.QwenTestTokenizers;
import io.github.qwenasr.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The session's bookkeeping (docs/modes.md 6.2-6.9) against an oracle model: one that knows the
 * transcript, hears {@code tokensPerSecond} of it per second of audio, and continues whatever
 * prefix it is given with the transcript, writing the "language X&lt;asr_text&gt;" header first as
 * the real model does. With such a model nothing may be lost or repeated: the finished committed
 * text must be exactly the transcript, through rollback, prefix capping, history trimming,
 * re-anchors and characters split over byte-level tokens.
 */
class OracleStreamTest {
    private static final int RATE = 16000;
    private static final Tokenizer TOK = QwenTestTokenizers.qwen3(PreTokenizerRegex.QWEN);
    private static final int PAD = TOK.requireAddedToken("<|audio_pad|>");
    private static final int AUDIO_END = TOK.requireAddedToken("<|audio_end|>");
    private static final int ASR_TEXT = TOK.requireAddedToken("<asr_text>");
    private static final int ASSISTANT = 77091;

    private static final String ENGLISH = "Four score and seven years ago our fathers brought forth on this continent, "
            + "a new nation, conceived in Liberty, and dedicated to the proposition that all men are created equal. "
            + "Now we are engaged in a great civil war, testing whether that nation, or any nation so conceived and "
            + "so dedicated, can long endure. We are met on a great battle-field of that war. We have come to "
            + "dedicate a portion of that field, as a final resting place for those who here gave their lives that "
            + "that nation might live. It is altogether fitting and proper that we should do this. But, in a larger "
            + "sense, we can not dedicate, we can not consecrate, we can not hallow this ground.";

    private static final String MIXED = "今天的交易很顺利 😀 我们明天再见 🦩🫠 龘龘 市场价格上涨了百分之三 "
            + "🫠 投资者对前景感到乐观 🦩 然而分析师提醒大家注意风险 😀 下周将公布新的经济数据 龘 "
            + "请大家继续关注我们的报道 🦩🫠 谢谢收看";

    /** The oracle: continues the given prefix with the transcript, up to what it has heard. */
    private static final class Oracle implements TokenGenerator {
        final int[] full;
        final int headerLength;
        final int forcedSuffix;
        final double tokensPerSecond;
        StreamingSession session;
        int lastEnd;
        /** Silent intervals [start, end) in seconds: nothing is heard during them. */
        double[][] pauses = new double[0][];
        /** Answer a step that heard nothing new with an immediate stop (the history then erodes, 6.8). */
        boolean stopWhenNothingNew;
        int lastAudible = -1;

        Oracle(String text, String forcedLanguage, double tokensPerSecond) {
            int[] textIds = TOK.encode(text);
            int[] header = forcedLanguage == null ? concat(TOK.encode("language English"), new int[] {ASR_TEXT}) : new int[0];
            this.full = concat(header, textIds);
            this.headerLength = header.length;
            this.forcedSuffix = forcedLanguage == null ? 0 : TOK.encode("language " + forcedLanguage).length + 1;
            this.tokensPerSecond = tokensPerSecond;
        }

        @Override
        public Output run(StreamPrompt.Layout in, int maxNew, BooleanSupplier cancelled) {
            int[] ids = in.ids();
            int at = 0;
            while (ids[at] != AUDIO_END) at++;
            while (ids[at] != ASSISTANT) at++;
            int[] prefix = Arrays.copyOfRange(ids, at + 2 + forcedSuffix, ids.length);
            int searchFrom = 0;
            if (prefix.length > 0 && prefix[0] == ASR_TEXT) {
                // A re-anchored history: the marker, then text.
                prefix = Arrays.copyOfRange(prefix, 1, prefix.length);
                searchFrom = headerLength;
            }
            int pos = locate(prefix, searchFrom);
            double seconds = session.cursorSamples() / (double) RATE;
            for (double[] p : pauses) seconds -= Math.max(0, Math.min(seconds, p[1]) - p[0]);
            int audible = headerLength + (int) Math.min(full.length - headerLength, Math.floor(seconds * tokensPerSecond));
            boolean nothingNew = audible == lastAudible;
            lastAudible = audible;
            if (stopWhenNothingNew && nothingNew) return new Output(new int[0], 1, false, 0, ids.length, 0, 0);
            int end = Math.max(pos, Math.min(audible, pos + maxNew));
            int[] out = Arrays.copyOfRange(full, pos, end);
            lastEnd = Math.max(lastEnd, end);
            // Stopping early means choosing a stop id: one more iteration.
            int iterations = out.length < maxNew ? out.length + 1 : out.length;
            return new Output(out, iterations, false, 0, ids.length, 0, 0);
        }

        /** End position of the prefix in the transcript: the last match not beyond what was already said. */
        private int locate(int[] prefix, int searchFrom) {
            if (prefix.length == 0) return searchFrom;
            for (int e = Math.min(lastEnd, full.length); e >= searchFrom + prefix.length; e--) {
                if (Arrays.equals(full, e - prefix.length, e, prefix, 0, prefix.length)) return e;
            }
            throw new AssertionError("prefix not in the transcript: " + TOK.decode(prefix, false));
        }

        @Override
        public void invalidate() {}

        @Override
        public void release() {}

        @Override
        public void setReuseEnabled(boolean on) {}
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private record Result(List<StreamUpdate> updates, List<StreamingSession.StepTrace> steps) {
        StreamUpdate last() {
            return updates.get(updates.size() - 1);
        }
    }

    private static Result stream(String text, StreamOptions o, double tokensPerSecond, double seconds) {
        return stream(new Oracle(text, o.language(), tokensPerSecond), o, seconds);
    }

    private static Result stream(Oracle oracle, StreamOptions o, double seconds) {
        // One audio row per 80 ms (12.5 per second, as the real encoder), 8 s encoder windows.
        EncoderWindowCache.SpanEncoder enc = samples -> {
            int rows = Math.max(1, samples.length / 1280);
            return new EncoderWindowCache.Encoded(new float[rows * 2], rows);
        };
        StreamingSession s = new StreamingSession(o, TOK, PAD, 128_000, enc, oracle);
        oracle.session = s;
        List<StreamingSession.StepTrace> steps = new ArrayList<>();
        s.setTracer(steps::add);
        List<StreamUpdate> updates = new ArrayList<>();
        float[] piece = new float[(int) (0.37 * RATE)];
        long total = (long) (seconds * RATE);
        for (long sent = 0; sent < total; sent += piece.length) {
            updates.add(s.push(piece, 0, (int) Math.min(piece.length, total - sent), RATE));
        }
        updates.add(s.finish());
        return new Result(updates, steps);
    }

    private static void assertExact(String transcript, Result r) {
        String before = "";
        for (StreamUpdate u : r.updates()) {
            assertEquals(before + u.committedDelta(), u.committedText());
            assertFalse(u.committedText().contains("\uFFFD"), "U+FFFD in " + u.committedText());
            assertFalse(u.tentativeText().contains("\uFFFD"), "U+FFFD in tentative " + u.tentativeText());
            assertFalse(u.committedText().contains("<asr_text>") || u.tentativeText().contains("<asr_text>"));
            assertFalse(u.committedText().startsWith("language") || u.tentativeText().startsWith("language"),
                    "header shown as text: " + u);
            // Committed + tentative is a prefix of the transcript (the oracle never revises).
            assertTrue(transcript.startsWith(u.committedText() + u.tentativeText()),
                    "not a transcript prefix: [" + u.committedText() + "][" + u.tentativeText() + "]");
            before = u.committedText();
        }
        assertEquals(PyStrings.strip(transcript), r.last().committedText());
    }

    @Test
    void defaultsCommitTheWholeTranscriptOnce() {
        Result r = stream(ENGLISH, StreamOptions.defaults(), 4, 60);
        assertExact(ENGLISH, r);
        assertEquals("English", r.last().language());
        assertTrue(r.steps().stream().allMatch(t -> t.reanchor() == DegeneracyDetector.Reason.NONE));
        // The oracle ends every step by choosing a stop id: a clean finish, said only by the last update.
        assertEquals(FinishReason.STOP, r.last().finishReason());
        assertTrue(r.updates().stream().filter(u -> !u.finished()).allMatch(u -> u.finishReason() == null));
        // Text was committed while streaming, not only at the end.
        assertTrue(r.updates().stream().filter(u -> !u.finished()).anyMatch(u -> u.committedText().length() > 200));
    }

    @Test
    void reanchorsLoseAndRepeatNothing() {
        for (int every : new int[] {3, 4, 7}) {
            Result r = stream(ENGLISH, StreamOptions.defaults().withReanchorChunks(every), 4, 60);
            assertTrue(r.steps().stream().filter(StreamingSession.StepTrace::periodicReanchor).count() >= 3);
            assertExact(ENGLISH, r);
            // Periodic re-anchors are routine: they do not make the finish a repetition.
            assertEquals(FinishReason.STOP, r.last().finishReason());
        }
    }

    @Test
    void forcedLanguageHasNoHeader() {
        Result r = stream(ENGLISH, StreamOptions.defaults().withLanguage("english").withReanchorChunks(5), 4, 60);
        assertExact(ENGLISH, r);
        assertEquals("English", r.last().language());
    }

    @Test
    void cappedPrefixAndTrimmedHistoryKeepTheTextExact() {
        StreamOptions d = StreamOptions.defaults();
        StreamOptions o = new StreamOptions(d.chunkSeconds(), d.rollbackTokens(), d.unfixedChunks(), d.maxNewTokens(),
                d.maxCachedWindows(), 20, true, null, "", 0);
        String longer = ENGLISH + " " + ENGLISH.replace("nation", "country") + " " + ENGLISH.replace("war", "strife");
        Result r = stream(longer, o, 4, 150);
        int keep = 20 + 5 + 32 + 64;
        assertTrue(r.steps().stream().anyMatch(t -> t.rawHeld() > keep), "history never reached the trimming size");
        assertTrue(r.steps().stream().allMatch(t -> t.rawHeld() <= 2 * keep));
        assertTrue(r.steps().stream().allMatch(t -> t.inputRows() <= 9 + 6 + 5 * 104 + 20));
        assertExact(longer, r);
    }

    @Test
    void cjkAndEmojiSplitOverTokensStayWhole() {
        Result r = stream(MIXED, StreamOptions.defaults().withReanchorChunks(4), 3, 60);
        assertExact(MIXED, r);
        Result slow = stream(MIXED, StreamOptions.defaults().withChunkSeconds(0.5), 3, 60);
        assertExact(MIXED, slow);
    }

    @Test
    void aStreamThatHearsNothingIsAnEmptyFinish() {
        Oracle silent = new Oracle(ENGLISH, null, 0);
        silent.stopWhenNothingNew = true;
        Result r = stream(silent, StreamOptions.defaults(), 7);
        assertEquals("", r.last().committedText());
        assertEquals(FinishReason.EMPTY, r.last().finishReason());
    }

    @Test
    void aFinalStepCutAtItsTokenLimitIsALengthFinish() {
        // 8 tokens per step at 12 tokens per second of audio: the model never catches up.
        Result r = stream(ENGLISH, StreamOptions.defaults().withMaxNewTokens(8).withReanchorChunks(0), 12, 10);
        assertEquals(FinishReason.LENGTH, r.last().finishReason());
    }

    @Test
    void speechLongerThanTheAudioStillFlushesWhatWasHeard() {
        // 20 s of audio hears 80 tokens; the final step commits exactly those.
        Result r = stream(ENGLISH, StreamOptions.defaults(), 4, 20);
        int[] ids = TOK.encode(ENGLISH);
        String heard = PyStrings.strip(TOK.decode(Arrays.copyOf(ids, 80), true));
        assertEquals(heard, r.last().committedText());
    }

    @Test
    void pausesWithImmediateStopsLoseAndRepeatNothing() {
        // Silent stretches: each step that hears nothing new stops at once, so the replayed history
        // loses its rollback tail every such step (6.8), down to the header; when speech resumes the
        // model says those tokens again. The audio ends while words are still arriving (50.3 s =
        // 30.3 s of speech = 121 tokens heard), so the final step hears something new.
        int[] ids = TOK.encode(ENGLISH);
        String heard = PyStrings.strip(TOK.decode(Arrays.copyOf(ids, 121), true));
        for (boolean reanchor : new boolean[] {false, true}) {
            Oracle o = new Oracle(ENGLISH, null, 4);
            o.pauses = new double[][] {{6, 16}, {24, 34}};
            o.stopWhenNothingNew = true;
            Result r = stream(o, StreamOptions.defaults().withReanchorChunks(reanchor ? 5 : 0), 50.3);
            assertTrue(r.steps().stream().filter(t -> t.generated() == 0).count() >= 8, "too few silent steps");
            assertExact(heard, r);
        }
    }

    @Test
    void repetitionReanchorsStillDeliverEverything() {
        // A legitimately repeated word (period 1, repeated 8 times) makes the candidate end in a
        // repetition on some steps: those steps re-anchor (6.8) instead of committing, and the text
        // must still come out whole.
        String laugh = ENGLISH.replace("civil war,", "civil war, ha ha ha ha ha ha ha ha,");
        Result r = stream(laugh, StreamOptions.defaults(), 4, 60);
        assertTrue(r.steps().stream().anyMatch(t -> t.reanchor() == DegeneracyDetector.Reason.REPETITION),
                "no repetition re-anchor happened");
        assertExact(laugh, r);
        assertEquals(FinishReason.REPETITION, r.last().finishReason(), "the degeneracy guard fired");
    }
}
