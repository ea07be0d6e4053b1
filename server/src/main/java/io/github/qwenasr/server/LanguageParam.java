package io.github.qwenasr.server;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code language} field: an ISO-639-1 code as OpenAI documents it ("en", "de"), or one of the
 * model's 30 language names in any case ("English", "german"). Codes without an ISO-639-1 form use
 * ISO-639-3: "yue" for Cantonese and "fil" (or Tagalog's "tl") for Filipino. A region suffix is
 * ignored ("en-US", "pt_BR"), except that "zh-HK" means Cantonese.
 */
public final class LanguageParam {
    private static final Map<String, String> CODES = Map.ofEntries(
            Map.entry("zh", "Chinese"), Map.entry("en", "English"), Map.entry("yue", "Cantonese"),
            Map.entry("ar", "Arabic"), Map.entry("de", "German"), Map.entry("fr", "French"),
            Map.entry("es", "Spanish"), Map.entry("pt", "Portuguese"), Map.entry("id", "Indonesian"),
            Map.entry("it", "Italian"), Map.entry("ko", "Korean"), Map.entry("ru", "Russian"),
            Map.entry("th", "Thai"), Map.entry("vi", "Vietnamese"), Map.entry("ja", "Japanese"),
            Map.entry("tr", "Turkish"), Map.entry("hi", "Hindi"), Map.entry("ms", "Malay"),
            Map.entry("nl", "Dutch"), Map.entry("sv", "Swedish"), Map.entry("da", "Danish"),
            Map.entry("fi", "Finnish"), Map.entry("pl", "Polish"), Map.entry("cs", "Czech"),
            Map.entry("fil", "Filipino"), Map.entry("tl", "Filipino"), Map.entry("fa", "Persian"),
            Map.entry("el", "Greek"), Map.entry("ro", "Romanian"), Map.entry("hu", "Hungarian"),
            Map.entry("mk", "Macedonian"));

    private final List<String> names;

    /** @param names the language names the model accepts, in its spelling */
    public LanguageParam(List<String> names) {
        this.names = List.copyOf(names);
    }

    /**
     * The model's name for a code or name; empty for a blank value (detect the language).
     *
     * @throws ApiException 400 for anything else, listing what is accepted
     */
    public Optional<String> resolve(String value) {
        if (value == null || value.isBlank()) return Optional.empty();
        String v = value.strip();
        for (String n : names) {
            if (n.equalsIgnoreCase(v)) return Optional.of(n);
        }
        String code = v.toLowerCase(Locale.ROOT).replace('_', '-');
        if (code.equals("zh-hk")) code = "yue";
        int dash = code.indexOf('-');
        if (dash > 0) code = code.substring(0, dash);
        String name = CODES.get(code);
        if (name != null && names.contains(name)) return Optional.of(name);
        throw ApiException.invalid("language", "unsupported_language", "Unsupported language '" + shorten(v)
                + "': use an ISO-639-1 code (en, zh, de, ...) or one of " + String.join(", ", names));
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
