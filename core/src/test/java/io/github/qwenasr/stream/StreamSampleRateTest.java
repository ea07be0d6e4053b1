package io.github.qwenasr.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.QwenAsr;
import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.equivalence.TestModels;
import io.github.qwenasr.tools.Preset;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Pushed audio has the same lowest sample rate as files (issue 20, item 7). */
class StreamSampleRateTest {
    @Test
    void pushBelowTheLowestRateIsRefused() throws IOException {
        try (QwenAsr asr = QwenAsr.load(TestModels.model(Preset.TINY, 1234, null), 1)) {
            for (int rate : new int[] {1, 8}) {
                try (StreamingSession s = asr.openStream(StreamOptions.defaults())) {
                    QwenAsrException e = assertThrows(QwenAsrException.class, () -> s.push(new float[4], rate));
                    assertTrue(e.getMessage().contains(rate + " Hz") && e.getMessage().contains("lowest supported: 1000 Hz"),
                            e.getMessage());
                }
            }
            try (StreamingSession s = asr.openStream(StreamOptions.defaults())) {
                assertEquals("", s.push(new float[100], 1000).committedDelta());
            }
        }
    }
}
