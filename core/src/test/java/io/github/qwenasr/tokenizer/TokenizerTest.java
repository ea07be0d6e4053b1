package io.github.qwenasr.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Encoding and decoding with the real Qwen3 vocabulary (docs/model.md 5.2, 5.3, 6.3, 6.3a, 6.4, 6.5). */
class TokenizerTest {

    private static int[] ids(int... v) {
        return v;
    }

    private static void assertEncodes(Tokenizer tok, String text, int... expected) {
        assertArrayEquals(expected, tok.encode(text),
                () -> tok.regex() + " " + Json.quote(text) + " -> " + Arrays.toString(tok.encode(text)));
    }

    /** Every row of the table in docs/model.md 6.4; the spec states that both regexes give these ids. */
    @ParameterizedTest
    @EnumSource(PreTokenizerRegex.class)
    void workedExamplesOfSection6_4(PreTokenizerRegex regex) {
        Tokenizer tok = QwenTestTokenizers.qwen3(regex);
        assertEncodes(tok, "system\n", 8948, 198);
        assertEncodes(tok, "user\n", 872, 198);
        assertEncodes(tok, "assistant\n", 77091, 198);
        assertEncodes(tok, "language English", 11528, 6364);
        assertEncodes(tok, "Hello", 9707);
        assertEncodes(tok, " Hello", 21927);
        assertEncodes(tok, "Hello world 12345", 9707, 1879, 220, 16, 17, 18, 19, 20);
        assertEncodes(tok, "I'm", 40, 2776);
        assertEncodes(tok, "I'M", 40, 27603);
        assertEncodes(tok, "don't  stop\n\nnow", 15007, 944, 220, 2936, 271, 3328);
        assertEncodes(tok, "x\r\ny", 87, 319, 88);
        assertEncodes(tok, "€100", 15056, 16, 15, 15);
        assertEncodes(tok, "甚至出现交易几乎停滞的情况。", 100636, 100347, 99886, 100740, 118083, 102072, 1773);
        assertEncodes(tok, "And so, my fellow Americans, ask not what your country can do for you; ask what you can do for your country.",
                3036, 773, 11, 847, 12357, 8877, 11, 2548, 537, 1128, 697, 3146, 646, 653, 369, 498, 26, 2548, 1128, 498,
                646, 653, 369, 697, 3146, 13);
        assertEncodes(tok, "<|audio_start|><|audio_pad|><|audio_end|>hello<timestamp><timestamp>world<timestamp><timestamp>",
                151669, 151676, 151670, 14990, 151705, 151705, 14615, 151705, 151705);
    }

    /** docs/model.md 5.2: the whole rendered prompt, tokenised as one string, empty context. */
    @ParameterizedTest
    @EnumSource(PreTokenizerRegex.class)
    void promptIdsWithEmptyContext(PreTokenizerRegex regex) {
        Tokenizer tok = QwenTestTokenizers.qwen3(regex);
        int a = 143;   // jfk.wav
        String prompt = "<|im_start|>system\n<|im_end|>\n<|im_start|>user\n<|audio_start|>"
                + "<|audio_pad|>".repeat(a) + "<|audio_end|><|im_end|>\n<|im_start|>assistant\n";
        int[] expected = IntStream.concat(IntStream.concat(
                        IntStream.of(151644, 8948, 198, 151645, 198, 151644, 872, 198, 151669),
                        IntStream.generate(() -> 151676).limit(a)),
                IntStream.of(151670, 151645, 198, 151644, 77091, 198)).toArray();
        assertArrayEquals(expected, tok.encode(prompt));
        assertEquals(158, expected.length);   // L = A + 15
    }

    /** docs/model.md 5.2: context "\nhello" merges with the newline after "system" into 271 ("\n\n"). */
    @ParameterizedTest
    @EnumSource(PreTokenizerRegex.class)
    void promptIdsWithContext(PreTokenizerRegex regex) {
        Tokenizer tok = QwenTestTokenizers.qwen3(regex);
        assertEncodes(tok, "<|im_start|>system\n\nhello<|im_end|>\n", 151644, 8948, 271, 14990, 151645, 198);
        String prompt = "<|im_start|>system\n\nhello<|im_end|>\n<|im_start|>user\n<|audio_start|><|audio_pad|><|audio_pad|>"
                + "<|audio_end|><|im_end|>\n<|im_start|>assistant\n";
        assertEncodes(tok, prompt, 151644, 8948, 271, 14990, 151645, 198, 151644, 872, 198, 151669, 151676, 151676,
                151670, 151645, 198, 151644, 77091, 198);
    }

    /** docs/model.md 5.3: the forced-language suffix is tokenised in the same segment as "assistant\n". */
    @ParameterizedTest
    @EnumSource(PreTokenizerRegex.class)
    void forcedLanguageSuffix(PreTokenizerRegex regex) {
        Tokenizer tok = QwenTestTokenizers.qwen3(regex);
        String tail = "<|audio_end|><|im_end|>\n<|im_start|>assistant\n";
        int[] tailIds = {151670, 151645, 198, 151644, 77091, 198};
        String[][] names = {{"English", "6364"}, {"Chinese", "8453"}, {"Japanese", "10769"}, {"None", "2240"}};
        for (String[] n : names) {
            int[] expected = IntStream.concat(Arrays.stream(tailIds),
                    IntStream.of(11528, Integer.parseInt(n[1]), 151704)).toArray();
            assertEncodes(tok, tail + "language " + n[0] + "<asr_text>", expected);
        }
    }

    /** docs/model.md 6.3a: where the two regexes differ (ids from the transformers 4.57.6 fast tokenizer). */
    @Test
    void regexesDifferOnCaseChangesAndMarks() {
        Tokenizer qwen = QwenTestTokenizers.qwen3(PreTokenizerRegex.QWEN);
        Tokenizer patched = QwenTestTokenizers.qwen3(PreTokenizerRegex.PATCHED);
        assertEncodes(qwen, "iPhone", 44740);
        assertEncodes(patched, "iPhone", 72, 6939);
        assertEncodes(qwen, "สวัสดีครับ", 143126, 23271, 125136, 28319, 123886, 83546);
        assertEncodes(patched, "สวัสดีครับ", 35648, 124294, 35648, 124311, 125459);
        assertEncodes(qwen, "JavaScript", 29475);
        assertEncodes(patched, "JavaScript", 15041, 5910);
        assertEncodes(qwen, "?\n/x", 5267, 10776);
        assertEncodes(patched, "?\n/x", 5267, 14, 87);
    }

    /**
     * Harder inputs: Unicode whitespace, NFC, contractions in capitals, scripts with combining marks,
     * ZWJ emoji, digits of other scripts, added-token look-alikes. Expected ids were produced by the
     * transformers 4.57.6 fast tokenizer (tokenizers 0.22) on the shared vocabulary; they are the same
     * under both regexes.
     */
    @ParameterizedTest
    @EnumSource(PreTokenizerRegex.class)
    void referenceIdsForHarderInputs(PreTokenizerRegex regex) {
        Tokenizer tok = QwenTestTokenizers.qwen3(regex);
        assertEncodes(tok, "YOU'LL", 56389, 6, 4086);
        assertEncodes(tok, "HTTPServer", 9230, 5475);
        assertEncodes(tok, "camelCaseWord", 93321, 4207, 10879);
        assertEncodes(tok, "McDonald's", 25286, 18234, 594);
        assertEncodes(tok, "non\u00a0breaking", 6280, 4102, 36657);
        assertEncodes(tok, "ideo\u3000space", 1888, 22441, 8746);
        assertEncodes(tok, "cafe\u0301 ok", 924, 58858, 5394);   // NFC composes e + U+0301
        assertEncodes(tok, "नमस्ते दुनिया", 60096, 87244, 78368, 30484, 97, 34370, 14925, 99, 72653, 60096, 42311, 107, 23868);
        assertEncodes(tok, "👨‍👩‍👧‍👦 family", 145367, 378, 235, 145233, 378, 235, 145665, 378, 235, 145988, 2997);
        assertEncodes(tok, "/path/to/file.txt", 50976, 32429, 23903, 3909);
        assertEncodes(tok, "a  b   c    d", 64, 220, 293, 256, 272, 262, 294);
        assertEncodes(tok, "line1\r\nline2\rline3", 1056, 16, 319, 1056, 17, 201, 1056, 18);
        assertEncodes(tok, "\t\tTabs", 197, 10261, 3435);
        assertEncodes(tok, "trailing   ", 376, 14277, 262);
        assertEncodes(tok, "<<|im_end|>>", 27, 151645, 29);
        assertEncodes(tok, "٣٤٥", 149, 96, 149, 97, 149, 98);
        assertEncodes(tok, "Ⅻ", 70467, 104);
        assertEncodes(tok, "x'ſ", 87, 6, 144815);
        assertEncodes(tok, "Türkçe İstanbul ılık", 141085, 74, 124806, 129514, 220, 52171, 74);
        assertEncodes(tok, "日本語のテキストです。カタカナ、ひらがな", 101059, 102819, 15767, 56833, 61803, 70534, 37541, 1773,
                70393, 46207, 70393, 95352, 5373, 124877, 32403, 28195, 25770);
        assertEncodes(tok, "http://example.com/a?b=c&d=e", 1254, 1110, 8687, 905, 14186, 30, 65, 19535, 5, 67, 40391);
        assertEncodes(tok, "");
    }

    @ParameterizedTest
    @EnumSource(PreTokenizerRegex.class)
    void sharedTranscriptsRoundTrip(PreTokenizerRegex regex) throws Exception {
        Tokenizer tok = QwenTestTokenizers.qwen3(regex);
        Path audio = QwenTestTokenizers.sharedDir().resolve("data/audio");
        List<Path> transcripts;
        try (Stream<Path> files = Files.list(audio)) {
            transcripts = files.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
        }
        assertTrue(transcripts.size() >= 9, "expected the shared transcripts in " + audio);
        for (Path p : transcripts) {
            String text = Files.readString(p, StandardCharsets.UTF_8);
            int[] ids = tok.encode(text);
            assertTrue(ids.length > 0);
            assertTrue(ids.length < text.length(), "BPE should compress " + p.getFileName());
            assertEquals(Normalizer.normalize(text, Normalizer.Form.NFC), tok.decode(ids, true), p.getFileName().toString());
        }
    }

    @Test
    void decodeSkipsSpecialTokensButKeepsAsrText() {
        Tokenizer tok = QwenTestTokenizers.qwen3(PreTokenizerRegex.QWEN);
        // <|im_start|> Hello <asr_text> <|im_end|> placeholder-151700 ; 151706 and 200000 have no entry
        int[] ids = ids(151644, 9707, 151704, 151645, 151700, 151706, 200000, -1);
        assertEquals("Hello<asr_text>", tok.decode(ids, true));
        assertEquals("<|im_start|>Hello<asr_text><|im_end|><|placeholder_151700|>", tok.decode(ids, false));
        assertEquals("language English<asr_text>And so", tok.decode(ids(11528, 6364, 151704, 3036, 773, 151645), true));
        assertTrue(tok.isSpecial(151645));
        assertTrue(tok.isSpecial(151676));
        assertFalse(tok.isSpecial(151704));
        assertFalse(tok.isSpecial(9707));
        assertFalse(tok.isSpecial(151706));
    }

    /** docs/model.md 6.5: bytes of all tokens first, then one lossy UTF-8 decode. */
    @Test
    void decodeReplacesInvalidUtf8LikePython() throws Exception {
        Tokenizer tok = QwenTestTokenizers.qwen3(PreTokenizerRegex.QWEN);
        int[] byteIds = byteTokenIds();
        int[] helloThenBroken = ids(byteIds[0xE2], byteIds[0x82], 9707);
        assertEquals("\uFFFDHello", tok.decode(helloThenBroken, true));
        assertArrayEquals(new byte[] {(byte) 0xE2, (byte) 0x82, 'H', 'e', 'l', 'l', 'o'}, tok.decodeBytes(helloThenBroken, true));
        assertEquals("\uFFFD \uFFFD\uFFFD", tok.decode(ids(byteIds[0xE2], byteIds[0x20], byteIds[0xE2], byteIds[0xE2]), true));
        // A character whose bytes are spread over tokens is whole again: 你 = E4 BD A0.
        assertEquals("你", tok.decode(ids(byteIds[0xE4], byteIds[0xBD], byteIds[0xA0]), true));
    }

    /** Ids of the 256 single-byte tokens, found in vocab.json through the docs/model.md 6.2 alphabet built here. */
    private static int[] byteTokenIds() throws Exception {
        Map<String, Object> vocab = Json.parseObject(
                Files.readString(QwenTestTokenizers.vocabularyDir().resolve("vocab.json"), StandardCharsets.UTF_8));
        int[] out = new int[256];
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean self = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || b >= 174;
            int cp = self ? b : next++;
            out[b] = ((Long) vocab.get(new String(Character.toChars(cp)))).intValue();
        }
        return out;
    }

    @Test
    void lookups() {
        Tokenizer tok = QwenTestTokenizers.qwen3(PreTokenizerRegex.QWEN);
        assertEquals(151706, tok.vocabSize());
        assertEquals(OptionalInt.of(151676), tok.addedTokenId("<|audio_pad|>"));
        assertEquals(OptionalInt.empty(), tok.addedTokenId("<|audio_pad"));
        assertEquals(151704, tok.requireAddedToken("<asr_text>"));
        QwenAsrException e = assertThrows(QwenAsrException.class, () -> tok.requireAddedToken("<nope>"));
        assertTrue(e.getMessage().contains("<nope>"));
        assertEquals("Hello", tok.tokenString(9707));
        assertEquals("\u0120Hello", tok.tokenString(21927));   // Ġ = space in the byte alphabet
        assertEquals("\u010a", tok.tokenString(198));          // Ċ = newline
        assertEquals("<|im_end|>", tok.tokenString(151645));
        assertNull(tok.tokenString(151706));
        assertNull(tok.tokenString(-3));
        assertEquals(PreTokenizerRegex.PATCHED, QwenTestTokenizers.qwen3(PreTokenizerRegex.PATCHED).regex());
    }

    /** Thousands of added tokens in one prompt must be scanned quickly (prompt path). */
    @Test
    void longAudioPadRunsAreFast() {
        Tokenizer tok = QwenTestTokenizers.qwen3(PreTokenizerRegex.PATCHED);
        String pads = "<|audio_pad|>".repeat(20_000);
        int[] ids = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> tok.encode("x" + pads + "y"));
        assertEquals(20_002, ids.length);
        assertEquals(87, ids[0]);
        assertEquals(88, ids[20_001]);
        for (int i = 1; i <= 20_000; i++) assertEquals(151676, ids[i]);
    }

    /** Leftmost match wins; at one position the longest added token wins. */
    @Test
    void addedTokensLeftmostLongest() {
        Path dir = QwenTestTokenizers.vocabularyDir();
        List<AddedToken> added = new ArrayList<>(QwenTestTokenizers.addedTokens());
        added.add(new AddedToken(151800, "<ab", true));
        added.add(new AddedToken(151801, "<abc>", true));
        added.add(new AddedToken(151802, "c>d", true));
        Tokenizer tok = Tokenizer.create(dir.resolve("vocab.json"), dir.resolve("merges.txt"), added, PreTokenizerRegex.QWEN);
        assertArrayEquals(ids(151801), tok.encode("<abc>"));
        assertArrayEquals(ids(151800, 87), tok.encode("<abx"));             // "x" = 87
        assertArrayEquals(ids(87, 151801, 67), tok.encode("x<abc>d"));      // "d" = 67; c>d starts later
        assertEquals(151803, tok.vocabSize());
    }

    /** Added tokens declared with lstrip/rstrip swallow the neighbouring whitespace. */
    @Test
    void addedTokenStripFlags() {
        Path dir = QwenTestTokenizers.vocabularyDir();
        List<AddedToken> added = new ArrayList<>(QwenTestTokenizers.addedTokens());
        added.add(new AddedToken(151800, "<L>", true, true, false));
        added.add(new AddedToken(151801, "<R>", true, false, true));
        Tokenizer tok = Tokenizer.create(dir.resolve("vocab.json"), dir.resolve("merges.txt"), added, PreTokenizerRegex.QWEN);
        assertArrayEquals(ids(14990, 151800, 21927), tok.encode("hello  <L> Hello"));   // " Hello" = 21927
        assertArrayEquals(ids(14990, 220, 151801, 9707), tok.encode("hello <R>  Hello"));   // " " = 220
        assertArrayEquals(ids(14990, 220, 151644, 21927), tok.encode("hello <|im_start|> Hello"));
    }
}
