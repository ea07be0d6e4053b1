package io.github.qwenasr.server;

import java.util.Locale;

/** The {@code response_format} values OpenAI documents for transcriptions. */
public enum ResponseFormat {
    JSON("application/json"),
    TEXT("text/plain; charset=utf-8"),
    SRT("text/plain; charset=utf-8"),
    VTT("text/vtt; charset=utf-8"),
    VERBOSE_JSON("application/json");

    private final String contentType;

    ResponseFormat(String contentType) {
        this.contentType = contentType;
    }

    public String contentType() {
        return contentType;
    }

    /** The format for a field value; blank means json (OpenAI's default). */
    public static ResponseFormat parse(String value) {
        if (value == null || value.isBlank()) return JSON;
        for (ResponseFormat f : values()) {
            if (f.name().toLowerCase(Locale.ROOT).equals(value.strip())) return f;
        }
        throw ApiException.invalid("response_format", "Unsupported response_format '" + shorten(value)
                + "': use json, text, srt, vtt or verbose_json");
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
