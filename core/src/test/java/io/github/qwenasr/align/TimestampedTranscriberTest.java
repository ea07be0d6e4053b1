package io.github.qwenasr.align;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.QwenAsr;
import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.TranscribeOptions;
import io.github.qwenasr.Transcription;
import io.github.qwenasr.audio.AudioLoader;
import io.github.qwenasr.audio.AudioSource;
import io.github.qwenasr.equivalence.TestModels;
import io.github.qwenasr.longform.Segmenter;
import io.github.qwenasr.tools.Preset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Transcription with timestamps (docs/model.md 5.8, 7.6) on the tiny synthetic ASR model and aligner:
 * each decoded stretch is aligned on its own audio with its own text, the items are shifted into
 * the recording's time, and they stay in order inside it. Expectations come from calling the
 * aligner directly on the same stretch, not from the class under test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TimestampedTranscriberTest {
    private QwenAsr asr;
    private ForcedAligner aligner;
    private float[] clip;
    private float[] longClip;

    @BeforeAll
    void load() throws IOException {
        asr = QwenAsr.load(TestModels.model(Preset.TINY, 1234, null), 2);
        aligner = ForcedAligner.load(TestModels.model(Preset.TINY_ALIGNER, 1234, null), 2);
        clip = AudioLoader.load16k(fixture("data/audio/test_speech.wav"));
        longClip = AudioLoader.load16k(fixture("data/audio/notld_45s_right_through_the_billboard.wav"));
    }

    private static Path fixture(String name) {
        Path p = TestModels.shared().resolve(name);
        assertTrue(Files.isRegularFile(p), "missing fixture " + p);
        return p;
    }

    @AfterAll
    void close() {
        aligner.close();
        asr.close();
    }

    @Test
    void shortClipIsAlignedWholeWithItsTranscript() {
        TranscribeOptions o = TranscribeOptions.defaults().withMaxNewTokens(10).withLanguage("English");
        TimestampedTranscriber.Result r = new TimestampedTranscriber(asr, aligner).transcribe16k(clip, o);
        String text = r.transcription().text();
        assertFalse(text.isBlank(), "the tiny model should produce some text");
        List<AlignedItem> direct = aligner.align(clip, text, "English").items();
        // Times past the clip are kept at its end (3.64175 s, rounded to 3.642).
        double duration = 3.642;
        assertEquals(direct.size(), r.items().size());
        for (int i = 0; i < direct.size(); i++) {
            assertEquals(direct.get(i).text(), r.items().get(i).text());
            assertEquals(Math.min(duration, direct.get(i).startSeconds()), r.items().get(i).startSeconds(), 1e-6);
            assertEquals(Math.min(duration, direct.get(i).endSeconds()), r.items().get(i).endSeconds(), 1e-6);
        }
    }

    @Test
    void segmentsAreAlignedOneByOneAndShiftedByTheirStart() {
        TranscribeOptions o = TranscribeOptions.defaults().withMaxNewTokens(6).withSegmentSeconds(10)
                .withLanguage("English");
        TimestampedTranscriber.Result r = new TimestampedTranscriber(asr, aligner).transcribe16k(longClip, o);
        List<Segmenter.Range> ranges = Segmenter.split(AudioSource.of(longClip), 10, 3);
        List<Transcription.Segment> segments = r.transcription().segments();
        assertTrue(segments.size() > 1, "several segments expected");
        int expected = 0;
        for (Transcription.Segment s : segments) {
            if (!s.text().isBlank()) expected += AlignmentUnits.split(s.text(), "English").size();
        }
        assertEquals(expected, r.items().size());
        // The first item of each aligned segment lies inside that segment's span.
        int k = 0;
        for (Transcription.Segment s : segments) {
            int units = s.text().isBlank() ? 0 : AlignmentUnits.split(s.text(), "English").size();
            if (units > 0) {
                AlignedItem first = r.items().get(k);
                assertTrue(first.startSeconds() >= s.startSeconds() - 1e-9
                        && first.startSeconds() <= s.endSeconds() + 1e-9, first + " outside " + s);
            }
            k += units;
        }
        assertInOrderWithin(r.items(), longClip.length / 16000.0);
        assertEquals(ranges.size(), r.transcription().stats().decoderRuns());
    }

    @Test
    void skippedSilenceMapsTimesBackToTheRecording() {
        TranscribeOptions o = TranscribeOptions.defaults().withMaxNewTokens(6).withSkipSilence(true);
        TimestampedTranscriber.Result r = new TimestampedTranscriber(asr, aligner).transcribe16k(longClip, o);
        assertInOrderWithin(r.items(), longClip.length / 16000.0);
    }

    @Test
    void noTimeFallsInsideADroppedPause() {
        // clip, 6 s of digital silence, clip: skipping keeps about 0.6 s of the pause, and the aligner's
        // times in the compacted audio map back around the dropped 5.4 s, never into it.
        float[] audio = new float[2 * clip.length + 6 * 16000];
        System.arraycopy(clip, 0, audio, 0, clip.length);
        System.arraycopy(clip, 0, audio, clip.length + 6 * 16000, clip.length);
        double pauseStart = clip.length / 16000.0;
        double pauseEnd = pauseStart + 6;
        TranscribeOptions o = TranscribeOptions.defaults().withMaxNewTokens(12).withSkipSilence(true)
                .withLanguage("English");
        TimestampedTranscriber.Result r = new TimestampedTranscriber(asr, aligner).transcribe16k(audio, o);
        assertTrue(r.transcription().silenceSkip().orElseThrow().keptSamples() < audio.length - 5 * 16000);
        assertFalse(r.items().isEmpty(), "the tiny model should produce some text");
        for (AlignedItem it : r.items()) {
            for (double t : new double[] {it.startSeconds(), it.endSeconds()}) {
                assertFalse(t > pauseStart + 1.0 && t < pauseEnd - 0.001, it + " inside the dropped pause");
            }
        }
        assertInOrderWithin(r.items(), audio.length / 16000.0);
    }

    @Test
    void aForcedLanguageTheAlignerLacksFailsClearly() {
        TranscribeOptions o = TranscribeOptions.defaults().withMaxNewTokens(6).withLanguage("Arabic");
        QwenAsrException e = assertThrows(QwenAsrException.class,
                () -> new TimestampedTranscriber(asr, aligner).transcribe16k(clip, o));
        assertTrue(e.getMessage().contains("does not support the language 'Arabic'"), e.getMessage());
    }

    @Test
    void languageNamesFollowTheAlignerList() {
        assertEquals(11, TimestampedTranscriber.supportedLanguages().size());
        assertEquals("German", TimestampedTranscriber.canonicalLanguage(" german "));
        assertEquals("Cantonese", TimestampedTranscriber.canonicalLanguage("CANTONESE"));
        assertNull(TimestampedTranscriber.canonicalLanguage("Arabic"));
        assertNull(TimestampedTranscriber.canonicalLanguage(null));
    }

    private static void assertInOrderWithin(List<AlignedItem> items, double duration) {
        double last = 0;
        for (AlignedItem it : items) {
            assertTrue(it.startSeconds() >= last - 1e-9 && it.endSeconds() >= it.startSeconds(), "out of order: " + it);
            assertTrue(it.endSeconds() <= duration + 0.0005, "past the end: " + it);
            last = it.endSeconds();
        }
    }
}
