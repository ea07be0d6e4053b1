package io.github.qwenasr.json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Minimal strict JSON reader for config, tokenizer and safetensors headers.
 *
 * <p>Objects become {@link LinkedHashMap} (key order kept), arrays {@link ArrayList}, strings
 * {@link String}, integral numbers {@link Long}, other numbers {@link Double}, and
 * true/false/null the matching Java values. Malformed input throws {@link JsonException} with
 * the character offset, and so does nesting deeper than {@value #MAX_DEPTH} levels: the reader is
 * recursive, and a hostile file of thousands of brackets would otherwise overflow the stack.
 */
public final class Json {
    /** Deepest nesting of objects and arrays accepted; real model files nest a few levels. */
    public static final int MAX_DEPTH = 512;

    private final String s;
    private int pos;
    private int depth;

    private Json(String s) {
        this.s = s;
    }

    /** Parses one complete JSON document. */
    public static Object parse(String text) {
        Json p = new Json(text);
        p.skipWs();
        Object v = p.value();
        p.skipWs();
        if (p.pos != p.s.length()) throw p.error("trailing characters after JSON value");
        return v;
    }

    /** Parses a document whose top level must be an object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) {
        Object v = parse(text);
        if (!(v instanceof Map)) throw new JsonException("expected a JSON object at top level");
        return (Map<String, Object>) v;
    }

    private Object value() {
        if (pos >= s.length()) throw error("unexpected end of input");
        char c = s.charAt(pos);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) yield number();
                throw error("unexpected character '" + c + "'");
            }
        };
    }

    private Map<String, Object> object() {
        enter();
        Map<String, Object> m = new LinkedHashMap<>();
        pos++;
        skipWs();
        if (peek() == '}') {
            pos++;
            depth--;
            return m;
        }
        while (true) {
            skipWs();
            if (peek() != '"') throw error("expected string key");
            String k = string();
            skipWs();
            expect(':');
            skipWs();
            m.put(k, value());
            skipWs();
            char c = next();
            if (c == '}') {
                depth--;
                return m;
            }
            if (c != ',') throw error("expected ',' or '}' in object");
        }
    }

    private List<Object> array() {
        enter();
        List<Object> a = new ArrayList<>();
        pos++;
        skipWs();
        if (peek() == ']') {
            pos++;
            depth--;
            return a;
        }
        while (true) {
            skipWs();
            a.add(value());
            skipWs();
            char c = next();
            if (c == ']') {
                depth--;
                return a;
            }
            if (c != ',') throw error("expected ',' or ']' in array");
        }
    }

    /** One level deeper into an object or array; fails past {@link #MAX_DEPTH}. */
    private void enter() {
        if (++depth > MAX_DEPTH) throw error("nesting deeper than " + MAX_DEPTH + " levels");
    }

    private String string() {
        pos++; // opening quote
        StringBuilder sb = null;
        int start = pos;
        while (true) {
            if (pos >= s.length()) throw error("unterminated string");
            char c = s.charAt(pos);
            if (c == '"') {
                String out = sb == null ? s.substring(start, pos) : sb.append(s, start, pos).toString();
                pos++;
                return out;
            }
            if (c == '\\') {
                if (sb == null) sb = new StringBuilder();
                sb.append(s, start, pos);
                pos++;
                char e = next();
                switch (e) {
                    case '"' -> sb.append('"');
                    case '\\' -> sb.append('\\');
                    case '/' -> sb.append('/');
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
                    default -> throw error("bad escape '\\" + e + "'");
                }
                start = pos;
            } else {
                if (c < 0x20) throw error("control character in string");
                pos++;
            }
        }
    }

    private Object number() {
        int start = pos;
        if (peek() == '-') pos++;
        boolean integral = true;
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c >= '0' && c <= '9') {
                pos++;
            } else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
                integral = false;
                pos++;
            } else {
                break;
            }
        }
        String t = s.substring(start, pos);
        try {
            if (integral) {
                try {
                    return Long.parseLong(t);
                } catch (NumberFormatException tooBig) {
                    return Double.parseDouble(t);
                }
            }
            return Double.parseDouble(t);
        } catch (NumberFormatException ex) {
            throw error("bad number '" + t + "'");
        }
    }

    private Object literal(String word, Object v) {
        if (!s.startsWith(word, pos)) throw error("bad literal");
        pos += word.length();
        return v;
    }

    private void skipWs() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') pos++;
            else break;
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

    private JsonException error(String msg) {
        return new JsonException(msg + " at offset " + pos);
    }

    // ---- typed accessors used by the loaders ----

    /** Returns obj[key] as a nested object, or null when absent. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(Map<String, Object> obj, String key) {
        Object v = obj.get(key);
        if (v == null) return null;
        if (!(v instanceof Map)) throw new JsonException("'" + key + "' is not an object");
        return (Map<String, Object>) v;
    }

    /** Returns obj[key] as a long, or the default when absent. */
    public static long getLong(Map<String, Object> obj, String key, long dflt) {
        Object v = obj.get(key);
        if (v == null) return dflt;
        if (v instanceof Long l) return l;
        if (v instanceof Double d && d == Math.rint(d)) return d.longValue();
        throw new JsonException("'" + key + "' is not an integer");
    }

    /** Returns obj[key] as a double, or the default when absent. */
    public static double getDouble(Map<String, Object> obj, String key, double dflt) {
        Object v = obj.get(key);
        if (v == null) return dflt;
        if (v instanceof Number n) return n.doubleValue();
        throw new JsonException("'" + key + "' is not a number");
    }

    /** Returns obj[key] as a string, or the default when absent. */
    public static String getString(Map<String, Object> obj, String key, String dflt) {
        Object v = obj.get(key);
        if (v == null) return dflt;
        if (v instanceof String str) return str;
        throw new JsonException("'" + key + "' is not a string");
    }

    /** Returns obj[key] as a boolean, or the default when absent. */
    public static boolean getBoolean(Map<String, Object> obj, String key, boolean dflt) {
        Object v = obj.get(key);
        if (v == null) return dflt;
        if (v instanceof Boolean b) return b;
        throw new JsonException("'" + key + "' is not a boolean");
    }

    /** A string as a JSON string literal (quotes and escapes included), as {@link #quote(StringBuilder, String)} writes it. */
    public static String quote(String str) {
        StringBuilder sb = new StringBuilder(str.length() + 2);
        quote(sb, str);
        return sb.toString();
    }

    /**
     * Appends a JSON string literal: the engine's one JSON string writer (output documents, the
     * download record, diagnostics). Control characters, DEL, U+2028/U+2029 (invalid in JavaScript
     * strings) and unpaired surrogates (not encodable in UTF-8) are written as \\u escapes; every other
     * character, emoji included, is written as is.
     */
    public static void quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    boolean paired = Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1));
                    if (paired) {
                        b.append(c).append(s.charAt(++i));
                    } else if (c < 0x20 || c == 0x7F || c == '\u2028' || c == '\u2029' || Character.isSurrogate(c)) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
