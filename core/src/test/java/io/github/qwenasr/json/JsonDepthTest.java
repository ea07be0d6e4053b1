package io.github.qwenasr.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The recursive reader refuses nesting past its limit instead of overflowing the stack (issue 20, item 9). */
class JsonDepthTest {
    /** LIMIT, as a literal: the test states the documented limit. */
    private static final int LIMIT = 512;

    private static String arrays(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    private static String objects(int depth) {
        return "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
    }

    @Test
    void nestingUpToTheLimitIsRead() {
        Object v = Json.parse(arrays(LIMIT));
        for (int i = 1; i < LIMIT; i++) v = ((List<?>) v).get(0);
        assertEquals(List.of(), v);
        Object o = Json.parse(objects(LIMIT));
        for (int i = 0; i < LIMIT; i++) o = ((Map<?, ?>) o).get("a");
        assertEquals(1L, o);
    }

    @Test
    void oneLevelMoreIsAnError() {
        JsonException e = assertThrows(JsonException.class, () -> Json.parse(arrays(LIMIT + 1)));
        assertTrue(e.getMessage().contains("nesting deeper than " + LIMIT + " levels"), e.getMessage());
        assertThrows(JsonException.class, () -> Json.parse(objects(LIMIT + 1)));
        assertThrows(JsonException.class, () -> Json.parse("{\"x\":[{\"y\":" + arrays(LIMIT - 1) + "}]}"));
    }

    @Test
    void hostileDepthsFailCleanly() {
        for (int depth : new int[] {10_000, 1_000_000}) {
            JsonException e = assertThrows(JsonException.class, () -> Json.parse(arrays(depth)));
            assertTrue(e.getMessage().contains("nesting"), e.getMessage());
            assertThrows(JsonException.class, () -> Json.parseObject("{\"k\":" + objects(depth) + "}"));
        }
    }

    @Test
    void depthIsCountedPerPathNotInTotal() {
        // Many shallow siblings are fine: only the current depth counts.
        String siblings = "[" + String.join(",", java.util.Collections.nCopies(5000, arrays(10))) + "]";
        assertInstanceOf(List.class, Json.parse(siblings));
        assertEquals(5000, ((List<?>) Json.parse(siblings)).size());
    }
}
