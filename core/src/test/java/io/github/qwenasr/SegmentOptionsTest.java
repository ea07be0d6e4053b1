package io.github.qwenasr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.qwenasr.audio.AudioSource;
import io.github.qwenasr.longform.TranscriptionPlan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The segmented-mode options of {@link TranscribeOptions} (docs/modes.md 4, 5). */
class SegmentOptionsTest {
    @Test
    void defaultsAreTheOfflineMode() {
        TranscribeOptions o = TranscribeOptions.defaults();
        assertEquals(0, o.segmentSeconds());
        assertEquals(3, o.searchSeconds());
        assertEquals(PastText.AUTO, o.pastText());
        assertFalse(o.skipSilence());
        assertFalse(PastText.AUTO.enabledForSegments());
        assertFalse(PastText.NO.enabledForSegments());
    }

    @Test
    void withersKeepTheOtherFields() {
        TranscribeOptions o = TranscribeOptions.defaults().withLanguage("english").withSegmentSeconds(20)
                .withSearchSeconds(1.5).withPastText(PastText.YES).withSkipSilence(true).withMaxNewTokens(9);
        assertEquals("English", o.language());
        assertEquals(20, o.segmentSeconds());
        assertEquals(1.5, o.searchSeconds());
        assertEquals(PastText.YES, o.pastText());
        assertEquals(9, o.maxNewTokens());
        assertEquals(true, o.skipSilence());
        assertEquals(PastText.AUTO, o.withPastText(null).pastText());
    }

    @ParameterizedTest
    @ValueSource(doubles = {-1, 0.5, Double.NaN, Double.POSITIVE_INFINITY})
    void badSegmentLength(double s) {
        assertThrows(QwenAsrException.class, () -> TranscribeOptions.defaults().withSegmentSeconds(s));
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.1, Double.NaN, Double.POSITIVE_INFINITY})
    void badSearchWindow(double w) {
        assertThrows(QwenAsrException.class, () -> TranscribeOptions.defaults().withSearchSeconds(w));
    }

    @Test
    void aSegmentLongerThanThePieceLimitIsRefused() {
        // Checked before any model work, so no model is needed to see the message.
        TranscribeOptions o = TranscribeOptions.defaults().withMaxPieceSeconds(5).withSegmentSeconds(8);
        float[] audio = new float[16000 * 30];
        QwenAsrException e = assertThrows(QwenAsrException.class,
                () -> TranscriptionPlan.of(AudioSource.of(audio), o, frames -> frames / 8));
        assertEquals(true, e.getMessage().contains("piece limit"), e.getMessage());
    }
}
