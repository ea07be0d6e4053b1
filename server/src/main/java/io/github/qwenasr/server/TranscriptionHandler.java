package io.github.qwenasr.server;

import io.javalin.http.Context;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code POST /v1/audio/transcriptions}: admission to the bounded queue first (a full queue is
 * refused before the body is read), then the form and its limits, the audio's length, a decoding
 * slot, and the transcription under the request's time limit.
 */
final class TranscriptionHandler {
    private final Engine engine;
    private final ServerSettings settings;
    private final Admission admission;
    private final Metrics metrics;
    private final ModelNames models;
    private final LanguageParam languages;
    private final Path workDir;

    TranscriptionHandler(Engine engine, ServerSettings settings, Admission admission, Metrics metrics, Path workDir) {
        this.engine = engine;
        this.settings = settings;
        this.admission = admission;
        this.metrics = metrics;
        this.models = new ModelNames(engine.modelId());
        this.languages = new LanguageParam(engine.languages());
        this.workDir = workDir;
    }

    void handle(Context ctx) {
        long deadline = System.nanoTime() + (long) (settings.requestTimeoutSeconds() * 1e9);
        try (Admission.Ticket ticket = admission.enter();
             UploadForm form = UploadForm.read(ctx.req(), workDir, settings.maxUploadBytes())) {
            TranscriptionRequest request = TranscriptionRequest.from(form, models, languages);
            Engine.Timing timing = request.words() ? Engine.Timing.REQUIRED
                    : request.format() == ResponseFormat.SRT || request.format() == ResponseFormat.VTT
                    ? Engine.Timing.IF_AVAILABLE : Engine.Timing.NONE;
            if (timing == Engine.Timing.REQUIRED && !engine.hasAligner()) {
                throw ApiException.invalid("timestamp_granularities", "Word timestamps need the forced aligner: "
                        + "start the server with --aligner DIR");
            }
            Engine.Result result;
            try (Engine.Audio audio = open(form)) {
                if (audio.seconds() > settings.maxAudioSeconds()) {
                    throw ApiException.tooLarge("file", "audio_too_long", String.format(Locale.ROOT,
                            "The audio is %.1f s long; this server accepts at most %.0f s",
                            audio.seconds(), settings.maxAudioSeconds()));
                }
                ticket.awaitTurn(deadline);
                result = transcribe(audio, new Engine.Request(request.language(), request.prompt(), timing,
                        settings.maxNewTokens()), deadline);
            }
            ctx.header("X-Finish-Reason", result.finishReason().wire());
            ctx.contentType(request.format().contentType());
            ctx.result(TranscriptionResponse.render(request.format(), result, engine, request.words()));
        }
    }

    private Engine.Audio open(UploadForm form) {
        try {
            return engine.open(form.file(), "file");
        } catch (Engine.Failure e) {
            throw ApiException.invalid("file", "invalid_audio", "Unsupported or invalid audio: " + e.getMessage());
        }
    }

    private Engine.Result transcribe(Engine.Audio audio, Engine.Request request, long deadline) {
        metrics.decodingStarted();
        long t0 = System.nanoTime();
        try {
            Engine.Result r = engine.transcribe(audio, request,
                    () -> System.nanoTime() > deadline || admission.aborted());
            metrics.transcribed(r.audioSeconds(), (System.nanoTime() - t0) / 1e9);
            return r;
        } catch (Engine.Cancelled e) {
            if (admission.aborted()) {
                throw ApiException.unavailable("shutting_down", "The server stopped before this transcription finished");
            }
            throw ApiException.timeout(String.format(Locale.ROOT,
                    "The transcription ran past the server's limit of %.0f s per request",
                    settings.requestTimeoutSeconds()));
        } catch (Engine.Failure e) {
            throw ApiException.invalid(null, "transcription_failed", e.getMessage());
        } finally {
            metrics.decodingEnded();
        }
    }

}
