package io.github.qwenasr.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The settings that decide what an output folder's rows mean, kept in its {@code _job.json}. A rerun
 * skips inputs that already have rows, so it must not mix in rows made with another model, language,
 * prompt, token limit, aligner or format: such a run is refused.
 *
 * @param model        the speech model directory's name (a model moved to another folder of the same name is the same)
 * @param aligner      the aligner directory's name, or null
 * @param language     the forced language, or null
 * @param prompt       the context text
 * @param maxNewTokens the generation limit (0 = automatic)
 * @param format       jsonl or parquet
 */
public record JobManifest(String model, String aligner, String language, String prompt, int maxNewTokens,
                          String format) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model);
        m.put("aligner", aligner);
        m.put("language", language);
        m.put("prompt", prompt);
        m.put("max_new_tokens", maxNewTokens);
        m.put("format", format);
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(m) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @throws IOException when the text is not a manifest */
    public static JobManifest fromJson(String json) throws IOException {
        Map<?, ?> m = JSON.readValue(json, Map.class);
        Object tokens = m.get("max_new_tokens");
        if (!(tokens instanceof Number n)) throw new IOException("max_new_tokens missing");
        return new JobManifest(str(m, "model"), str(m, "aligner"), str(m, "language"), str(m, "prompt"), n.intValue(),
                str(m, "format"));
    }

    private static String str(Map<?, ?> m, String key) {
        Object v = m.get(key);
        return v == null ? null : v.toString();
    }

    /** The settings that differ, as "name: was -> now" phrases; empty when they agree. */
    public List<String> differences(JobManifest now) {
        List<String> out = new ArrayList<>();
        diff(out, "model", model, now.model);
        diff(out, "aligner", aligner, now.aligner);
        diff(out, "language", language, now.language);
        diff(out, "prompt", prompt, now.prompt);
        diff(out, "max new tokens", maxNewTokens, now.maxNewTokens);
        diff(out, "format", format, now.format);
        return out;
    }

    private static void diff(List<String> out, String name, Object was, Object now) {
        if (!Objects.equals(was, now)) out.add(name + " " + show(was) + " -> " + show(now));
    }

    private static String show(Object v) {
        return v == null ? "(none)" : v instanceof String s ? "'" + s + "'" : v.toString();
    }
}
