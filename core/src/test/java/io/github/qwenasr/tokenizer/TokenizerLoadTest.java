package io.github.qwenasr.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Tokenizer#load} on model directories built from the shared vocabulary (docs/model.md 5.1, 6.1, 6.3a). */
class TokenizerLoadTest {
    @TempDir
    Path dir;

    private void writeModelDir(String configJsonOrNull) throws IOException {
        Path src = QwenTestTokenizers.vocabularyDir();
        Files.copy(src.resolve("vocab.json"), dir.resolve("vocab.json"));
        Files.copy(src.resolve("merges.txt"), dir.resolve("merges.txt"));
        StringJoiner table = new StringJoiner(",", "{", "}");
        for (AddedToken t : QwenTestTokenizers.addedTokens()) {
            table.add(Json.quote(String.valueOf(t.id())) + ":{\"content\":" + Json.quote(t.content())
                    + ",\"lstrip\":false,\"normalized\":false,\"rstrip\":false,\"single_word\":false,\"special\":"
                    + t.special() + "}");
        }
        Files.writeString(dir.resolve("tokenizer_config.json"),
                "{\"added_tokens_decoder\":" + table + ",\"eos_token\":\"<|im_end|>\",\"errors\":\"replace\"}");
        if (configJsonOrNull != null) Files.writeString(dir.resolve("config.json"), configJsonOrNull);
    }

    @Test
    void loadsAddedTokensAndChoosesRegexFromConfig() throws IOException {
        writeModelDir("{\"model_type\":\"qwen3_asr\",\"transformers_version\":\"4.57.6\"}");
        Tokenizer tok = Tokenizer.load(dir);
        assertEquals(PreTokenizerRegex.PATCHED, tok.regex());
        assertEquals(151706, tok.vocabSize());
        assertFalse(tok.isSpecial(151704));
        assertTrue(tok.isSpecial(151705));
        assertArrayEquals(new int[] {72, 6939}, tok.encode("iPhone"));
        assertArrayEquals(new int[] {151644, 8948, 271, 14990, 151645, 198}, tok.encode("<|im_start|>system\n\nhello<|im_end|>\n"));
    }

    @Test
    void oldTransformersVersionKeepsQwenRegex() throws IOException {
        writeModelDir("{\"model_type\":\"qwen3_asr\",\"transformers_version\":\"4.57.1\"}");
        Tokenizer tok = Tokenizer.load(dir);
        assertEquals(PreTokenizerRegex.QWEN, tok.regex());
        assertArrayEquals(new int[] {44740}, tok.encode("iPhone"));
    }

    @Test
    void configWithoutVersionGetsPatchedRegex() throws IOException {
        writeModelDir("{\"model_type\":\"qwen3_asr\"}");
        assertEquals(PreTokenizerRegex.PATCHED, Tokenizer.load(dir).regex());
    }

    @Test
    void noConfigJsonKeepsQwenRegex() throws IOException {
        writeModelDir(null);
        assertEquals(PreTokenizerRegex.QWEN, Tokenizer.load(dir).regex());
    }

    @Test
    void missingFilesAreNamed() throws IOException {
        writeModelDir("{}");
        Files.delete(dir.resolve("merges.txt"));
        assertTrue(assertThrows(QwenAsrException.class, () -> Tokenizer.load(dir)).getMessage().contains("merges.txt"));
        Files.delete(dir.resolve("vocab.json"));
        assertTrue(assertThrows(QwenAsrException.class, () -> Tokenizer.load(dir)).getMessage().contains("vocab.json"));
        Files.delete(dir.resolve("tokenizer_config.json"));
        assertTrue(assertThrows(QwenAsrException.class, () -> Tokenizer.load(dir)).getMessage().contains("tokenizer_config.json"));
    }

    @Test
    void corruptFilesAreNamed() throws IOException {
        writeModelDir("{\"transformers_version\":\"4.57.6\"}");
        Files.writeString(dir.resolve("config.json"), "{\"transformers_version\": ");
        assertTrue(assertThrows(QwenAsrException.class, () -> Tokenizer.load(dir)).getMessage().contains("config.json"));
        Files.writeString(dir.resolve("config.json"), "{\"transformers_version\":\"not a version\"}");
        assertTrue(assertThrows(QwenAsrException.class, () -> Tokenizer.load(dir)).getMessage().contains("config.json"));
        Files.writeString(dir.resolve("config.json"), "{}");

        Files.writeString(dir.resolve("merges.txt"), "#version: 0.2\n\u0120 \u0120\nthis line is bad\n", StandardCharsets.UTF_8);
        String msg = assertThrows(QwenAsrException.class, () -> Tokenizer.load(dir)).getMessage();
        assertTrue(msg.contains("merges.txt") && msg.contains("line 3"), msg);
        Files.writeString(dir.resolve("merges.txt"), "#version: 0.2\nnotInVocab\u0120 x\n", StandardCharsets.UTF_8);
        assertTrue(assertThrows(QwenAsrException.class, () -> Tokenizer.load(dir)).getMessage().contains("merges.txt"));

        Files.writeString(dir.resolve("vocab.json"), "{\"a\": 1,");
        assertTrue(assertThrows(QwenAsrException.class, () -> Tokenizer.load(dir)).getMessage().contains("vocab.json"));

        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"eos_token\":\"<|im_end|>\"}");
        msg = assertThrows(QwenAsrException.class, () -> Tokenizer.load(dir)).getMessage();
        assertTrue(msg.contains("tokenizer_config.json") && msg.contains("added_tokens_decoder"), msg);
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"added_tokens_decoder\":{\"x\":{\"content\":\"<a>\"}}}");
        assertTrue(assertThrows(QwenAsrException.class, () -> Tokenizer.load(dir)).getMessage().contains("tokenizer_config.json"));
    }

    /** A tiny hand-made vocabulary: ranks decide, leftmost first among equal ranks (docs/model.md 6.3 step 5). */
    @Test
    void tinyVocabularyMergeOrder() throws IOException {
        StringBuilder vocab = new StringBuilder("{");
        int id = 0;
        for (int b = 0; b < 256; b++) {
            boolean self = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || b >= 174;
            int cp = self ? b : 256 + countMapped(b);
            vocab.append(Json.quote(new String(Character.toChars(cp)))).append(':').append(id++).append(',');
        }
        vocab.append("\"aa\":256,\"ab\":257,\"aab\":258,\"ba\":259}");
        Files.writeString(dir.resolve("vocab.json"), vocab.toString(), StandardCharsets.UTF_8);
        // rank 0: a a, rank 1: aa b, rank 2: a b, rank 3: b a
        Files.writeString(dir.resolve("merges.txt"), "#version: 0.2\na a\naa b\na b\nb a\n", StandardCharsets.UTF_8);
        Tokenizer tok = Tokenizer.create(dir.resolve("vocab.json"), dir.resolve("merges.txt"), java.util.List.of(), PreTokenizerRegex.QWEN);
        // "aaab": a a merges leftmost first -> [aa, a, b]; then "aa a" has no rank, "a b" (rank 2) -> [aa, ab]
        assertArrayEquals(new int[] {256, 257}, tok.encode("aaab"));
        // "aab": a a (0) -> [aa, b]; aa b (1) -> [aab]
        assertArrayEquals(new int[] {258}, tok.encode("aab"));
        // "bab": b a (3) and a b (2): a b first -> [b, ab]; nothing more
        assertArrayEquals(new int[] {98, 257}, tok.encode("bab"));   // byte tokens have id = byte value here: 'b' = 98
        assertEquals(260, tok.vocabSize());
    }

    /** The 256 byte tokens of docs/model.md 6.2 with id = byte value, then {@code extra} (raw JSON members). */
    private static String byteVocabulary(String extra) {
        StringBuilder vocab = new StringBuilder("{");
        for (int b = 0; b < 256; b++) {
            boolean self = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || b >= 174;
            int cp = self ? b : 256 + countMapped(b);
            vocab.append(Json.quote(new String(Character.toChars(cp)))).append(':').append(b).append(',');
        }
        if (extra.isEmpty()) vocab.setLength(vocab.length() - 1);   // no trailing comma
        return vocab.append(extra).append('}').toString();
    }

    private Tokenizer tiny() {
        return Tokenizer.create(dir.resolve("vocab.json"), dir.resolve("merges.txt"), java.util.List.of(), PreTokenizerRegex.QWEN);
    }

    /** JSON escapes in vocab.json keys (docs/model.md 6.1) decode to the same token as the raw characters would. */
    @Test
    void escapedVocabularyKeys() throws IOException {
        // "\"q\"" is "q" in quotes; \u00e9 is é, the byte-alphabet character of byte 0xE9;
        // the surrogate pair is U+1F600, outside the byte alphabet, kept as its own UTF-8 (docs/model.md 6.5).
        Files.writeString(dir.resolve("vocab.json"), byteVocabulary(
                "\"\\\"q\\\"\":256, \"x\\u00e9\":257, \"\\ud83d\\ude00\":258, \"a\\\\b\" : 259"), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("merges.txt"), "#version: 0.2\n", StandardCharsets.UTF_8);
        Tokenizer tok = tiny();
        assertEquals("\"q\"", tok.tokenString(256));
        assertEquals("x\u00e9", tok.tokenString(257));
        assertEquals("\ud83d\ude00", tok.tokenString(258));
        assertEquals("a\\b", tok.tokenString(259));
        assertArrayEquals(new byte[] {'x', (byte) 0xE9}, tok.decodeBytes(new int[] {257}, false));
        assertArrayEquals("\ud83d\ude00".getBytes(StandardCharsets.UTF_8), tok.decodeBytes(new int[] {258}, false));
        assertArrayEquals(new byte[] {'"', 'q', '"', 'a', '\\', 'b'}, tok.decodeBytes(new int[] {256, 259}, false));
        // With no merges, text is its UTF-8 bytes: é is C3 A9.
        assertArrayEquals(new int[] {'x', 0xC3, 0xA9}, tok.encode("x\u00e9"));
    }

    /** merges.txt lines are trimmed of any white space (CRLF, tabs, U+3000) before they are split (docs/model.md 6.1). */
    @Test
    void mergesLinesAreTrimmed() throws IOException {
        Files.writeString(dir.resolve("vocab.json"), byteVocabulary("\"aa\":256,\"ab\":257"), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("merges.txt"), "#version: 0.2\r\na a\r\n\n\u3000 a b\t\n", StandardCharsets.UTF_8);
        Tokenizer tok = tiny();
        assertArrayEquals(new int[] {256, 257}, tok.encode("aaab"));
        assertArrayEquals(new int[] {257}, tok.encode("ab"));
    }

    /** Files that are not UTF-8, or hold a lone surrogate escape, are rejected with their name. */
    @Test
    void malformedUtf8IsRejected() throws IOException {
        Files.writeString(dir.resolve("merges.txt"), "#version: 0.2\n", StandardCharsets.UTF_8);
        byte[] bad = byteVocabulary("\"a\u00ff\":256").getBytes(StandardCharsets.UTF_8);
        String good = new String(bad, StandardCharsets.UTF_8);
        int at = good.indexOf("a\u00ff");
        byte[] broken = bad.clone();
        broken[good.substring(0, at).getBytes(StandardCharsets.UTF_8).length + 2] = 'z';   // C3 'z': a cut sequence
        Files.write(dir.resolve("vocab.json"), broken);
        String msg = assertThrows(QwenAsrException.class, this::tiny).getMessage();
        assertTrue(msg.contains("vocab.json"), msg);

        Files.writeString(dir.resolve("vocab.json"), byteVocabulary("\"\\ud800x\":256"), StandardCharsets.UTF_8);
        msg = assertThrows(QwenAsrException.class, this::tiny).getMessage();
        assertTrue(msg.contains("vocab.json"), msg);

        Files.writeString(dir.resolve("vocab.json"), byteVocabulary(""), StandardCharsets.UTF_8);
        Files.write(dir.resolve("merges.txt"), new byte[] {'#', 'v', 'e', 'r', 's', 'i', 'o', 'n', '\n', 'a', ' ', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '\n'});
        msg = assertThrows(QwenAsrException.class, this::tiny).getMessage();
        assertTrue(msg.contains("merges.txt") && msg.contains("line 2"), msg);
    }

    /** vocab.json ids must be 0 … n−1, each once (issue 20, item 10 c). */
    @Test
    void vocabularyIdsMustBeAPermutation() throws IOException {
        Files.writeString(dir.resolve("merges.txt"), "#version: 0.2\n", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("vocab.json"), byteVocabulary("\"aa\":256,\"ab\":256"), StandardCharsets.UTF_8);
        String msg = assertThrows(QwenAsrException.class, this::tiny).getMessage();
        assertTrue(msg.contains("vocab.json") && msg.contains("id 256 is used by two tokens (\"aa\" and \"ab\")"), msg);

        Files.writeString(dir.resolve("vocab.json"), byteVocabulary("\"aa\":256,\"ab\":258"), StandardCharsets.UTF_8);
        msg = assertThrows(QwenAsrException.class, this::tiny).getMessage();
        assertTrue(msg.contains("vocab.json") && msg.contains("id 257 is missing"), msg);

        // A repeated key keeps its last id (as a JSON object does), which leaves the first one unused.
        Files.writeString(dir.resolve("vocab.json"), byteVocabulary("\"aa\":256,\"aa\":257"), StandardCharsets.UTF_8);
        msg = assertThrows(QwenAsrException.class, this::tiny).getMessage();
        assertTrue(msg.contains("id 256 is missing"), msg);

        Files.writeString(dir.resolve("vocab.json"), byteVocabulary("\"ab\":257,\"aa\":256"), StandardCharsets.UTF_8);
        assertEquals(258, tiny().vocabSize(), "ids in any order are fine");
    }

    /** Index of a non-printable byte among the 68 remapped ones (docs/model.md 6.2). */
    private static int countMapped(int b) {
        int n = 0;
        for (int x = 0; x < b; x++) {
            boolean self = (x >= 33 && x <= 126) || (x >= 161 && x <= 172) || x >= 174;
            if (!self) n++;
        }
        return n;
    }
}
