package io.github.qwenasr.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * The first message of a streaming session, a JSON object:
 * {@code {"type": "config", "sample_rate": 16000, "format": "s16le", "language": "en", "prompt": "", "api_key": "..."}}.
 * Only {@code format} and, for raw PCM, {@code sample_rate} matter; the rest is optional.
 *
 * @param format     s16le (signed 16-bit little-endian), f32 (32-bit float little-endian), or wav (a WAV
 *                   byte stream, header first; its own rate and channels apply)
 * @param sampleRate samples per second of raw PCM (mono); 0 for wav
 * @param language   canonical language name, or null to detect
 * @param apiKey     the key, for clients that cannot set an Authorization header (browsers); may be null
 */
record StreamConfig(String format, int sampleRate, String language, String prompt, String apiKey) {
    static final int MIN_RATE = 1000;
    static final int MAX_RATE = 384_000;

    /**
     * Parses and checks a config message.
     *
     * @throws ApiException 400 (sent as an error event) for a message that is not a valid config
     */
    static StreamConfig parse(String text, LanguageParam languages) {
        JsonNode n = Json.parse(text);
        if (n == null || !n.isObject()) {
            throw ApiException.invalid(null, "invalid_config", "The first message must be a JSON config object");
        }
        String type = textField(n, "type");
        if (type != null && !type.equals("config")) {
            throw ApiException.invalid("type", "invalid_config", "The first message must be the config (type \"config\")");
        }
        String format = textField(n, "format");
        format = format == null ? "s16le" : format.strip().toLowerCase(Locale.ROOT);
        if (!format.equals("s16le") && !format.equals("f32") && !format.equals("wav")) {
            throw ApiException.invalid("format", "invalid_config", "format must be s16le, f32 or wav");
        }
        int rate = 0;
        if (!format.equals("wav")) {
            JsonNode r = n.get("sample_rate");
            if (r == null || r.isNull()) {
                rate = 16000;
            } else if (!r.canConvertToInt() || !r.isIntegralNumber()) {
                throw ApiException.invalid("sample_rate", "invalid_config", "sample_rate must be a whole number of Hz");
            } else {
                rate = r.intValue();
            }
            if (rate < MIN_RATE || rate > MAX_RATE) {
                throw ApiException.invalid("sample_rate", "invalid_config",
                        "sample_rate must be " + MIN_RATE + " to " + MAX_RATE + " Hz");
            }
        }
        String language = languages.resolve(textField(n, "language")).orElse(null);
        String prompt = textField(n, "prompt");
        if (prompt != null && prompt.length() > ServerSettings.MAX_FIELD_BYTES) {
            throw ApiException.tooLarge("prompt", "field_too_large", "prompt is longer than "
                    + ServerSettings.MAX_FIELD_BYTES + " characters");
        }
        return new StreamConfig(format, rate, language, prompt == null ? "" : prompt, textField(n, "api_key"));
    }

    private static String textField(JsonNode n, String name) {
        JsonNode v = n.get(name);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw ApiException.invalid(name, "invalid_config", name + " must be a string");
        return v.asText();
    }
}
