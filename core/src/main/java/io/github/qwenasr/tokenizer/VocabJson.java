package io.github.qwenasr.tokenizer;

/**
 * Reader for {@code vocab.json}, a flat JSON object {token string → id} (MODEL.md §6.1).
 * A dedicated scanner that fills a {@link TokenTable}: the generic JSON reader would box and keep
 * an ordered map of 151k entries, and load time is on the start-up path.
 */
final class VocabJson {
    private final String s;
    private int pos;

    private VocabJson(String s) {
        this.s = s;
    }

    /**
     * Parses the whole document.
     *
     * @throws IllegalArgumentException with the character offset when the text is not a flat
     *                                  object of non-negative integers
     */
    static TokenTable parse(String text) {
        return new VocabJson(text).object();
    }

    private TokenTable object() {
        TokenTable map = new TokenTable(s.length() / 16);   // vocab.json averages ~18 characters per entry
        skipWs();
        expect('{');
        skipWs();
        if (peek() == '}') {
            pos++;
        } else {
            while (true) {
                skipWs();
                String key = string();
                skipWs();
                expect(':');
                skipWs();
                map.put(key, integer());
                skipWs();
                char c = next();
                if (c == '}') break;
                if (c != ',') throw error("expected ',' or '}'");
            }
        }
        skipWs();
        if (pos != s.length()) throw error("trailing characters");
        return map;
    }

    private String string() {
        expect('"');
        int start = pos;
        // Fast path: no escapes.
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c == '"') return s.substring(start, pos++);
            if (c == '\\') break;
            pos++;
        }
        StringBuilder sb = new StringBuilder().append(s, start, pos);
        while (true) {
            char c = next();
            if (c == '"') return sb.toString();
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    if (pos + 4 > s.length()) throw error("truncated \\u escape");
                    try {
                        sb.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                    } catch (NumberFormatException ex) {
                        throw error("bad \\u escape");
                    }
                    pos += 4;
                }
                default -> throw error("bad escape \\" + e);
            }
        }
    }

    private int integer() {
        int start = pos;
        long v = 0;
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c < '0' || c > '9') break;
            v = v * 10 + (c - '0');
            if (v > Integer.MAX_VALUE) throw error("id too large");
            pos++;
        }
        if (pos == start) throw error("expected a non-negative integer id");
        return (int) v;
    }

    private void skipWs() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') return;
            pos++;
        }
    }

    private char peek() {
        if (pos >= s.length()) throw error("unexpected end of input");
        return s.charAt(pos);
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
        return new IllegalArgumentException(msg + " at offset " + pos);
    }
}
