package io.github.qwenasr.prompt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.tokenizer.PreTokenizerRegex;
import io.github.qwenasr.tokenizer.QwenTestTokenizers;
import io.github.qwenasr.tokenizer.Tokenizer;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The transcription prompt of docs/model.md 5.2 and 5.3. */
class PromptBuilderTest {
    private static final int[] PREFIX = {151644, 8948, 198, 151645, 198, 151644, 872, 198, 151669};
    private static final int[] SUFFIX = {151670, 151645, 198, 151644, 77091, 198};

    private static int[] concat(int[]... parts) {
        return Arrays.stream(parts).flatMapToInt(Arrays::stream).toArray();
    }

    @Test
    void renderEmptyContext() {
        assertEquals("<|im_start|>system\n<|im_end|>\n<|im_start|>user\n<|audio_start|><|audio_pad|><|audio_pad|>"
                + "<|audio_end|><|im_end|>\n<|im_start|>assistant\n", PromptBuilder.render("", 2, null));
        assertEquals(PromptBuilder.render("", 2, null), PromptBuilder.render(null, 2, "  "));
    }

    @Test
    void renderContextVerbatimAndForcedLanguage() {
        assertEquals("<|im_start|>system\n 交易 停滞 \n<|im_end|>\n<|im_start|>user\n<|audio_start|><|audio_pad|>"
                        + "<|audio_end|><|im_end|>\n<|im_start|>assistant\nlanguage English<asr_text>",
                PromptBuilder.render(" 交易 停滞 \n", 1, "english"));
        assertEquals("<|im_start|>system\n<|im_end|>\n<|im_start|>user\n<|audio_start|><|audio_end|><|im_end|>\n"
                + "<|im_start|>assistant\n", PromptBuilder.render("", 0, null));
        assertThrows(QwenAsrException.class, () -> PromptBuilder.render("", 3, "en"));
        assertThrows(IllegalArgumentException.class, () -> PromptBuilder.render("", -1, null));
    }

    @ParameterizedTest
    @EnumSource(PreTokenizerRegex.class)
    void idsWithEmptyContext(PreTokenizerRegex regex) {
        Tokenizer tok = QwenTestTokenizers.qwen3(regex);
        int a = 143;
        int[] ids = PromptBuilder.ids(tok, "", a, null);
        assertEquals(a + 15, ids.length);
        assertArrayEquals(concat(PREFIX, IntStream.generate(() -> 151676).limit(a).toArray(), SUFFIX), ids);
    }

    @ParameterizedTest
    @EnumSource(PreTokenizerRegex.class)
    void idsWithContextTokenisedAsOneString(PreTokenizerRegex regex) {
        Tokenizer tok = QwenTestTokenizers.qwen3(regex);
        int[] ids = PromptBuilder.ids(tok, "\nhello", 1, null);
        assertArrayEquals(new int[] {151644, 8948, 271, 14990, 151645, 198, 151644, 872, 198, 151669, 151676,
                151670, 151645, 198, 151644, 77091, 198}, ids);
    }

    @ParameterizedTest
    @EnumSource(PreTokenizerRegex.class)
    void idsWithForcedLanguage(PreTokenizerRegex regex) {
        Tokenizer tok = QwenTestTokenizers.qwen3(regex);
        int[] audio = {151676, 151676, 151676};
        assertArrayEquals(concat(PREFIX, audio, SUFFIX, new int[] {11528, 6364, 151704}), PromptBuilder.ids(tok, "", 3, "ENGLISH"));
        assertArrayEquals(concat(PREFIX, audio, SUFFIX, new int[] {11528, 8453, 151704}), PromptBuilder.ids(tok, "", 3, "Chinese"));
        assertArrayEquals(concat(PREFIX, audio, SUFFIX, new int[] {11528, 10769, 151704}), PromptBuilder.ids(tok, null, 3, " japanese"));
    }

    @Test
    void thousandsOfAudioTokensAreFast() {
        Tokenizer tok = QwenTestTokenizers.qwen3(PreTokenizerRegex.PATCHED);
        int a = 15_000;   // about 20 minutes of audio
        int[] ids = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> PromptBuilder.ids(tok, "some context", a, null));
        assertEquals(151644, ids[0]);
        assertEquals(151670, ids[ids.length - 6]);
        assertEquals(a, Arrays.stream(ids).filter(id -> id == 151676).count());
    }
}
