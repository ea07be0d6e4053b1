package io.github.qwenasr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.audio.AudioLoader;
import io.github.qwenasr.audio.Resampler;
import io.github.qwenasr.equivalence.TestModels;
import io.github.qwenasr.tools.Preset;
import io.github.qwenasr.vad.VoiceActivity;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A segmented session (docs/modes.md 7.2, 7.3) fed audio in pieces gives what a transcription of the
 * whole recording gives with the same options: the same parts, times, texts and decodes, on the tiny
 * random-weight model (its words are meaningless; the comparison is exact).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SegmentedSessionTest {
    private QwenAsr asr;
    private float[] speech;
    private float[] jfk;
    private float[] longClip;
    private TranscribeOptions base;

    @BeforeAll
    void load() throws IOException {
        asr = QwenAsr.load(TestModels.model(Preset.TINY, 1234, null), 2);
        speech = AudioLoader.load16k(TestModels.shared().resolve("data/audio/test_speech.wav"));
        jfk = AudioLoader.load16k(TestModels.shared().resolve("data/audio/jfk.wav"));
        longClip = AudioLoader.load16k(TestModels.shared().resolve("data/audio/notld_45s_right_through_the_billboard.wav"));
        base = TranscribeOptions.defaults().withMaxNewTokens(6);
    }

    @AfterAll
    void close() {
        asr.close();
    }

    /** Pushes {@code pcm} in blocks of 1 to 4000 samples and finishes; every part is returned once, in order. */
    private Transcription live(float[] pcm, int rate, TranscribeOptions o, long seed) {
        try (SegmentedSession s = asr.openSegmented(o)) {
            List<Transcription.Segment> returned = new ArrayList<>();
            Random r = new Random(seed);
            for (int pos = 0; pos < pcm.length; ) {
                int n = Math.min(pcm.length - pos, 1 + r.nextInt(4000));
                returned.addAll(s.push(pcm, pos, n, rate));
                pos += n;
            }
            returned.addAll(s.finish());
            Transcription t = s.result();
            assertEquals(t.segments(), returned);
            return t;
        }
    }

    private static void assertSameTranscription(Transcription file, Transcription live) {
        assertEquals(file.text(), live.text());
        assertEquals(file.language(), live.language());
        assertEquals(file.tokens(), live.tokens());
        assertEquals(file.segments().size(), live.segments().size());
        for (int i = 0; i < file.segments().size(); i++) {
            Transcription.Segment f = file.segments().get(i);
            Transcription.Segment l = live.segments().get(i);
            assertEquals(f.startSeconds(), l.startSeconds(), 1e-9, "part " + i);
            assertEquals(f.endSeconds(), l.endSeconds(), 1e-9, "part " + i);
            assertEquals(f.text(), l.text(), "part " + i);
            assertEquals(f.finishReason(), l.finishReason(), "part " + i);
            assertEquals(f.promptTokens(), l.promptTokens(), "part " + i);
            assertEquals(f.generatedTokens(), l.generatedTokens(), "part " + i);
        }
        assertEquals(file.stats().decoderRuns(), live.stats().decoderRuns());
        assertEquals(file.stats().audioSeconds(), live.stats().audioSeconds(), 1e-9);
    }

    @Test
    void utterancesArriveAsTheFileDecodesThem() {
        for (VoiceActivity rules : List.of(VoiceActivity.silero(), VoiceActivity.energy())) {
            TranscribeOptions o = base.withVoiceActivity(rules);
            Transcription file = asr.transcribe16k(jfk, o);
            // jfk's pauses are shorter than the energy rule's 1.5 s hangover: one utterance there, four for Silero.
            assertEquals(rules.detector() == VoiceActivity.Detector.SILERO ? 4 : 1, file.segments().size(), rules.toString());
            assertSameTranscription(file, live(jfk, 16_000, o, 1));
        }
    }

    /** At 48 kHz the session resamples as it goes, sample for sample as a file is resampled whole. */
    @Test
    void audioAtAnotherRateIsResampledAsAFileIs() {
        float[] at48k = Resampler.resample(speech, 16_000, 48_000);
        TranscribeOptions o = base.withVoiceActivity(VoiceActivity.silero());
        Transcription file = asr.transcribe(at48k, 48_000, o);
        assertEquals(2, file.segments().size(), "test_speech has two utterances");
        assertSameTranscription(file, live(at48k, 48_000, o, 2));
    }

    @Test
    void segmentsAtQuietPointsAreTheFilesSegments() {
        TranscribeOptions o = base.withSegmentSeconds(10);
        Transcription file = asr.transcribe16k(longClip, o);
        assertTrue(file.segments().size() >= 4, "segments " + file.segments().size());
        assertSameTranscription(file, live(longClip, 16_000, o, 3));
        // With past text the second and later segments are conditioned on the text so far, as in a file.
        TranscribeOptions past = o.withPastText(PastText.YES);
        assertSameTranscription(asr.transcribe16k(longClip, past), live(longClip, 16_000, past, 4));
    }

    /** Audio that never reaches a cut is one piece, decoded unpadded, as a file's lone piece. */
    @Test
    void audioShorterThanOneSegmentIsOnePiece() {
        TranscribeOptions o = base.withSegmentSeconds(5);
        float[] short03 = Arrays.copyOf(speech, 4800);
        assertSameTranscription(asr.transcribe16k(short03, o), live(short03, 16_000, o, 5));
        assertSameTranscription(asr.transcribe16k(speech, o), live(speech, 16_000, o, 6));
    }

    /** Lost audio ends the part in progress and moves the time line on: later parts keep their times. */
    @Test
    void skippedAudioEndsThePartAndShiftsLaterTimes() {
        TranscribeOptions o = base.withVoiceActivity(VoiceActivity.silero()).withPastText(PastText.NO);
        int half = 5 * 16_000;
        float[] first = Arrays.copyOf(jfk, half);
        float[] second = Arrays.copyOfRange(jfk, half, jfk.length);
        Transcription a = live(first, 16_000, o, 7);
        Transcription b = live(second, 16_000, o, 8);
        try (SegmentedSession s = asr.openSegmented(o)) {
            s.push(first, 16_000);
            s.skip(2.0);
            s.push(second, 16_000);
            s.finish();
            List<Transcription.Segment> got = s.segments();
            assertEquals(a.segments().size() + b.segments().size(), got.size());
            for (int i = 0; i < got.size(); i++) {
                boolean later = i >= a.segments().size();
                Transcription.Segment want = later ? b.segments().get(i - a.segments().size()) : a.segments().get(i);
                double shift = later ? 5.0 + 2.0 : 0;
                assertEquals(want.startSeconds() + shift, got.get(i).startSeconds(), 1e-9);
                assertEquals(want.endSeconds() + shift, got.get(i).endSeconds(), 1e-9);
                assertEquals(want.text(), got.get(i).text());
            }
            assertEquals(jfk.length / 16_000.0 + 2.0, s.seconds(), 1e-9);
        }
    }

    /** With voice activity detection, silence decodes nothing: no parts, an empty text, nothing kept. */
    @Test
    void silenceHoldsNothingToDecode() {
        float[] silence = new float[3 * 16_000];
        Transcription t = asr.transcribe16k(silence, base.withVoiceActivity(VoiceActivity.silero()));
        assertEquals("", t.text());
        assertEquals(List.of(), t.segments());
        assertEquals(FinishReason.EMPTY, t.finishReason());
        assertEquals(0, t.stats().decoderRuns());
        assertEquals(3.0, t.stats().audioSeconds(), 1e-9);
        assertEquals(0, t.silenceSkip().orElseThrow().keptSamples());
        assertSameTranscription(t, live(silence, 16_000, base.withVoiceActivity(VoiceActivity.silero()), 9));
    }

    @Test
    void misuseIsAClearError() {
        assertThrows(QwenAsrException.class, () -> asr.openSegmented(base));
        assertThrows(QwenAsrException.class, () -> asr.openSegmented(base.withSegmentSeconds(10).withSkipSilence(true)));
        assertThrows(QwenAsrException.class, () -> asr.openSegmented(base.withSegmentSeconds(1199)));
        try (SegmentedSession s = asr.openSegmented(base.withSegmentSeconds(5))) {
            s.push(new float[100], 16_000);
            assertThrows(QwenAsrException.class, () -> s.push(new float[100], 44_100));
            assertThrows(QwenAsrException.class, () -> s.push(new float[] {Float.NaN}, 16_000));
            assertThrows(QwenAsrException.class, () -> s.skip(-1));
            s.finish();
            assertThrows(QwenAsrException.class, () -> s.push(new float[100], 16_000));
            assertThrows(QwenAsrException.class, s::finish);
        }
        SegmentedSession cancelled = asr.openSegmented(base.withSegmentSeconds(5));
        cancelled.cancel();
        assertThrows(CancellationException.class, () -> cancelled.push(speech, 16_000));
    }
}
