package io.github.qwenasr.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;

/**
 * Renders a transcription in the requested response format, in OpenAI's shapes:
 * <ul>
 *   <li>json: {@code {"text", "usage": {"type": "duration", "seconds"}, "finish_reason"}}</li>
 *   <li>text: the transcript and a newline</li>
 *   <li>srt / vtt: subtitles cued from the timed words (one cue over the whole audio without them)</li>
 *   <li>verbose_json: {@code task, language, duration, text, segments[], words[] (when asked),
 *       usage, finish_reason}; the segments are the subtitle cues (or the decoded pieces without
 *       words), with OpenAI's per-segment fields this engine does not compute set to 0</li>
 * </ul>
 * {@code finish_reason} is "stop", or "length" when decoding hit the token limit and the text may
 * be cut short; the non-JSON formats carry it in the {@code X-Finish-Reason} header.
 */
public final class TranscriptionResponse {
    private TranscriptionResponse() {
    }

    public static String render(ResponseFormat format, Engine.Result r, Engine engine, boolean words) {
        return switch (format) {
            case TEXT -> r.text() + "\n";
            case SRT -> engine.srt(r);
            case VTT -> engine.vtt(r);
            case JSON -> Json.write(json(r));
            case VERBOSE_JSON -> Json.write(verbose(r, engine, words));
        };
    }

    private static ObjectNode json(Engine.Result r) {
        ObjectNode o = Json.object();
        o.put("text", r.text());
        o.set("usage", usage(r));
        o.put("finish_reason", r.finishReason().wire());
        return o;
    }

    private static ObjectNode verbose(Engine.Result r, Engine engine, boolean words) {
        ObjectNode o = Json.object();
        o.put("task", "transcribe");
        // OpenAI reports the language as a lower-case English name ("english").
        o.put("language", r.language().toLowerCase(Locale.ROOT));
        o.put("duration", round(r.audioSeconds()));
        o.put("text", r.text());
        List<Engine.Segment> segments = r.words().isEmpty() ? r.pieces() : engine.cues(r);
        ArrayNode segs = o.putArray("segments");
        int id = 0;
        for (Engine.Segment s : segments) {
            ObjectNode seg = segs.addObject();
            seg.put("id", id++);
            seg.put("seek", 0);
            seg.put("start", round(s.start()));
            seg.put("end", round(s.end()));
            seg.put("text", s.text());
            seg.putArray("tokens");
            seg.put("temperature", 0.0);
            seg.put("avg_logprob", 0.0);
            seg.put("compression_ratio", 0.0);
            seg.put("no_speech_prob", 0.0);
        }
        if (words) {
            ArrayNode ws = o.putArray("words");
            for (Engine.Word w : r.words()) {
                ObjectNode word = ws.addObject();
                word.put("word", w.text());
                word.put("start", round(w.start()));
                word.put("end", round(w.end()));
            }
        }
        o.set("usage", usage(r));
        o.put("finish_reason", r.finishReason().wire());
        return o;
    }

    private static ObjectNode usage(Engine.Result r) {
        ObjectNode u = Json.object();
        u.put("type", "duration");
        u.put("seconds", round(r.audioSeconds()));
        return u;
    }

    private static double round(double seconds) {
        return Math.round(seconds * 1000.0) / 1000.0;
    }
}
