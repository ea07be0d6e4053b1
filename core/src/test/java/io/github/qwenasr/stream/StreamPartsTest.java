package io.github.qwenasr.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.prompt.PromptBuilder;
import io.github.qwenasr.tokenizer.PreTokenizerRegex;
import io.github.qwenasr.tokenizer.QwenTestTokenizers;
import io.github.qwenasr.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The encoder window cache (docs/modes.md 6.3), prompt assembly (6.2 step 5) and row identities (6.5). */
class StreamPartsTest {
    private static final int W = 128_000;

    /** A fake encoder: one row per 1000 samples, each row holding the span's first sample. */
    private static final class CountingEncoder implements EncoderWindowCache.SpanEncoder {
        final List<Integer> lengths = new ArrayList<>();

        @Override
        public EncoderWindowCache.Encoded encode(float[] samples) {
            lengths.add(samples.length);
            int rows = Math.max(1, samples.length / 1000);
            float[] out = new float[rows];
            java.util.Arrays.fill(out, samples[0]);
            return new EncoderWindowCache.Encoded(out, rows);
        }
    }

    private static StreamAudio ramp(int seconds) {
        StreamAudio a = new StreamAudio();
        float[] x = new float[seconds * 16000];
        for (int i = 0; i < x.length; i++) x[i] = i;
        a.append(x);
        return a;
    }

    @Test
    void completedWindowsAreEncodedOnceAndEvicted() {
        CountingEncoder enc = new CountingEncoder();
        EncoderWindowCache cache = new EncoderWindowCache(W, 2, enc);
        StreamAudio audio = ramp(40);
        for (long cursor = 32_000; cursor <= 40 * 16000; cursor += 32_000) {
            cache.advance(audio, cursor);
            assertTrue(cache.cachedWindows() <= 2);
        }
        // 40 s = 5 complete windows, each encoded once on its own 128000 samples.
        assertEquals(5, cache.windowsEncoded());
        assertEquals(List.of(W, W, W, W, W), enc.lengths);
        List<EncoderWindowCache.Span> w = cache.windows();
        assertEquals(2, w.size());
        assertEquals(3, w.get(0).window());
        assertEquals(4, w.get(1).window());
        assertEquals(3f * W, w.get(0).rows()[0]);
    }

    @Test
    void tailIsTheWindowRemainderAndNewEachStep() {
        CountingEncoder enc = new CountingEncoder();
        EncoderWindowCache cache = new EncoderWindowCache(W, 4, enc);
        StreamAudio audio = ramp(12);
        cache.advance(audio, 160_000);
        EncoderWindowCache.Span t1 = cache.tail(audio, 160_000);
        EncoderWindowCache.Span t2 = cache.tail(audio, 160_000);
        assertEquals(32, t1.count());
        assertEquals((float) W, t1.rows()[0]);
        assertTrue(t1.serial() != t2.serial(), "a tail is new each step");
        // At a window boundary there is no tail; shorter than one mel frame's input neither.
        assertNull(cache.tail(audio, 128_000));
        assertNull(cache.tail(audio, 128_100));
    }

    @Test
    void manyWindowsInOneStepOnlyEncodeTheSurvivors() {
        CountingEncoder enc = new CountingEncoder();
        EncoderWindowCache cache = new EncoderWindowCache(W, 2, enc);
        StreamAudio audio = ramp(40);
        cache.advance(audio, 40 * 16000);
        assertEquals(2, cache.windowsEncoded());
        assertEquals(3, cache.windows().get(0).window());
    }

    @Test
    void restartDropsTheCacheAndResumesAtTheWindowBase() {
        CountingEncoder enc = new CountingEncoder();
        EncoderWindowCache cache = new EncoderWindowCache(W, 4, enc);
        StreamAudio audio = ramp(30);
        cache.advance(audio, 300_000);
        assertEquals(2, cache.cachedWindows());
        cache.restartAt(300_000);
        assertEquals(0, cache.cachedWindows());
        audio.discardBefore(cache.windowBase(300_000));
        cache.advance(audio, 384_000);
        assertEquals(1, cache.cachedWindows());
        assertEquals(2, cache.windows().get(0).window());
        assertEquals(3, cache.windowsEncoded());
    }

    @Test
    void promptIdsMatchTheOfflinePrompt() {
        Tokenizer tok = QwenTestTokenizers.qwen3(PreTokenizerRegex.QWEN);
        int pad = tok.requireAddedToken("<|audio_pad|>");
        for (String lang : new String[] {null, "English", "Chinese"}) {
            for (String ctx : new String[] {"", "names: Anna, Bob"}) {
                StreamPrompt p = new StreamPrompt(tok, ctx, lang, pad);
                for (int n : new int[] {0, 1, 7, 130}) {
                    assertArrayEquals(PromptBuilder.ids(tok, ctx, n, lang), p.ids(n), lang + "/" + ctx + "/" + n);
                }
            }
        }
    }

    @Test
    void rowIdentitiesSeparateTokensWindowsAndTails() {
        Tokenizer tok = QwenTestTokenizers.qwen3(PreTokenizerRegex.QWEN);
        int pad = tok.requireAddedToken("<|audio_pad|>");
        StreamPrompt p = new StreamPrompt(tok, "", null, pad);
        EncoderWindowCache.Span win = new EncoderWindowCache.Span(0, 0, new float[3 * 2], 3);
        EncoderWindowCache.Span tailA = new EncoderWindowCache.Span(1, -1, new float[2 * 2], 2);
        EncoderWindowCache.Span tailB = new EncoderWindowCache.Span(2, -1, new float[2 * 2], 2);
        StreamPrompt.Layout a = p.layout(List.of(win, tailA), new int[] {11, 12});
        StreamPrompt.Layout b = p.layout(List.of(win, tailB), new int[] {11, 12});
        int h = p.headLength();
        // Same head and window rows, different tail rows.
        assertEquals(h + 3, StepDecoder.commonRows(a.rowIds(), a.rowIds().length, b.rowIds(), b.rowIds().length));
        for (int i = 0; i < h; i++) assertTrue(a.rowIds()[i] >= 0);
        for (int i = h; i < h + 5; i++) assertTrue(a.rowIds()[i] < 0);
        assertEquals(11, a.ids()[a.ids().length - 2]);
        assertEquals(5, a.audioRows());
    }
}
