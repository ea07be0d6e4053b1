package io.github.qwenasr.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The validated text fields of {@code POST /v1/audio/transcriptions}.
 *
 * @param language       canonical model language, or null to detect
 * @param prompt         context text ("" for none)
 * @param format         the response format
 * @param words          whether word timestamps were asked for (timestamp_granularities[]=word)
 */
public record TranscriptionRequest(String language, String prompt, ResponseFormat format, boolean words) {

    /**
     * Checks the fields OpenAI documents: {@code model} (required, must be served here), {@code language},
     * {@code prompt}, {@code response_format}, {@code temperature} (accepted, 0 to 1, ignored: decoding is
     * greedy), {@code timestamp_granularities[]} (word, segment; only with verbose_json) and {@code stream}
     * (only false: streaming is the WebSocket endpoint).
     */
    public static TranscriptionRequest from(UploadForm form, ModelNames models, LanguageParam languages) {
        String model = form.field("model");
        if (model == null || model.isBlank()) {
            throw ApiException.invalid("model", "Missing required parameter 'model' (see GET /v1/models)");
        }
        if (!models.serves(model.strip())) throw ApiException.unknownModel(UploadForm.shorten(model.strip()));
        String language = languages.resolve(form.field("language")).orElse(null);
        String prompt = form.field("prompt") == null ? "" : form.field("prompt");
        ResponseFormat format = ResponseFormat.parse(form.field("response_format"));
        checkTemperature(form.field("temperature"));
        String stream = form.field("stream");
        if (stream != null && !stream.isBlank() && !stream.strip().equalsIgnoreCase("false")) {
            throw ApiException.invalid("stream", "stream=true is not supported here; stream audio over the WebSocket "
                    + Routes.STREAM);
        }
        List<String> granularities = new ArrayList<>(form.fields("timestamp_granularities[]"));
        granularities.addAll(form.fields("timestamp_granularities"));
        boolean words = false;
        for (String g : granularities) {
            String v = g.strip().toLowerCase(Locale.ROOT);
            if (v.equals("word")) {
                words = true;
            } else if (!v.equals("segment")) {
                throw ApiException.invalid("timestamp_granularities", "Unsupported timestamp granularity '"
                        + UploadForm.shorten(g) + "': use word or segment");
            }
        }
        if (!granularities.isEmpty() && format != ResponseFormat.VERBOSE_JSON) {
            throw ApiException.invalid("timestamp_granularities",
                    "timestamp_granularities needs response_format=verbose_json");
        }
        return new TranscriptionRequest(language, prompt, format, words);
    }

    private static void checkTemperature(String value) {
        if (value == null || value.isBlank()) return;
        double t;
        try {
            t = Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw ApiException.invalid("temperature", "temperature must be a number from 0 to 1");
        }
        if (!(t >= 0 && t <= 1)) throw ApiException.invalid("temperature", "temperature must be a number from 0 to 1");
    }
}
