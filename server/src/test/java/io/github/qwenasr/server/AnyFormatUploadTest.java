package io.github.qwenasr.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.qwenasr.audio.Ffmpeg;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uploads in formats other than WAV are decoded as the command line decodes them (through ffmpeg, which
 * must be on the PATH: CI installs it; without it this test fails, it never skips).
 */
class AnyFormatUploadTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static AsrServer server;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        server = TestSupport.start(TestSupport.settings());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void mp3AndOggUploadsGiveTheTranscriptOfWhatFfmpegDecodes() throws Exception {
        for (String[] format : List.of(new String[] {"speech.mp3", "-b:a", "64k"},
                new String[] {"speech.ogg", "-c:a", "libvorbis"})) {
            Path encoded = ffmpeg(tmp.resolve(format[0]), "-i", TestSupport.speech().toString(), format[1], format[2]);
            // The reference: ffmpeg's own decode of the same file, read by the pure-Java WAV reader.
            Path decoded = ffmpeg(tmp.resolve(format[0] + ".wav"), "-i", encoded.toString(), "-ar", "16000",
                    "-c:a", "pcm_f32le");
            Engine.Result expected = TestSupport.direct(decoded, Engine.Timing.NONE);
            assertFalse(expected.text().isBlank());

            HttpResponse<String> r = TestSupport.post(server.port(), TestSupport.upload(encoded, "response_format", "json"));
            assertEquals(200, r.statusCode(), r.body());
            JsonNode body = JSON.readTree(r.body());
            assertEquals(expected.text(), body.get("text").asText(), format[0]);
        }
    }

    private static Path ffmpeg(Path out, String... args) throws IOException, InterruptedException {
        Ffmpeg f = Ffmpeg.system();
        if (!f.available()) {
            throw new AssertionError("ffmpeg is needed by this test and was not found on the PATH "
                    + "(install it: apt-get install ffmpeg; CI does)");
        }
        List<String> cmd = new ArrayList<>(List.of(f.executable().orElseThrow().toString(), "-nostdin", "-v", "error", "-y"));
        cmd.addAll(List.of(args));
        cmd.add(out.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] log = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("ffmpeg did not finish: " + cmd);
        }
        assertEquals(0, p.exitValue(), () -> "ffmpeg failed: " + cmd + "\n" + new String(log));
        return out;
    }
}
