package io.github.qwenasr.tokenizer;

/**
 * Reader for {@code vocab.json}, a flat JSON object {token string → id} (docs/model.md 6.1).
 * A dedicated scanner over the file's UTF-8 bytes that fills a {@link TokenTable}: the generic
 * JSON reader would decode the whole file to UTF-16, box, and keep an ordered map of 151k
 * entries, and load time is on the start-up path. Keys without escapes (nearly all) go to the
 * table straight from the file bytes.
 */
final class VocabJson {
    private final byte[] s;
    private final int end;
    private int pos;
    private byte[] scratch = new byte[64];   // decoded key when it has escapes

    private VocabJson(byte[] s) {
        this.s = s;
        this.end = s.length;
    }

    /**
     * Parses the whole document. Outside keys only ASCII is valid JSON here; keys must be
     * well-formed UTF-8.
     *
     * @throws IllegalArgumentException with the byte offset when the text is not a flat object
     *                                  of non-negative integers
     */
    static TokenTable parse(byte[] utf8) {
        return new VocabJson(utf8).object();
    }

    private TokenTable object() {
        // vocab.json averages ~18 bytes per entry; the keys take about 2/3 of the bytes.
        TokenTable map = new TokenTable(s.length / 16, s.length);
        skipWs();
        expect('{');
        skipWs();
        if (peek() == '}') {
            pos++;
        } else {
            while (true) {
                skipWs();
                key(map);
                skipWs();
                char c = next();
                if (c == '}') break;
                if (c != ',') throw error("expected ',' or '}'");
            }
        }
        skipWs();
        if (pos != end) throw error("trailing characters");
        return map;
    }

    /** Reads {@code "key" : id} and puts it into {@code map}. */
    private void key(TokenTable map) {
        expect('"');
        int start = pos;
        // Fast path: no escapes, the key is a slice of the file.
        while (pos < end) {
            byte c = s[pos];
            if (c == '"') {
                int keyEnd = pos++;
                map.put(s, start, keyEnd, colonAndId());
                return;
            }
            if (c == '\\') break;
            pos += c >= 0 ? 1 : utf8Length();
        }
        int n = 0;
        for (int i = start; i < pos; i++) n = append(n, s[i]);
        while (true) {
            if (pos < end && s[pos] < 0) {
                int len = utf8Length();
                for (int k = 0; k < len; k++) n = append(n, s[pos++]);
                continue;
            }
            byte c = (byte) next();
            if (c == '"') break;
            if (c != '\\') {
                n = append(n, c);
                continue;
            }
            char e = next();
            switch (e) {
                case '"', '\\', '/' -> n = append(n, (byte) e);
                case 'b' -> n = append(n, (byte) '\b');
                case 'f' -> n = append(n, (byte) '\f');
                case 'n' -> n = append(n, (byte) '\n');
                case 'r' -> n = append(n, (byte) '\r');
                case 't' -> n = append(n, (byte) '\t');
                case 'u' -> n = appendCodePoint(n, unicodeEscape());
                default -> throw error("bad escape \\" + e);
            }
        }
        map.put(scratch, 0, n, colonAndId());
    }

    /** The code point of a {@code \}{@code uXXXX} escape (pos after the 'u'), joining a surrogate pair. */
    private int unicodeEscape() {
        char c = hex4();
        if (Character.isHighSurrogate(c) && pos + 6 <= end && s[pos] == '\\' && s[pos + 1] == 'u') {
            int save = pos;
            pos += 2;
            char low = hex4();
            if (Character.isLowSurrogate(low)) return Character.toCodePoint(c, low);
            pos = save;
        }
        // A lone surrogate has no UTF-8 form; the reference (Rust serde_json) rejects it too.
        if (Character.isSurrogate(c)) throw error("lone surrogate in \\u escape");
        return c;
    }

    private char hex4() {
        if (pos + 4 > end) throw error("truncated \\u escape");
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(s[pos + i], 16);
            if (d < 0) throw error("bad \\u escape");
            v = (v << 4) | d;
        }
        pos += 4;
        return (char) v;
    }

    private int appendCodePoint(int n, int cp) {
        if (cp < 0x80) return append(n, (byte) cp);
        if (cp < 0x800) {
            n = append(n, (byte) (0xC0 | (cp >> 6)));
        } else if (cp < 0x10000) {
            n = append(n, (byte) (0xE0 | (cp >> 12)));
            n = append(n, (byte) (0x80 | ((cp >> 6) & 0x3F)));
        } else {
            n = append(n, (byte) (0xF0 | (cp >> 18)));
            n = append(n, (byte) (0x80 | ((cp >> 12) & 0x3F)));
            n = append(n, (byte) (0x80 | ((cp >> 6) & 0x3F)));
        }
        return append(n, (byte) (0x80 | (cp & 0x3F)));
    }

    private int append(int n, byte b) {
        if (n == scratch.length) scratch = java.util.Arrays.copyOf(scratch, n * 2);
        scratch[n] = b;
        return n + 1;
    }

    /** Length of the UTF-8 character at pos, which must be well-formed. */
    private int utf8Length() {
        int n = Utf8.validLength(s, pos, end);
        if (n < 0) throw error("malformed UTF-8");
        return n;
    }

    private int colonAndId() {
        skipWs();
        expect(':');
        skipWs();
        return integer();
    }

    private int integer() {
        int start = pos;
        long v = 0;
        while (pos < end) {
            int c = s[pos];
            if (c < '0' || c > '9') break;
            v = v * 10 + (c - '0');
            if (v > Integer.MAX_VALUE) throw error("id too large");
            pos++;
        }
        if (pos == start) throw error("expected a non-negative integer id");
        return (int) v;
    }

    private void skipWs() {
        while (pos < end) {
            byte c = s[pos];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') return;
            pos++;
        }
    }

    /** The next byte as a char (only compared with ASCII, so a UTF-8 byte never matches). */
    private char peek() {
        if (pos >= end) throw error("unexpected end of input");
        return (char) (s[pos] & 0xFF);
    }

    private char next() {
        char c = peek();
        pos++;
        return c;
    }

    private void expect(char c) {
        if (next() != c) throw error("expected '" + c + "'");
    }

    private IllegalArgumentException error(String msg) {
        return new IllegalArgumentException(msg + " at byte offset " + pos);
    }
}
