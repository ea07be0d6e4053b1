package io.github.qwenasr.tokenizer;

import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.config.ModelFileReader;
import io.github.qwenasr.json.Json;
import io.github.qwenasr.json.JsonException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Qwen2/Qwen3 byte-level BPE tokenizer with the exact ids of the reference (docs/model.md 6).
 *
 * <p>Encoding (docs/model.md 6.3): added tokens are split out of the raw text first (leftmost, longest); each
 * remaining segment is NFC-normalised, cut into pre-tokens by the regex chosen per docs/model.md 6.3a, mapped
 * to the byte alphabet of docs/model.md 6.2 and merged by BPE rank. Decoding (docs/model.md 6.5) concatenates the bytes of
 * all tokens and decodes them as UTF-8 the way Python's {@code errors="replace"} does.
 *
 * <p>Instances are immutable apart from an internal pre-token cache and are safe to share
 * between threads.
 */
public final class Tokenizer {
    /** Pre-token cache bound; the cache is simply emptied when it grows past this. */
    private static final int CACHE_LIMIT = 100_000;
    /** Ids index dense arrays; anything this large can only come from a corrupt file. */
    private static final int MAX_ID = 1 << 24;

    private final VocabBytes vocabTokens;        // id -> byte-alphabet token, as UTF-8
    private final AddedToken[] addedById;        // id -> added token, null if none
    private final Map<String, AddedToken> addedByContent;
    private final AddedTokenMatcher addedMatcher;
    private final BpeModel bpe;
    private final PreTokenizerRegex regex;
    private final int vocabSize;
    private final ConcurrentHashMap<String, int[]> pieceCache = new ConcurrentHashMap<>();

    private Tokenizer(VocabBytes vocabTokens, BpeModel bpe, List<AddedToken> added, PreTokenizerRegex regex) {
        this.vocabTokens = vocabTokens;
        this.bpe = bpe;
        this.regex = regex;
        int maxId = vocabTokens.size() - 1;
        for (AddedToken t : added) maxId = Math.max(maxId, t.id());
        if (maxId >= MAX_ID) throw new QwenAsrException("Added token id " + maxId + " is too large");
        this.vocabSize = maxId + 1;
        this.addedById = new AddedToken[vocabSize];
        this.addedByContent = new HashMap<>();
        for (AddedToken t : added) {
            addedById[t.id()] = t;
            addedByContent.put(t.content(), t);
        }
        this.addedMatcher = new AddedTokenMatcher(added);
    }

    // ------------------------------------------------------------------ loading

    /**
     * Loads the tokenizer of a model directory: {@code vocab.json}, {@code merges.txt}, the
     * {@code added_tokens_decoder} table of {@code tokenizer_config.json}, and the pre-tokenisation
     * regex chosen from {@code config.json} by {@link PreTokenizerRegex#choose(String, String)}
     * (a directory without {@code config.json} keeps {@link PreTokenizerRegex#QWEN}, as the
     * reference does).
     *
     * @throws QwenAsrException naming the file that is missing or malformed
     */
    public static Tokenizer load(Path modelDir) {
        List<AddedToken> added = readAddedTokens(modelDir.resolve("tokenizer_config.json"));
        PreTokenizerRegex regex = chooseRegex(modelDir.resolve("config.json"));
        // No log line here: looking up a System.Logger starts java.util.logging, ~40 ms of a cold
        // start; the choice is visible through regex().
        return create(modelDir.resolve("vocab.json"), modelDir.resolve("merges.txt"), added, regex);
    }

    /**
     * Builds a tokenizer from explicit parts (tests, tools, checkpoints laid out differently).
     *
     * @throws QwenAsrException naming the file that is missing or malformed
     */
    public static Tokenizer create(Path vocabJson, Path mergesTxt, List<AddedToken> added, PreTokenizerRegex regex) {
        TokenTable vocab;
        try {
            vocab = VocabJson.parse(readBytes(vocabJson));
            int maxId = vocab.maxId();
            if (maxId >= MAX_ID) throw new IllegalArgumentException("id " + maxId + " is too large");
            vocab.checkIdsArePermutation();
        } catch (IllegalArgumentException e) {
            throw new QwenAsrException("Malformed " + vocabJson.getFileName() + " (" + vocabJson + "): " + e.getMessage());
        }
        byte[] merges = readBytes(mergesTxt);

        int[] byteToId = new int[256];
        byte[] symbol = new byte[2];
        for (int b = 0; b < 256; b++) {
            char c = ByteLevel.charOf(b);   // below U+0800: one or two UTF-8 bytes
            int n = 1;
            if (c < 0x80) {
                symbol[0] = (byte) c;
            } else {
                symbol[0] = (byte) (0xC0 | (c >> 6));
                symbol[1] = (byte) (0x80 | (c & 0x3F));
                n = 2;
            }
            byteToId[b] = vocab.get(symbol, 0, n);
            if (byteToId[b] < 0) {
                throw new QwenAsrException("Malformed " + vocabJson.getFileName() + " (" + vocabJson
                        + "): no token for byte " + b);
            }
        }
        VocabBytes tokens = vocab.toVocabBytes();
        BpeModel bpe;
        try {
            bpe = MergesTxt.read(vocab, tokens, merges, byteToId);
        } catch (IllegalArgumentException e) {
            throw new QwenAsrException("Malformed " + mergesTxt.getFileName() + " (" + mergesTxt + "): " + e.getMessage());
        }
        return new Tokenizer(tokens, bpe, List.copyOf(added), regex);
    }

    private static List<AddedToken> readAddedTokens(Path file) {
        Map<String, Object> root = readJson(file);
        List<AddedToken> out = new ArrayList<>();
        try {
            Map<String, Object> table = Json.object(root, "added_tokens_decoder");
            if (table == null) throw new QwenAsrException("Malformed " + file.getFileName() + " (" + file + "): no added_tokens_decoder");
            for (Map.Entry<String, Object> e : table.entrySet()) {
                int id;
                try {
                    id = Integer.parseInt(e.getKey().strip());
                } catch (NumberFormatException ex) {
                    throw new JsonException("added token id '" + e.getKey() + "' is not an integer");
                }
                if (!(e.getValue() instanceof Map)) throw new JsonException("added token " + id + " is not an object");
                @SuppressWarnings("unchecked")
                Map<String, Object> entry = (Map<String, Object>) e.getValue();
                String content = Json.getString(entry, "content", null);
                if (id < 0 || id >= MAX_ID) throw new JsonException("added token id " + id + " is out of range");
                if (content == null || content.isEmpty()) throw new JsonException("added token " + id + " has no content");
                out.add(new AddedToken(id, content, Json.getBoolean(entry, "special", false),
                        Json.getBoolean(entry, "lstrip", false), Json.getBoolean(entry, "rstrip", false)));
            }
        } catch (JsonException e) {
            throw new QwenAsrException("Malformed " + file.getFileName() + " (" + file + "): " + e.getMessage());
        }
        return out;
    }

    private static PreTokenizerRegex chooseRegex(Path configJson) {
        if (!Files.exists(configJson)) return PreTokenizerRegex.QWEN;   // the reference patches nothing then
        Map<String, Object> cfg = readJson(configJson);
        try {
            String version = Json.getString(cfg, "transformers_version", null);
            String modelType = Json.getString(cfg, "model_type", null);
            return PreTokenizerRegex.choose(version, modelType);
        } catch (JsonException | QwenAsrException e) {
            throw new QwenAsrException("Malformed " + configJson.getFileName() + " (" + configJson + "): " + e.getMessage());
        }
    }

    private static Map<String, Object> readJson(Path file) {
        try {
            return Json.parseObject(readText(file));
        } catch (JsonException e) {
            throw new QwenAsrException("Malformed " + file.getFileName() + " (" + file + "): " + e.getMessage());
        }
    }

    /** The file's bytes; the byte-level readers check that they are well-formed UTF-8. */
    private static byte[] readBytes(Path file) {
        return ModelFileReader.readBytes(file, "tokenizer file");
    }

    private static String readText(Path file) {
        return ModelFileReader.readText(file, "tokenizer file");
    }

    // ------------------------------------------------------------------ encoding

    /** Token ids of {@code text} (no BOS/EOS is ever added). */
    public int[] encode(String text) {
        IntList out = new IntList(Math.max(16, text.length() / 3));
        int pos = 0;
        while (pos < text.length()) {
            AddedTokenMatcher.Match m = addedMatcher.find(text, pos, pos);
            int segmentEnd = m == null ? text.length() : m.start();
            if (segmentEnd > pos) encodeOrdinary(text.substring(pos, segmentEnd), out);
            if (m == null) break;
            out.add(m.token().id());
            pos = m.end();
        }
        return out.toArray();
    }

    /** Steps 2–5 of docs/model.md 6.3 for text that holds no added token. */
    private void encodeOrdinary(String segment, IntList out) {
        String nfc = Normalizer.isNormalized(segment, Normalizer.Form.NFC)
                ? segment : Normalizer.normalize(segment, Normalizer.Form.NFC);
        regex.forEachPiece(nfc, piece -> out.addAll(encodePiece(piece)));
    }

    private int[] encodePiece(String piece) {
        int[] ids = pieceCache.get(piece);
        if (ids == null) {
            ids = bpe.encodePiece(piece);
            if (pieceCache.size() >= CACHE_LIMIT) pieceCache.clear();
            pieceCache.put(piece, ids);
        }
        return ids;
    }

    // ------------------------------------------------------------------ decoding

    /**
     * The bytes that {@code ids} stand for (docs/model.md 6.5): vocabulary tokens through the byte alphabet,
     * added tokens as the UTF-8 of their content. Ids with no entry are dropped; special added
     * tokens are dropped when {@code skipSpecial}.
     */
    public byte[] decodeBytes(int[] ids, boolean skipSpecial) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(ids.length * 4);
        for (int id : ids) {
            if (id < 0 || id >= vocabSize) continue;
            AddedToken added = addedById[id];
            if (added != null) {
                if (skipSpecial && added.special()) continue;
                out.writeBytes(added.content().getBytes(StandardCharsets.UTF_8));
                continue;
            }
            vocabTokens.writeBytes(id, out);
        }
        return out.toByteArray();
    }

    /**
     * Decodes {@code ids} to text: all bytes first, then one UTF-8 decode in which each maximal
     * invalid subpart becomes one U+FFFD (Python {@code errors="replace"}). No whitespace clean-up.
     */
    public String decode(int[] ids, boolean skipSpecial) {
        byte[] bytes = decodeBytes(ids, skipSpecial);
        return Utf8.decode(bytes, 0, bytes.length);
    }

    // ------------------------------------------------------------------ look-ups

    /** The id of the added token whose content is exactly {@code content}. */
    public OptionalInt addedTokenId(String content) {
        AddedToken t = addedByContent.get(content);
        return t == null ? OptionalInt.empty() : OptionalInt.of(t.id());
    }

    /**
     * The id of a required added token.
     *
     * @throws QwenAsrException when the tokenizer does not define it
     */
    public int requireAddedToken(String content) {
        AddedToken t = addedByContent.get(content);
        if (t == null) throw new QwenAsrException("Tokenizer has no added token " + content + " (check tokenizer_config.json)");
        return t.id();
    }

    /** Whether {@code id} is an added token flagged special (dropped when skipping special tokens). */
    public boolean isSpecial(int id) {
        return id >= 0 && id < vocabSize && addedById[id] != null && addedById[id].special();
    }

    /**
     * The token string of {@code id}: the added-token content, or the vocabulary entry in the byte
     * alphabet of docs/model.md 6.2 (e.g. {@code "Ġworld"}); null when the id has no entry.
     */
    public String tokenString(int id) {
        if (id < 0 || id >= vocabSize) return null;
        if (addedById[id] != null) return addedById[id].content();
        return vocabTokens.string(id);
    }

    /** Largest known id (vocabulary or added) plus one. */
    public int vocabSize() {
        return vocabSize;
    }

    /** The pre-tokenisation regex in use (docs/model.md 6.3a). */
    public PreTokenizerRegex regex() {
        return regex;
    }
}
