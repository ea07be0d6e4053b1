package io.github.qwenasr.eval;

import io.github.qwenasr.QwenAsr;
import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.Transcription;
import io.github.qwenasr.audio.AudioInput;
import io.github.qwenasr.audio.AudioSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Transcribes a data set once per mode and scores every transcript (docs/modes.md 13): the model is
 * loaded once per mode, through {@link EvalMode#load}, and closed before the next mode is loaded, so
 * only one copy is in memory. Each utterance is opened with {@link AudioInput}, so any format ffmpeg
 * reads (FLAC, MP3) works as on the command line.
 *
 * <p>An utterance that fails to transcribe (damaged audio, ffmpeg missing) is reported and scored as
 * an empty transcript; a model that fails to load ends the evaluation with its
 * {@link QwenAsrException}.
 */
public final class Evaluation {
    private static final double SAMPLE_RATE = 16_000;
    private static final double NANOS = 1e9;

    private Evaluation() {
    }

    /** Runs every mode of {@code settings} over {@code dataset}. */
    public static EvalResult run(Dataset dataset, EvalSettings settings, EvalListener listener) {
        PrimaryMetric primary = settings.options().language() != null
                ? PrimaryMetric.forLanguage(settings.options().language())
                : PrimaryMetric.forReferences(dataset.items().stream().map(EvalItem::reference).toList());
        List<ModeReport> reports = new ArrayList<>();
        List<UtteranceResult> all = new ArrayList<>();
        for (EvalMode mode : settings.modes()) {
            listener.loading(mode);
            long start = System.nanoTime();
            try (QwenAsr asr = mode.load(settings.model(), settings.threads())) {
                double loadSeconds = (System.nanoTime() - start) / NANOS;
                listener.loaded(mode, loadSeconds);
                List<UtteranceResult> results = new ArrayList<>();
                for (EvalItem item : dataset.items()) {
                    UtteranceResult r = transcribe(asr, mode, item, settings);
                    results.add(r);
                    listener.finished(r, results.size(), dataset.items().size());
                }
                ModeReport report = ModeReport.of(mode, loadSeconds, results);
                listener.modeFinished(report);
                reports.add(report);
                all.addAll(results);
            }
        }
        return new EvalResult(dataset, primary, reports, all);
    }

    private static UtteranceResult transcribe(QwenAsr asr, EvalMode mode, EvalItem item, EvalSettings settings) {
        long start = System.nanoTime();
        double audioSeconds = 0;
        try (AudioSource audio = AudioInput.open(item.audio())) {
            audioSeconds = audio.length() / SAMPLE_RATE;
            Transcription t = asr.transcribe16k(audio, settings.options());
            return new UtteranceResult(mode, item, t.text(), t.language(), Score.of(item.reference(), t.text()),
                    audioSeconds, (System.nanoTime() - start) / NANOS, Optional.empty());
        } catch (QwenAsrException e) {
            return new UtteranceResult(mode, item, "", "", Score.of(item.reference(), ""), audioSeconds,
                    (System.nanoTime() - start) / NANOS, Optional.of(oneLine(e.getMessage())));
        }
    }

    private static String oneLine(String message) {
        return message == null || message.isBlank() ? "(no details)" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
