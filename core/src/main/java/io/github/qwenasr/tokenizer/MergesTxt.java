package io.github.qwenasr.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reader for {@code merges.txt} (docs/model.md 6.1): one merge per line, "left right", rank = index
 * among the kept lines. Like the reference loader, a {@code #version} header on the first line
 * and blank lines are skipped, and surrounding white space ({@link Character#isWhitespace}) is
 * ignored. Works on the file's UTF-8 bytes (checked to be well-formed) and looks symbols up as
 * slices of them, so no line makes a String. One call per line keeps the hot code in small
 * methods that the JIT compiles early in a fresh JVM.
 *
 * <p>In GPT-2 style vocabularies (Qwen's included) the merged symbol of each line is the token
 * whose id follows the previous line's, so that id is tried first, a sequential read, before
 * the hash look-up it saves.
 */
final class MergesTxt {
    private static final byte[] VERSION_HEADER = "#version".getBytes(StandardCharsets.US_ASCII);

    private final TokenTable vocab;
    private final VocabBytes tokens;
    private final byte[] text;
    private final PairRanks ranks;
    private final int[] result;   // rank -> id of the merged symbol
    private int pos;
    private int lineNo;
    private int rank;
    private int lastMerged = 255;   // id of the previous line's merged symbol

    private MergesTxt(TokenTable vocab, VocabBytes tokens, byte[] text, int lineCount) {
        this.vocab = vocab;
        this.tokens = tokens;
        this.text = text;
        this.ranks = new PairRanks(lineCount);
        this.result = new int[lineCount];
    }

    /**
     * Reads all merges into a {@link BpeModel} over the ids of {@code vocab} ({@code tokens} is
     * the same vocabulary by id).
     *
     * @throws IllegalArgumentException naming the line that is malformed
     */
    static BpeModel read(TokenTable vocab, VocabBytes tokens, byte[] text, int[] byteToId) {
        int lineCount = 1;
        for (byte b : text) if (b == '\n') lineCount++;
        MergesTxt reader = new MergesTxt(vocab, tokens, text, lineCount);
        while (reader.pos < text.length) reader.line();
        return new BpeModel(byteToId, reader.ranks, reader.result);
    }

    /** Reads the line at {@code pos} and moves past it. */
    private void line() {
        lineNo++;
        int start = pos;
        int end = lineEnd(start);
        pos = end + 1;
        start = skipSpaceForward(start, end);
        end = skipSpaceBackward(start, end);
        if (start == end || (lineNo == 1 && startsWith(start, end, VERSION_HEADER))) return;
        int sp = spaceIn(start, end);
        if (sp <= start || sp == end - 1 || spaceIn(sp + 1, end) >= 0) {
            throw new IllegalArgumentException("line " + lineNo + " is not two symbols separated by a space");
        }
        int lHash = TokenTable.hash(text, start, sp, 0);
        int rHash = TokenTable.hash(text, sp + 1, end, 0);
        int l = vocab.get(text, start, sp, lHash);
        int r = vocab.get(text, sp + 1, end, rHash);
        int m = lastMerged + 1;
        if (!tokens.isConcatenation(m, text, start, sp, sp + 1, end)) m = vocab.getPair(text, start, sp, lHash, sp + 1, end, rHash);
        if (l < 0 || r < 0 || m < 0) {
            throw new IllegalArgumentException("line " + lineNo + " uses a symbol missing from vocab.json");
        }
        // A repeated pair keeps its first (lowest) rank.
        if (ranks.putIfAbsent(l, r, rank)) result[rank] = m;
        lastMerged = m;
        rank++;
    }

    /** Index of the '\n' that ends the line starting at {@code from} (or the text length), checking UTF-8 on the way. */
    private int lineEnd(int from) {
        int i = from;
        int n = text.length;
        while (i < n) {
            byte c = text[i];
            if (c == '\n') break;
            if (c >= 0) {
                i++;
            } else {
                int len = Utf8.validLength(text, i, n);
                if (len < 0) throw new IllegalArgumentException("line " + lineNo + " is not valid UTF-8");
                i += len;
            }
        }
        return i;
    }

    private boolean startsWith(int from, int to, byte[] prefix) {
        return to - from >= prefix.length && Arrays.equals(text, from, from + prefix.length, prefix, 0, prefix.length);
    }

    /** First index in {@code [from, to)} that does not start a white-space character, or {@code to}. */
    private int skipSpaceForward(int from, int to) {
        while (from < to) {
            if (!Character.isWhitespace(Utf8.codePointAt(text, from))) break;
            from += Utf8.charLength(text[from]);
        }
        return from;
    }

    /** End of {@code [from, to)} once trailing white-space characters are dropped. */
    private int skipSpaceBackward(int from, int to) {
        while (to > from) {
            int lead = to - 1;
            while (lead > from && (text[lead] & 0xC0) == 0x80) lead--;   // back to the lead byte
            if (!Character.isWhitespace(Utf8.codePointAt(text, lead))) break;
            to = lead;
        }
        return to;
    }

    /** Index of the first space in {@code text[from, to)}, or -1. */
    private int spaceIn(int from, int to) {
        for (int i = from; i < to; i++) if (text[i] == ' ') return i;
        return -1;
    }
}
