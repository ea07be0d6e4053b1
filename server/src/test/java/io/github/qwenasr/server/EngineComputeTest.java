package io.github.qwenasr.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.github.qwenasr.ComputeMode;
import io.github.qwenasr.ComputeStatus;
import io.github.qwenasr.LoadOptions;
import io.github.qwenasr.Quantization;
import io.github.qwenasr.QwenAsr;
import io.github.qwenasr.tools.Preset;
import io.github.qwenasr.tools.SyntheticCheckpoint;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code serve --compute bf16} reaches the model: the server's engine runs bf16 where oneDNN and the
 * CPU allow it and says so in one line, or says why not and runs exact f32, which then gives the
 * exact transcript; an exact load says nothing.
 */
class EngineComputeTest {
    @Test
    void bf16EngineRunsOrSaysWhyNot() throws Exception {
        Path model = SyntheticCheckpoint.ensure(Preset.TINY, 7, Path.of("target", "synthetic-models", "tiny-7"), 1, TestSupport.shared());
        ComputeStatus here;
        try (QwenAsr asr = QwenAsr.load(model, LoadOptions.defaults().withThreads(1).withCompute(ComputeMode.BF16))) {
            here = asr.info().compute();
        }
        String exactText;
        try (Engine exact = Engine.load(model, null, 1)) {
            assertEquals("", exact.computeNote());
            exactText = text(exact);
        }
        try (Engine bf16 = Engine.load(model, null, new LoadOptions(1, Quantization.NONE, ComputeMode.BF16))) {
            String expected = here.fellBack()
                    ? "Warning: --compute bf16 is not available here, running exact f32: " + here.detail()
                    : "Compute: bf16 on " + here.detail();
            assertEquals(expected, bf16.computeNote());
            String text = text(bf16);
            if (here.fellBack()) assertEquals(exactText, text, "the fallback is the exact path");
            else assertFalse(text.isEmpty(), "bf16 transcribes");
        }
    }

    private static String text(Engine engine) throws Exception {
        try (Engine.Audio a = engine.open(TestSupport.speech(), "file")) {
            Engine.Result r = engine.transcribe(a, new Engine.Request(null, "", Engine.Timing.NONE, 8), () -> false);
            return r.text();
        }
    }
}
