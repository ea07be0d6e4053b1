package io.github.qwenasr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.qwenasr.equivalence.TestModels;
import io.github.qwenasr.tools.Preset;
import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Offline transcription stops at the next decoding step once its cancellation check says so. */
class CancellationTest {

    @Test
    void aCancelledTranscriptionStopsAtTheNextStep() throws IOException {
        try (QwenAsr asr = QwenAsr.load(TestModels.model(Preset.TINY, 1234, null), 1)) {
            AtomicBoolean cancel = new AtomicBoolean();
            AtomicInteger seen = new AtomicInteger();
            // The random-weight model does not end this noise within 40 tokens: only the flag stops it.
            TranscribeOptions o = TranscribeOptions.defaults().withMaxNewTokens(40).withCancellation(cancel::get)
                    .withTokenListener(id -> {
                        if (seen.incrementAndGet() == 3) cancel.set(true);
                    });
            assertThrows(CancellationException.class, () -> asr.transcribe16k(TestNoise.threeSeconds(), o));
            assertEquals(3, seen.get(), "no token after the one that raised the flag");

            assertThrows(CancellationException.class, () -> asr.transcribe16k(TestNoise.threeSeconds(),
                    TranscribeOptions.defaults().withMaxNewTokens(40).withCancellation(() -> true)));
            Transcription t = asr.transcribe16k(TestNoise.threeSeconds(), TranscribeOptions.defaults().withMaxNewTokens(40)
                    .withCancellation(() -> false));
            assertEquals(40, t.stats().generated(), "a check that stays false changes nothing");
        }
    }
}
