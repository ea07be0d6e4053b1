package io.github.qwenasr.cli;

import io.github.qwenasr.QwenAsr;
import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.Transcription;
import io.github.qwenasr.align.AlignedItem;
import io.github.qwenasr.align.ForcedAligner;
import io.github.qwenasr.align.TimestampedTranscriber;
import io.github.qwenasr.audio.AudioLoader;
import io.github.qwenasr.audio.AudioSource;
import io.github.qwenasr.format.TimedItem;
import io.github.qwenasr.format.TranscriptDocument;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs one validated request (docs/modes.md 1.3 steps 4–11; {@code --stream} is handed to
 * {@link StreamingMode}, {@code --live} and {@code --list-devices} to {@link LiveMode}, many inputs
 * to {@link ManyInputsMode}): read the audio, load
 * the model, transcribe, print the transcript and the statistics. Maps every failure to one "Error:"
 * line and an exit status: {@link QwenAsrException} and out-of-memory are run failures (1),
 * anything else is an internal error (3).
 *
 * <p>The audio is read before the model is loaded, so a bad input fails in milliseconds rather than
 * after seconds of loading.
 */
final class TranscriptionJob {
    private final CliRequest request;
    private final ModelLoader loader;
    private final InputStream stdin;
    private final PrintStream out;
    private final Log log;
    private final Map<String, String> env;
    private final LiveAudio audio;

    /**
     * {@code env} locates the models ({@link RequiredModels}, downloading them if needed) and ffmpeg
     * ({@link InputAudio}); {@code audio} has the input devices of --live and --list-devices.
     */
    TranscriptionJob(CliRequest request, ModelLoader loader, InputStream stdin, PrintStream out, Log log,
                     Map<String, String> env, LiveAudio audio) {
        this.request = request;
        this.loader = loader;
        this.stdin = stdin;
        this.out = out;
        this.log = log;
        this.env = env;
        this.audio = audio;
    }

    /** Runs the request and returns the exit status. */
    int run() {
        try {
            return transcribe();
        } catch (QwenAsrException e) {
            log.error(e.getMessage());
            if (log.debugEnabled()) log.trace(e);
            return ExitCodes.FAILURE;
        } catch (OutOfMemoryError e) {
            log.error("out of memory (" + e.getMessage() + "); give Java a larger heap, e.g. "
                    + "QWEN_ASR_JAVA_OPTS=-Xmx16g with the qwen-asr launcher");
            return ExitCodes.FAILURE;
        } catch (Throwable e) {
            log.error("internal error: " + e.getClass().getName() + ": " + e.getMessage());
            if (log.debugEnabled()) log.trace(e);
            return ExitCodes.INTERNAL;
        }
    }

    /** The run; its exit status unless it throws (many inputs: 1 when some failed). */
    private int transcribe() {
        if (request.capture() != null && request.capture().listDevices()) {
            LiveMode.listDevices(audio.devices(), out);
            return ExitCodes.OK;
        }
        request.warnings().forEach(w -> log.info("Warning: " + w));
        TranscriptOutput output = new TranscriptOutput(request.format(), request.outputFile(), out);
        output.checkTarget(request.inputs());
        RequiredModels models = new RequiredModels(request, env, log);
        models.checkAvailable();
        if (request.many() != null) return new ManyInputsMode(request, loader, out, log, env).run(models::speechModel, models::aligner);
        // The input (file, stdin or device) is opened (and checked) before a model is downloaded or loaded,
        // so a bad input fails first.
        if (request.live()) {
            new LiveMode(request, audio, loader, out, log, output).run(models::speechModel);
            return ExitCodes.OK;
        }
        try (InputAudio input = new InputAudio(request, stdin, env, log)) {
            if (request.alignment() != null) {
                try (AudioSource samples = input.open()) {
                    new AlignmentMode(request, models.aligner(), log, output).run(samples);
                }
                return ExitCodes.OK;
            }
            if (request.stream() != null) {
                new StreamingMode(request, loader, out, log, output).run(input, models::speechModel);
                return ExitCodes.OK;
            }
            try (AudioSource samples = input.open()) {
                Path modelDir = models.speechModel();
                transcribe(modelDir, request.timestamps() ? models.aligner() : null, samples, output);
            }
        }
        return ExitCodes.OK;
    }

    /** Loads the model and transcribes audio that was read (or, for a file, opened and checked) already. */
    private void transcribe(Path modelDir, Path alignerDir, AudioSource samples, TranscriptOutput output) {
        log.debug(String.format(Locale.ROOT, "Input: %d samples at 16 kHz (%.2f s)", samples.length(),
                samples.length() / (double) AudioLoader.SAMPLE_RATE));

        try (LoadedModel loaded = LoadedModel.load(loader, modelDir, request.loadOptions(), log)) {
            QwenAsr asr = loaded.asr();

            Transcription t;
            List<AlignedItem> items = List.of();
            if (alignerDir == null) {
                t = asr.transcribe16k(samples, request.options());
            } else {
                log.info("Loading aligner from " + alignerDir);
                try (ForcedAligner aligner = ForcedAligner.load(alignerDir, request.threads())) {
                    long alignStart = System.nanoTime();
                    TimestampedTranscriber.Result r = new TimestampedTranscriber(asr, aligner)
                            .transcribe16k(samples, request.options());
                    t = r.transcription();
                    items = r.items();
                    log.info(String.format(Locale.ROOT, "Transcribed and aligned %d words in %.0f ms", items.size(),
                            (System.nanoTime() - alignStart) / 1e6));
                }
            }
            output.write(TranscriptDocument.of(t, TimedItem.fromAligned(items)),
                    samples.length() / (double) AudioLoader.SAMPLE_RATE);
            report(t, loaded.loadMillis());
        }
    }

    private void report(Transcription t, double loadMillis) {
        Transcription.Stats s = t.stats();
        if (request.options().voiceActivity() != null) {
            log.info(StatsReport.voiceActivityLine(t, request.options().voiceActivity().detector().label()));
        } else {
            t.silenceSkip().ifPresent(skip -> log.info(StatsReport.silenceLine(skip)));
        }
        if (log.debugEnabled()) {
            if (t.segments().size() > 1) StatsReport.segmentLines(t, request.options()).forEach(log::debug);
            StatsReport.debugLines(s).forEach(log::debug);
            String forced = request.options().language() != null ? " (forced)" : "";
            log.debug("Language: " + (t.language().isEmpty() ? "(none)" : t.language()) + forced);
            log.debug("Raw output: " + Log.visibleLineBreaks(t.raw()));
            log.debug("Finish: " + t.finishReason().label() + (t.truncated() ? " (truncated)" : ""));
        }
        log.info(StatsReport.inferenceLine(s));
        String audio = StatsReport.audioLine(s);
        if (audio != null) log.info(audio);
        StatsReport.finishWarnings(t).forEach(w -> log.info("Warning: " + w));
        if (request.profile()) StatsReport.profileLines(s, loadMillis).forEach(log::always);
    }
}
