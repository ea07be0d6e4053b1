package io.github.qwenasr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.audio.AudioLoader;
import io.github.qwenasr.audio.AudioSource;
import io.github.qwenasr.engine.OfflineTranscriber;
import io.github.qwenasr.equivalence.TestModels;
import io.github.qwenasr.longform.SegmentJoiner;
import io.github.qwenasr.longform.Segmenter;
import io.github.qwenasr.longform.SilenceCompactor;
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
 * Segmented mode end to end (docs/modes.md 4, 5) on the tiny random-weight model and the shared 45 s
 * clip. The model's words are meaningless, so the tests check structure: how many segments were
 * decoded, where they lie, and how their texts were joined.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SegmentedTranscriptionTest {
    private QwenAsr asr;
    private float[] audio;
    private TranscribeOptions tenSeconds;

    @BeforeAll
    void load() throws IOException {
        asr = QwenAsr.load(TestModels.model(Preset.TINY, 1234, null), 2);
        Path wav = TestModels.shared().resolve("data/audio/notld_45s_right_through_the_billboard.wav");
        assertTrue(Files.isRegularFile(wav), "missing fixture " + wav);
        audio = AudioLoader.load16k(wav);
        tenSeconds = TranscribeOptions.defaults().withSegmentSeconds(10).withMaxNewTokens(6);
    }

    @AfterAll
    void close() {
        asr.close();
    }

    @Test
    void fortyFiveSecondsInTenSecondSegments() {
        List<Segmenter.Range> plan = Segmenter.split(AudioSource.of(audio), 10, 3);
        // 45 s at about 10 s a segment (the last may run to 13 s): 4 or 5 segments.
        assertTrue(plan.size() >= 4 && plan.size() <= 5, "segments: " + plan.size());
        Transcription t = asr.transcribe16k(audio, tenSeconds);
        assertEquals(plan.size(), t.stats().decoderRuns(), "one decoder run per segment without past text");
        assertSegmentsConsistent(t, plan.size(), 45.0);
    }

    @Test
    void pastTextConditioningStillDecodesEverySegment() {
        int planned = Segmenter.split(AudioSource.of(audio), 10, 3).size();
        Transcription t = asr.transcribe16k(audio, tenSeconds.withPastText(PastText.YES));
        // Collapse re-decodes add runs, at most one per segment after the first.
        assertTrue(t.stats().decoderRuns() >= planned && t.stats().decoderRuns() <= 2 * planned - 1,
                "runs: " + t.stats().decoderRuns());
        assertSegmentsConsistent(t, planned, 45.0);
    }

    @Test
    void skipSilenceReportsOriginalTimes() {
        SilenceCompactor.Compacted c = SilenceCompactor.compact(AudioSource.of(audio));
        int planned = Segmenter.split(c.audio(), 10, 3).size();
        Transcription t = asr.transcribe16k(audio, tenSeconds.withSkipSilence(true));
        assertEquals(planned, t.stats().decoderRuns());
        assertEquals(audio.length / 16000.0, t.stats().audioSeconds(), 1e-9);
        assertSegmentsConsistent(t, planned, 45.0);
    }

    @Test
    void segmentationOffIsOnePiece() {
        Transcription t = asr.transcribe16k(audio, TranscribeOptions.defaults().withMaxNewTokens(4));
        assertEquals(1, t.stats().decoderRuns());
        assertTrue(t.segments().size() <= 1);
        if (!t.segments().isEmpty()) {
            assertEquals(0.0, t.segments().get(0).startSeconds());
            assertEquals(audio.length / 16000.0, t.segments().get(0).endSeconds(), 1e-9);
            assertEquals(t.text(), t.segments().get(0).text());
        }
    }

    private static void assertSegmentsConsistent(Transcription t, int planned, double maxSeconds) {
        List<Transcription.Segment> segs = t.segments();
        assertEquals(planned, segs.size(), "every planned segment, with text or not");
        StringBuilder joined = new StringBuilder();
        double previousEnd = 0;
        for (Transcription.Segment s : segs) {
            assertTrue(s.startSeconds() >= previousEnd - 1e-9 && s.endSeconds() > s.startSeconds()
                    && s.endSeconds() <= maxSeconds + 1e-3, s.toString());
            previousEnd = s.endSeconds();
            SegmentJoiner.append(joined, s.text());
        }
        assertEquals(joined.toString(), t.text());
    }

    @Test
    void collapseRule() {
        assertTrue(OfflineTranscriber.collapsed("", 0, 3, ""));
        // 10 s needs max(12, 17) = 17 text tokens.
        assertTrue(OfflineTranscriber.collapsed("some words", 16, 10, ""));
        assertFalse(OfflineTranscriber.collapsed("some words", 17, 10, ""));
        // Under 8 s the token count is not judged.
        assertFalse(OfflineTranscriber.collapsed("hi", 1, 7.9, ""));
        String repeat = "this sentence is long enough to count as a verbatim repeat";
        assertTrue(OfflineTranscriber.collapsed(repeat, 30, 5, "before. " + repeat + " after"));
        assertFalse(OfflineTranscriber.collapsed("short repeat", 30, 5, "a short repeat here"));
    }
}
