package io.github.qwenasr.align;

import static org.junit.jupiter.api.Assertions.*;

import io.github.qwenasr.tokenizer.PreTokenizerRegex;
import io.github.qwenasr.tokenizer.QwenTestTokenizers;
import io.github.qwenasr.tokenizer.Tokenizer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/model.md 7.3: the aligner input sequence. */
class AlignerInputTest {
    @Test
    void specExampleHelloWorld() {
        Tokenizer t = QwenTestTokenizers.qwen3(PreTokenizerRegex.QWEN);
        assertArrayEquals(new int[] {151669, 151676, 151676, 151676, 151670, 14990, 151705, 151705, 14615, 151705, 151705},
                AlignerInput.ids(t, List.of("hello", "world"), 3));
    }

    @Test
    void noUnitsStillEndsWithOneTimestampPair() {
        assertEquals("<|audio_start|><|audio_pad|><|audio_end|><timestamp><timestamp>", AlignerInput.text(List.of()));
        Tokenizer t = QwenTestTokenizers.qwen3(PreTokenizerRegex.QWEN);
        assertArrayEquals(new int[] {151669, 151676, 151670, 151705, 151705}, AlignerInput.ids(t, List.of(), 1));
    }
}
