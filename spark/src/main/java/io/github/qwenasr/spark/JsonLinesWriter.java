package io.github.qwenasr.spark;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes rows as JSON lines (UTF-8, one object per line, every column present, null where empty). */
final class JsonLinesWriter {
    /** Characters beyond the BMP (emoji, rare CJK) as their UTF-8 bytes, not as a pair of \\u escapes. */
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8).build();

    private JsonLinesWriter() {
    }

    static void write(Path file, List<ResultRow> rows, boolean withWords) throws IOException {
        try (OutputStream out = Files.newOutputStream(file);
             JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.setRootValueSeparator(null);
            for (ResultRow r : rows) {
                Outcome o = r.outcome();
                g.writeStartObject();
                g.writeStringField(ResultColumns.PATH, r.path());
                g.writeStringField(ResultColumns.SHA256, r.sha256());
                g.writeStringField(ResultColumns.LANGUAGE, o.language());
                g.writeStringField(ResultColumns.TEXT, o.text());
                g.writeStringField(ResultColumns.FINISH_REASON, o.finishReason());
                g.writeFieldName(ResultColumns.AUDIO_SECONDS);
                if (o.audioSeconds() == null) g.writeNull(); else g.writeNumber(o.audioSeconds());
                g.writeStringField(ResultColumns.ERROR, o.error());
                if (withWords) {
                    g.writeFieldName(ResultColumns.WORDS);
                    if (o.words() == null) {
                        g.writeNull();
                    } else {
                        g.writeStartArray();
                        for (Word w : o.words()) {
                            g.writeStartObject();
                            g.writeStringField("text", w.text());
                            g.writeNumberField("start", w.start());
                            g.writeNumberField("end", w.end());
                            g.writeEndObject();
                        }
                        g.writeEndArray();
                    }
                }
                g.writeEndObject();
                g.writeRaw('\n');
            }
        }
    }
}
