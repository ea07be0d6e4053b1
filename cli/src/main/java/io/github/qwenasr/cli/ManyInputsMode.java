package io.github.qwenasr.cli;

import io.github.qwenasr.DecodeStats;
import io.github.qwenasr.QwenAsr;
import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.Transcription;
import io.github.qwenasr.align.AlignedItem;
import io.github.qwenasr.align.ForcedAligner;
import io.github.qwenasr.align.TimestampedTranscriber;
import io.github.qwenasr.audio.AudioInput;
import io.github.qwenasr.audio.AudioLoader;
import io.github.qwenasr.audio.AudioSource;
import io.github.qwenasr.audio.Ffmpeg;
import io.github.qwenasr.format.OutputFormat;
import io.github.qwenasr.format.TimedItem;
import io.github.qwenasr.format.TranscriptDocument;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A run over many inputs (docs/modes.md 1.9): the inputs are collected, the model is loaded once,
 * and {@code --jobs} transcriptions run at once on it, their token-by-token decoding batched by the
 * engine. Each input ends as one line of JSON on stdout, in input order whatever order they finish
 * in, and with {@code --output-dir} as a file there. An input that fails is reported on stderr and
 * in its line; the others go on.
 */
final class ManyInputsMode {
    private final CliRequest request;
    private final ModelLoader loader;
    private final PrintStream out;
    private final Log log;
    private final Ffmpeg ffmpeg;

    ManyInputsMode(CliRequest request, ModelLoader loader, PrintStream out, Log log, Map<String, String> env) {
        this.request = request;
        this.loader = loader;
        this.out = out;
        this.log = log;
        this.ffmpeg = Ffmpeg.fromEnvironment(env);
    }

    /** How one input ended. */
    private record Outcome(String line, boolean ok, boolean internal, double audioSeconds) {}

    /**
     * Runs every input and returns the exit status: 0 when all were transcribed, 1 when some failed,
     * 3 when one failed with an internal error.
     *
     * @param speechModel the model folder (found or downloaded once the inputs are known)
     * @param aligner     the aligner folder, for --timestamps
     */
    int run(Supplier<Path> speechModel, Supplier<Path> aligner) {
        CliRequest.Many many = request.many();
        List<InputFiles.Input> inputs = InputFiles.collect(many, log);
        OutputNames names = many.outputDir() == null ? null : OutputNames.assign(many.outputDir(), request.format(), inputs);
        Path modelDir = speechModel.get();
        Path alignerDir = request.timestamps() ? aligner.get() : null;
        try (LoadedModel loaded = LoadedModel.load(loader, modelDir, request.loadOptions(), log);
             ForcedAligner forced = alignerDir == null ? null : loadAligner(alignerDir)) {
            QwenAsr asr = loaded.asr();
            int jobs = many.jobs() != null ? many.jobs() : Math.min(inputs.size(), asr.decodeStats().batchLimit());
            jobs = Math.min(jobs, inputs.size());
            log.info(String.format(Locale.ROOT, "Transcribing %d input%s, %d at a time", inputs.size(),
                    inputs.size() == 1 ? "" : "s", jobs));
            ManyInputsProgress progress = new ManyInputsProgress(log, inputs.size(), System::nanoTime);
            OrderedLines lines = new OrderedLines(out, inputs.size());
            AtomicInteger internal = new AtomicInteger();
            AtomicInteger threadId = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(jobs,
                    r -> Thread.ofPlatform().name("qwen-asr-input-" + threadId.incrementAndGet()).daemon().unstarted(r));
            try {
                for (int i = 0; i < inputs.size(); i++) {
                    int index = i;
                    pool.execute(() -> {
                        Outcome o = transcribe(asr, forced, inputs.get(index), names == null ? null : names.target(index));
                        if (o.internal()) internal.incrementAndGet();
                        lines.put(index, o.line());
                        progress.inputDone(o.ok(), o.audioSeconds());
                    });
                }
            } finally {
                pool.shutdown();
                awaitUninterruptibly(pool);
            }
            progress.finish();
            DecodeStats d = asr.decodeStats();
            log.debug(String.format(Locale.ROOT, "Decode batch: %d steps, %d tokens, %.2f sequences per step on average, "
                    + "largest %d (bound %d)", d.steps(), d.rows(), d.meanBatch(), d.largestBatch(), d.batchLimit()));
            if (lines.failed()) throw new QwenAsrException("cannot write the output to stdout");
            if (internal.get() > 0) return ExitCodes.INTERNAL;
            return progress.failed() > 0 ? ExitCodes.FAILURE : ExitCodes.OK;
        }
    }

    private ForcedAligner loadAligner(Path dir) {
        log.info("Loading aligner from " + dir);
        return ForcedAligner.load(dir, request.threads());
    }

    /** One input, start to end; never throws (its failure becomes its line). */
    private Outcome transcribe(QwenAsr asr, ForcedAligner aligner, InputFiles.Input in, Path target) {
        long t0 = System.nanoTime();
        try (AudioSource samples = AudioInput.open(in.path(), ffmpeg)) {
            Transcription t;
            List<AlignedItem> items = List.of();
            if (aligner == null) {
                t = asr.transcribe16k(samples, request.options());
            } else {
                TimestampedTranscriber.Result r = new TimestampedTranscriber(asr, aligner).transcribe16k(samples, request.options());
                t = r.transcription();
                items = r.items();
            }
            double seconds = samples.length() / (double) AudioLoader.SAMPLE_RATE;
            TranscriptDocument doc = TranscriptDocument.of(t, TimedItem.fromAligned(items));
            if (target != null) new TranscriptOutput(request.format(), target, out).write(doc, seconds);
            StatsReport.finishWarnings(t).forEach(w -> log.info("Warning: " + in.name() + ": " + w));
            log.debug(String.format(Locale.ROOT, "%s: %.2f s of audio, %d tokens, %s, in %.0f ms", in.name(), seconds,
                    t.stats().generated(), t.finishReason().label(), (System.nanoTime() - t0) / 1e6));
            return new Outcome(OutputFormat.jsonInputLine(in.name(), doc, target == null ? null : target.toString()),
                    true, false, seconds);
        } catch (QwenAsrException e) {
            return failed(in, e.getMessage(), false, e);
        } catch (OutOfMemoryError e) {
            return failed(in, "out of memory (" + e.getMessage() + "); give Java a larger heap or fewer --jobs", false, e);
        } catch (Throwable e) {
            return failed(in, "internal error: " + e.getClass().getName() + ": " + e.getMessage(), true, e);
        }
    }

    private Outcome failed(InputFiles.Input in, String message, boolean internal, Throwable e) {
        String m = Log.oneLine(message);
        // Most audio errors name the file already; the others get its name in front.
        if (!m.contains(in.path().toString())) m = in.name() + ": " + m;
        log.error(m);
        if (log.debugEnabled()) log.trace(e);
        return new Outcome(OutputFormat.jsonInputErrorLine(in.name(), m), false, internal, 0);
    }

    private static void awaitUninterruptibly(ExecutorService pool) {
        boolean interrupted = false;
        while (true) {
            try {
                if (pool.awaitTermination(1, TimeUnit.DAYS)) break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    /** Writes each input's line once it and every input before it are done: input order. */
    static final class OrderedLines {
        private final PrintStream out;
        private final String[] lines;
        private int next;
        private final AtomicBoolean failed = new AtomicBoolean();

        OrderedLines(PrintStream out, int count) {
            this.out = out;
            this.lines = new String[count];
        }

        synchronized void put(int index, String line) {
            lines[index] = line;
            while (next < lines.length && lines[next] != null) {
                byte[] bytes = lines[next].getBytes(StandardCharsets.UTF_8);
                out.write(bytes, 0, bytes.length);
                lines[next++] = null;
            }
            out.flush();
            if (out.checkError()) failed.set(true);
        }

        boolean failed() {
            return failed.get();
        }
    }
}
