package io.github.qwenasr.longform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Joining segment texts (docs/modes.md 4.6, without the CJK-space defect of 12.2.5). */
class SegmentJoinerTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "hello|world|hello world",
            "hello|, world|hello, world",
            "end.|Next one|end. Next one",
            "\"hello \"|world|hello world",
            "hello|\"  world\"|hello world",
            "it|'s|it's",
            "price|100|price 100",
            "he said|(quietly)|he said (quietly)",
            "(|quietly)|(quietly)",
            "你好|世界|你好世界",
            "你好。|世界|你好。世界",
            "你好|，世界|你好，世界",
            "こんにちは|世界|こんにちは世界",
            "カタカナ|テスト|カタカナテスト",
            "你好|OK|你好OK",
            "OK|你好|OK你好",
            "안녕하세요|세계|안녕하세요 세계",
            "Grüße|aus Köln|Grüße aus Köln",
            "hello|?|hello?",
            "\"\"|first|first",
            "first|\"\"|first",
    })
    void join(String a, String b, String expected) {
        StringBuilder text = new StringBuilder(a == null ? "" : a);
        SegmentJoiner.append(text, b == null ? "" : b);
        assertEquals(expected, text.toString());
    }
}
