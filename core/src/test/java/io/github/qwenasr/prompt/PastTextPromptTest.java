package io.github.qwenasr.prompt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.qwenasr.json.Json;
import io.github.qwenasr.tokenizer.PreTokenizerRegex;
import io.github.qwenasr.tokenizer.QwenTestTokenizers;
import io.github.qwenasr.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The past-text suffix of segmented conditioning (docs/modes.md 3.2, 4.4). */
class PastTextPromptTest {
    private static final int ASR_TEXT = 151704;
    private static final int[] ASSISTANT_HEADER_END = {151644, 77091, 198};

    private static int[] concat(int[]... parts) {
        return Arrays.stream(parts).flatMapToInt(Arrays::stream).toArray();
    }

    @Test
    void pastTextTokensThenAsrTextFollowTheAssistantHeader() throws IOException {
        Tokenizer tok = QwenTestTokenizers.qwen3(PreTokenizerRegex.PATCHED);
        // Independent expectation: "hello" is one entry of the shared vocabulary.
        Map<String, Object> vocab = Json.parseObject(
                Files.readString(QwenTestTokenizers.vocabularyDir().resolve("vocab.json")));
        int hello = ((Number) vocab.get("hello")).intValue();
        int[] past = PromptBuilder.pastTextIds(tok, "hello", 200);
        assertArrayEquals(new int[] {hello}, past);

        int[] base = PromptBuilder.ids(tok, "", 3, null);
        assertArrayEquals(ASSISTANT_HEADER_END, Arrays.copyOfRange(base, base.length - 3, base.length));
        int[] ids = PromptBuilder.idsWithPastText(tok, "", 3, null, past);
        assertArrayEquals(concat(base, new int[] {hello, ASR_TEXT}), ids);
    }

    @Test
    void pastTextGoesAfterTheForcedLanguageSuffix() {
        Tokenizer tok = QwenTestTokenizers.qwen3(PreTokenizerRegex.PATCHED);
        int[] forced = PromptBuilder.ids(tok, "", 2, "English");
        assertEquals(ASR_TEXT, forced[forced.length - 1]);
        int[] past = tok.encode("It was a dark night.");
        int[] ids = PromptBuilder.idsWithPastText(tok, "", 2, "English", past);
        assertArrayEquals(concat(forced, past, new int[] {ASR_TEXT}), ids);
    }

    @Test
    void noPastTextAddsNothing() {
        Tokenizer tok = QwenTestTokenizers.qwen3(PreTokenizerRegex.PATCHED);
        assertArrayEquals(PromptBuilder.ids(tok, "ctx", 4, null),
                PromptBuilder.idsWithPastText(tok, "ctx", 4, null, new int[0]));
        assertEquals(0, PromptBuilder.pastTextIds(tok, "  ", 200).length);
    }

    @Test
    void historyIsBoundedToTheLastTokens() {
        Tokenizer tok = QwenTestTokenizers.qwen3(PreTokenizerRegex.PATCHED);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 2000; i++) sb.append("word").append(i).append(' ');
        String text = sb.toString().strip();
        int[] all = tok.encode(text);
        int[] past = PromptBuilder.pastTextIds(tok, text, 200);
        assertEquals(200, past.length);
        assertArrayEquals(Arrays.copyOfRange(all, all.length - 200, all.length), past);
    }
}
