package io.github.qwenasr.equivalence;

import static org.junit.jupiter.api.Assertions.*;

import io.github.qwenasr.QwenAsr;
import io.github.qwenasr.TranscribeOptions;
import io.github.qwenasr.Transcription;
import io.github.qwenasr.tools.Preset;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Context text (with CJK) and a forced language against the official package on the tiny model
 * (docs/model.md 5.3, 5.7): prompt ids, every stage, greedy ids and the parsed result.
 */
class PromptedEquivalenceTest {
    @Test
    void contextAndForcedLanguageMatchTheOfficialPackage() throws Exception {
        GoldenManifest golden = GoldenManifest.load("tiny-prompted");
        assertFalse(golden.context().isEmpty());
        assertNotNull(golden.language());
        Path shared = TestModels.shared();
        Path dir = TestModels.model(Preset.TINY, golden.seed(), golden.sha256("model.safetensors"));
        try (QwenAsr asr = QwenAsr.load(dir, 2)) {
            for (Map<String, Object> clip : golden.clips()) {
                EquivalenceCheck.run(asr, golden, clip, shared).forEach(r -> System.out.println("[tiny-prompted] " + r));
                // The public API with the same options gives the official (language, text).
                @SuppressWarnings("unchecked")
                Map<String, Object> run = ((List<Map<String, Object>>) clip.get("runs")).get(0);
                Transcription t = asr.transcribe(GoldenManifest.input(clip, shared), TranscribeOptions.defaults()
                        .withContext(golden.context()).withLanguage(golden.language().toLowerCase())
                        .withMaxNewTokens(golden.maxNewTokens())
                        .withEncoderAttention(io.github.qwenasr.EncoderAttention.valueOf((String) run.get("attention"))));
                assertEquals(run.get("language"), t.language());
                assertEquals(run.get("text"), t.text());
            }
        }
    }
}
