package io.github.qwenasr.tools;

import java.util.List;
import java.util.Map;

/**
 * Writes JSON text from maps (key order kept), lists, strings, numbers, booleans and null. Output is
 * deterministic: the same value always gives the same characters. The tools module has no dependency on
 * core, so it carries this small writer instead of core's reader.
 */
public final class JsonText {
    private JsonText() {
    }

    /** Pretty-printed JSON with two-space indentation and a trailing newline. */
    public static String pretty(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, 0, true);
        return sb.append('\n').toString();
    }

    /** Compact JSON: no whitespace at all. */
    public static String compact(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, 0, false);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object v, int depth, boolean pretty) {
        switch (v) {
            case null -> sb.append("null");
            case String s -> quote(sb, s);
            case Boolean b -> sb.append(b);
            case Integer i -> sb.append(i);
            case Long l -> sb.append(l);
            case Double d -> {
                if (d.isNaN() || d.isInfinite()) throw new IllegalArgumentException("non-finite number in JSON");
                sb.append(d);
            }
            case Map<?, ?> m -> writeObject(sb, m, depth, pretty);
            case List<?> l -> writeArray(sb, l, depth, pretty);
            case long[] a -> writeArray(sb, java.util.Arrays.stream(a).boxed().toList(), depth, pretty);
            default -> throw new IllegalArgumentException("cannot write " + v.getClass() + " as JSON");
        }
    }

    private static void writeObject(StringBuilder sb, Map<?, ?> m, int depth, boolean pretty) {
        if (m.isEmpty()) {
            sb.append("{}");
            return;
        }
        sb.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!first) sb.append(',');
            first = false;
            newline(sb, depth + 1, pretty);
            quote(sb, String.valueOf(e.getKey()));
            sb.append(pretty ? ": " : ":");
            write(sb, e.getValue(), depth + 1, pretty);
        }
        newline(sb, depth, pretty);
        sb.append('}');
    }

    private static void writeArray(StringBuilder sb, List<?> l, int depth, boolean pretty) {
        if (l.isEmpty()) {
            sb.append("[]");
            return;
        }
        // Arrays of scalars stay on one line: shapes and small lists read better that way.
        boolean scalars = l.stream().noneMatch(x -> x instanceof Map || x instanceof List);
        sb.append('[');
        for (int i = 0; i < l.size(); i++) {
            if (i > 0) sb.append(pretty && scalars ? ", " : ",");
            if (!scalars) newline(sb, depth + 1, pretty);
            write(sb, l.get(i), depth + 1, pretty);
        }
        if (!scalars) newline(sb, depth, pretty);
        sb.append(']');
    }

    private static void newline(StringBuilder sb, int depth, boolean pretty) {
        if (!pretty) return;
        sb.append('\n');
        sb.append("  ".repeat(depth));
    }

    /** Appends a JSON string literal; non-ASCII characters are written as they are (UTF-8 files). */
    static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }
}
