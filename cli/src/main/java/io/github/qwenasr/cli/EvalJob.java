package io.github.qwenasr.cli;

import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.eval.Dataset;
import io.github.qwenasr.eval.DatasetException;
import io.github.qwenasr.eval.DetailsWriter;
import io.github.qwenasr.eval.EvalListener;
import io.github.qwenasr.eval.EvalMode;
import io.github.qwenasr.eval.EvalResult;
import io.github.qwenasr.eval.EvalSettings;
import io.github.qwenasr.eval.Evaluation;
import io.github.qwenasr.eval.LibriSpeechReader;
import io.github.qwenasr.eval.ModeReport;
import io.github.qwenasr.eval.ReportTable;
import io.github.qwenasr.eval.TsvReader;
import io.github.qwenasr.eval.UtteranceResult;
import io.github.qwenasr.format.AtomicFileWriter;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs a validated {@code eval} request (docs/modes.md 13): reads the data set and checks the details
 * file can be written before any model is loaded, runs the eval module's {@link Evaluation}, prints its
 * table on stdout and progress on stderr. Failures are one "Error:" line: a bad data set, model or
 * output file exits 1, as does a mode in which every utterance failed; anything unexpected exits 3.
 */
final class EvalJob {
    /** Least time between two progress lines of a mode. */
    private static final long PROGRESS_NANOS = 10_000_000_000L;

    private final EvalRequest request;
    private final PrintStream out;
    private final Log log;

    EvalJob(EvalRequest request, PrintStream out, Log log) {
        this.request = request;
        this.out = out;
        this.log = log;
    }

    int run() {
        try {
            return evaluate();
        } catch (DatasetException | QwenAsrException e) {
            log.error(e.getMessage());
            return ExitCodes.FAILURE;
        } catch (OutOfMemoryError e) {
            log.error("out of memory (" + e.getMessage() + "); give Java a larger heap, e.g. "
                    + "QWEN_ASR_JAVA_OPTS=-Xmx16g with the qwen-asr launcher");
            return ExitCodes.FAILURE;
        } catch (Throwable e) {
            log.error("internal error: " + e.getClass().getName() + ": " + e.getMessage());
            return ExitCodes.INTERNAL;
        }
    }

    private int evaluate() {
        request.warnings().forEach(w -> log.info("Warning: " + w));
        Dataset dataset = switch (request.source().layout()) {
            case LIBRISPEECH -> LibriSpeechReader.read(request.source().path());
            case TSV -> TsvReader.read(request.source().path());
        };
        log.info("Data set: " + dataset.description());
        if (request.limit() != null && request.limit() < dataset.items().size()) {
            dataset = dataset.limit(request.limit());
            log.info("Limited to the first " + dataset.items().size());
        }
        if (request.details() != null) checkDetailsTarget(dataset);
        EvalSettings settings = new EvalSettings(request.model(), request.modes(), request.threads(), request.options());
        EvalResult result = Evaluation.run(dataset, settings, new Progress());
        out.print(ReportTable.render(result));
        out.flush();
        if (request.details() != null) {
            DetailsWriter.write(request.details(), result);
            int n = result.utterances().size();
            log.info("Details: " + n + (n == 1 ? " line" : " lines") + " written to " + request.details());
        }
        for (ModeReport r : result.modes()) {
            if (r.failures() == r.utterances()) {
                String first = result.utterances().stream().filter(u -> u.mode() == r.mode() && u.failed())
                        .findFirst().flatMap(UtteranceResult::error).orElse("");
                log.error("every utterance failed in mode " + r.mode().label() + " (the first: " + first + ")");
                return ExitCodes.FAILURE;
            }
        }
        return ExitCodes.OK;
    }

    /**
     * The details file must not be one the run reads (the TSV, an audio file: replacing it would destroy
     * it), and its folder must let a file be created, before hours of transcription are spent.
     */
    private void checkDetailsTarget(Dataset dataset) {
        Path details = request.details();
        List<Path> inputs = new ArrayList<>();
        if (request.source().layout() == EvalRequest.Layout.TSV) inputs.add(request.source().path());
        dataset.items().forEach(item -> inputs.add(item.audio()));
        for (Path input : inputs) {
            if (TranscriptOutput.sameFile(input, details)) {
                throw new QwenAsrException("--details " + details + " is the data set's file " + input
                        + ": writing there would destroy it; give another file");
            }
        }
        AtomicFileWriter.checkTarget(details);
    }


    /** Progress lines on stderr: loading, a line at most every 10 s, failures as warnings, each mode's result. */
    private final class Progress implements EvalListener {
        private long lastLine;

        @Override
        public void loading(EvalMode mode) {
            log.info("Loading model from " + request.model() + " (mode " + mode.label() + ", "
                    + request.threads() + " thread" + (request.threads() == 1 ? ")" : "s)"));
        }

        @Override
        public void loaded(EvalMode mode, double seconds) {
            log.info(String.format(Locale.ROOT, "%s: model loaded in %.1f s", mode.label(), seconds));
            lastLine = System.nanoTime();
        }

        @Override
        public void finished(UtteranceResult result, int done, int total) {
            if (result.failed()) {
                log.info("Warning: " + result.mode().label() + ": " + result.item().id() + ": " + result.error().get());
            }
            long now = System.nanoTime();
            if (now - lastLine >= PROGRESS_NANOS && done < total) {
                log.info(result.mode().label() + ": " + done + " of " + total + " utterances");
                lastLine = now;
            }
        }

        @Override
        public void modeFinished(ModeReport r) {
            log.info(String.format(Locale.ROOT, "%s: %d utterance%s in %.1f s, WER %s, CER %s%s", r.mode().label(),
                    r.utterances(), r.utterances() == 1 ? "" : "s", r.wallSeconds(),
                    ReportTable.percent(r.wordErrorRate()), ReportTable.percent(r.characterErrorRate()),
                    r.failures() == 0 ? "" : ", " + r.failures() + " failed"));
        }
    }
}
