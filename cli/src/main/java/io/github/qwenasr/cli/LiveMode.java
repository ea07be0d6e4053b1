package io.github.qwenasr.cli;

import io.github.qwenasr.QwenAsr;
import io.github.qwenasr.SegmentedSession;
import io.github.qwenasr.Transcription;
import io.github.qwenasr.capture.AudioCapture;
import io.github.qwenasr.capture.CaptureFormat;
import io.github.qwenasr.capture.InputDevice;
import io.github.qwenasr.capture.InputDevices;
import io.github.qwenasr.format.OutputFormat;
import io.github.qwenasr.format.TranscriptDocument;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * {@code --live} (docs/modes.md 7): audio from an input device until Ctrl-C or until the device stops.
 *
 * <ul>
 *   <li>{@code --live --stream}: the captured blocks feed {@link StreamingMode} (committed text as it comes).</li>
 *   <li>{@code --live}: a {@link SegmentedSession} cuts segments at quiet points (-S, default 5 s) and
 *       transcribes each as soon as the audio reaches past its cut's search window (7.2).</li>
 *   <li>{@code --live --vad}: the session transcribes each utterance once the detector has seen it end,
 *       conditioned on the text so far, the user's --prompt kept (7.3).</li>
 * </ul>
 *
 * <p>The device is opened before a missing model is downloaded (a bad --device costs no download), and
 * capture is started before the model loads, so nothing said meanwhile is lost (the capture holds up to 30 s). stdout: with txt and no {@code -o} the text as one growing
 * line; with json one line of JSON per part as it is transcribed; with {@code -o} the whole document
 * at the end, as for files. Ctrl-C ends the capture: what was captured is transcribed and written; a
 * second Ctrl-C quits at once ({@link InterruptHandler}).
 */
final class LiveMode {
    private final CliRequest request;
    private final LiveAudio audio;
    private final ModelLoader loader;
    private final PrintStream out;
    private final Log log;
    private final TranscriptOutput output;

    LiveMode(CliRequest request, LiveAudio audio, ModelLoader loader, PrintStream out, Log log, TranscriptOutput output) {
        this.request = request;
        this.audio = audio;
        this.loader = loader;
        this.out = out;
        this.log = log;
        this.output = output;
    }

    /** {@code --list-devices}: one line per device on stdout (number, name, default mark, formats). */
    static void listDevices(InputDevices devices, PrintStream out) {
        List<InputDevice> list = devices.list();
        StringBuilder b = new StringBuilder();
        if (list.isEmpty()) {
            b.append("No audio input devices found.\n");
        } else {
            b.append("Audio input devices:\n");
            for (InputDevice d : list) {
                b.append(String.format(Locale.ROOT, "  %d  %s%s%s%n      formats: %s%n", d.index(), d.name(),
                        d.description().isBlank() ? "" : " (" + d.description() + ")", d.isDefault() ? "  [default]" : "",
                        CaptureFormat.summarize(d.formats())));
            }
        }
        byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
        out.flush();
    }

    /**
     * Captures and transcribes; the model folder is asked of {@code model} (which may download it) once
     * the device is open, and capture starts after that, before the model loads.
     */
    void run(Supplier<Path> model) {
        InputDevice device = audio.devices().select(request.capture().device());
        CaptureSource source;
        Path modelDir;
        AudioCapture capture = AudioCapture.open(device, audio.options());
        try {
            modelDir = model.get();
            log.info("Capturing from input device " + capture.describe());
            capture.start();
            source = new CaptureSource(capture, log);
        } catch (RuntimeException | Error e) {
            capture.close();
            throw e;
        }
        if (request.stream() != null) {
            new StreamingMode(request, loader, out, log, output).run(source, modelDir);
            return;
        }
        try (source; LoadedModel loaded = LoadedModel.load(loader, modelDir, request.loadOptions(), log)) {
            segmented(loaded, source);
        }
    }

    private void segmented(LoadedModel loaded, CaptureSource source) {
        QwenAsr asr = loaded.asr();
        boolean utterances = request.options().voiceActivity() != null;
        log.info(utterances
                ? "Listening (utterances, " + request.options().voiceActivity().detector().label() + ")... press Ctrl-C to stop"
                : "Listening (segments of about " + OptionValues.formatSeconds(request.options().segmentSeconds())
                        + " s)... press Ctrl-C to stop");
        Parts parts = new Parts();
        AtomicBoolean interrupted = new AtomicBoolean();
        Transcription result;
        try (SegmentedSession session = asr.openSegmented(request.options());
             InterruptHandler ignored = InterruptHandler.install(() -> {
                 interrupted.set(true);
                 source.stop();
             })) {
            float[] block;
            while ((block = source.next()) != null) {
                if (source.droppedBeforeLast() > 0) {
                    parts.show(session, session.skip(source.droppedBeforeLast() / (double) source.sampleRate()));
                }
                parts.show(session, session.push(block, source.sampleRate()));
            }
            parts.show(session, session.finish());
            parts.end();
            result = session.result();
        }
        if (interrupted.get()) log.info(String.format(Locale.ROOT, "Stopped: captured %.1f s of audio", source.seconds()));
        if (request.outputFile() != null) {
            output.write(TranscriptDocument.of(result, List.of()), result.stats().audioSeconds());
        }
        report(result, source, loaded.loadMillis(), utterances);
    }

    /** Shows each part as it is transcribed: the growing line, or a JSON line per part. */
    private final class Parts {
        private final CommittedTextPrinter printer = printsText() ? new CommittedTextPrinter(out) : null;
        private int shownChars;
        private int count;

        void show(SegmentedSession session, List<Transcription.Segment> done) {
            for (Transcription.Segment s : done) {
                count++;
                log.debug(String.format(Locale.ROOT, "Part %d: %.2f-%.2f s (%s; %d prompt + %d generated tokens, %d text)",
                        count, s.startSeconds(), s.endSeconds(), s.finishReason().label(), s.promptTokens(),
                        s.generatedTokens(), s.textTokens()));
                if (printsJsonLines()) write(OutputFormat.jsonLine(s));
            }
            if (printer != null && !done.isEmpty()) {
                String text = session.text();
                printer.print(text.substring(shownChars));
                shownChars = text.length();
            }
        }

        void end() {
            if (printer != null) printer.finish();
        }

        private void write(String line) {
            byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
            out.write(bytes, 0, bytes.length);
            out.flush();
            if (out.checkError()) throw new io.github.qwenasr.QwenAsrException("cannot write the output to stdout");
        }
    }

    private boolean printsText() {
        return request.outputFile() == null && request.format() == OutputFormat.TXT;
    }

    private boolean printsJsonLines() {
        return request.outputFile() == null && request.format() == OutputFormat.JSON;
    }

    private void report(Transcription t, CaptureSource source, double loadMillis, boolean utterances) {
        if (utterances) {
            double speech = t.segments().stream().mapToDouble(s -> s.endSeconds() - s.startSeconds()).sum();
            log.info(String.format(Locale.ROOT, "Voice activity (%s): %d utterance%s, %.1f s of speech in %.1f s",
                    request.options().voiceActivity().detector().label(), t.segments().size(),
                    t.segments().size() == 1 ? "" : "s", speech, source.seconds()));
        }
        if (log.debugEnabled()) {
            StatsReport.debugLines(t.stats()).forEach(log::debug);
            log.debug("Language: " + (t.language().isEmpty() ? "(none)" : t.language())
                    + (request.options().language() != null ? " (forced)" : ""));
            log.debug("Finish: " + t.finishReason().label() + (t.truncated() ? " (truncated)" : ""));
        }
        log.info(StatsReport.inferenceLine(t.stats()));
        String line = StatsReport.audioLine(t.stats());
        if (line != null) log.info(line);
        StatsReport.finishWarnings(t).forEach(w -> log.info("Warning: " + w));
        if (request.profile()) StatsReport.profileLines(t.stats(), loadMillis).forEach(log::always);
    }
}
