package io.github.qwenasr.cli;

import io.github.qwenasr.QwenAsr;
import io.github.qwenasr.FinishReason;
import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.Transcription;
import io.github.qwenasr.audio.AudioLoader;
import io.github.qwenasr.audio.AudioSource;
import io.github.qwenasr.audio.IncrementalPcmReader;
import io.github.qwenasr.format.OutputFormat;
import io.github.qwenasr.format.TranscriptDocument;
import io.github.qwenasr.stream.StreamOptions;
import io.github.qwenasr.stream.StreamStats;
import io.github.qwenasr.stream.StreamUpdate;
import io.github.qwenasr.stream.StreamingSession;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * {@code --stream} (docs/modes.md 6): feeds the audio to a {@link StreamingSession} and prints each
 * committed delta the moment it is committed.
 *
 * <ul>
 *   <li>{@code -i file}: the whole file is loaded (and silence-compacted with --skip-silence, docs/modes.md 5),
 *       then pushed chunk by chunk as if it were arriving, without waiting between chunks. Unlike the
 *       earlier engines, {@code --silent} does not switch to one offline decode (docs/modes.md 6.10): the
 *       text is always the streaming result.</li>
 *   <li>{@code --stdin}: the audio is read while it arrives ({@link StdinAudioPump}, docs/modes.md 2.4,
 *       6.11) and pushed block by block; at the end of the input the session is finished (6.9), which
 *       commits the rest of the hypothesis.</li>
 * </ul>
 *
 * <p>stdout gets only the transcript: with txt output and no {@code -o}, the deltas as they come
 * ({@link CommittedTextPrinter}) and a final newline; otherwise the final document once the stream is
 * finished (json to stdout, or txt/json to the {@code -o} file, written atomically). stderr gets the
 * usual loading and statistics lines (docs/modes.md 1.4, 1.5), per-step times with --debug and a
 * per-step summary with --profile.
 *
 * <p>Ctrl-C ends the input early ({@link InterruptHandler}): the session is finished on the audio
 * received so far and its text printed as usual; a second Ctrl-C quits at once.
 */
final class StreamingMode {
    private final CliRequest request;
    private final ModelLoader loader;
    private final PrintStream out;
    private final Log log;
    private final TranscriptOutput output;

    StreamingMode(CliRequest request, ModelLoader loader, PrintStream out, Log log, TranscriptOutput output) {
        this.request = request;
        this.loader = loader;
        this.out = out;
        this.log = log;
        this.output = output;
    }

    /** Where the audio comes from: a loaded file cut into chunks, live stdin, or an input device ({@link LiveMode}). */
    interface Source extends AutoCloseable {
        /** The next block of samples, or null at the end. */
        float[] next();

        int sampleRate();

        /** Samples handed out so far (at {@link #sampleRate()}). */
        long samplesSoFar();

        /** Ends the input early: {@link #next()} soon returns null. Any thread may call it. */
        void stop();

        @Override
        void close();
    }

    /**
     * Streams the {@code -i} file or stdin; the model folder is asked of {@code model} (which may download
     * it) only once the input is open.
     */
    void run(InputAudio input, Supplier<Path> model) {
        StreamOptions options = request.stream();
        // Like the offline mode, read (or start reading) the input before loading the model, so a bad
        // input fails at once; for stdin only the header is needed and the rest is read while the model loads.
        Source source;
        AudioSource fileAudio = null;
        if (request.readsStdin()) {
            IncrementalPcmReader reader = new IncrementalPcmReader(input.liveStdin());
            reader.readHeader();
            log.debug("Reading audio from stdin as it arrives: " + reader.describe());
            StdinAudioPump pump = new StdinAudioPump(reader);
            pump.start();
            source = live(pump);
        } else {
            fileAudio = input.openFile(); // read chunk by chunk, never whole
            log.debug(String.format(Locale.ROOT, "Input: %d samples at 16 kHz (%.2f s)", fileAudio.length(),
                    fileAudio.length() / (double) AudioLoader.SAMPLE_RATE));
            source = fileChunks(fileAudio, options);
        }
        streamAndClose(source, fileAudio, model);
    }

    /** Streams audio from an input device ({@link LiveMode}) with the model in {@code modelDir}, and closes it. */
    void run(Source device, Path modelDir) {
        streamAndClose(device, null, () -> modelDir);
    }

    /**
     * Streams {@code input} and closes it; {@code fileAudio} is the file behind it (its length is the audio
     * length reported), or null for audio that arrives.
     */
    private void streamAndClose(Source input, AudioSource fileAudio, Supplier<Path> model) {
        StreamOptions options = request.stream();
        try (Source source = input) {
            try (LoadedModel loaded = LoadedModel.load(loader, model.get(), request.loadOptions(), log)) {
                QwenAsr asr = loaded.asr();
                if (!options.pastText()) {
                    log.info("Warning: --past-text no: each streaming step sees no earlier text, "
                            + "so most of the transcript can be lost");
                }
                log.debug(String.format(Locale.ROOT, "Streaming: %.2f s chunks, at most %d new tokens per step, "
                                + "past text %s", options.chunkSeconds(), options.maxNewTokens(),
                        options.pastText() ? "on" : "off"));
                if (request.live()) log.info("Listening (streaming)... press Ctrl-C to stop");
                AtomicBoolean interrupted = new AtomicBoolean();
                StreamResult result;
                try (InterruptHandler ignored = InterruptHandler.install(() -> {
                    interrupted.set(true);
                    source.stop();
                })) {
                    result = stream(asr, options, source);
                }
                if (interrupted.get()) {
                    log.info(String.format(Locale.ROOT, "Interrupted: transcribed the first %.1f s of the input",
                            source.samplesSoFar() / (double) source.sampleRate()));
                }
                // The original length (before silence compaction, docs/modes.md 1.5), unless Ctrl-C cut the input short.
                double audioSeconds = fileAudio != null && !interrupted.get()
                        ? fileAudio.length() / (double) AudioLoader.SAMPLE_RATE
                        : source.samplesSoFar() / (double) source.sampleRate();
                if (!printsLive()) {
                    output.write(document(result, audioSeconds), audioSeconds);
                }
                report(result, audioSeconds, loaded.loadMillis());
            }
        }
    }

    /** Text goes out delta by delta only for plain text on stdout; json and -o files need the whole text. */
    private boolean printsLive() {
        return request.format() == OutputFormat.TXT && request.outputFile() == null;
    }

    /** The finished stream as a document: no segments, the stream's own token counts. */
    private static TranscriptDocument document(StreamResult r, double audioSeconds) {
        StreamStats s = r.stats();
        return new TranscriptDocument(r.language(), r.text(), List.of(), new TranscriptDocument.Decoding(
                s.finishReason(), s.finishReason() == FinishReason.LENGTH, audioSeconds, s.promptTokens(),
                s.generated(), s.committedTokens(), List.of()));
    }

    /** What the stream produced and what it cost. */
    private record StreamResult(String text, String language, StreamTimings timings, StreamStats stats) {}

    private StreamResult stream(QwenAsr asr, StreamOptions options, Source source) {
        CommittedTextPrinter printer = printsLive() ? new CommittedTextPrinter(out) : null;
        StreamTimings timings = new StreamTimings();
        try (StreamingSession session = asr.openStream(options)) {
            float[] block;
            while ((block = source.next()) != null) {
                StreamUpdate u = session.push(block, 0, block.length, source.sampleRate());
                handle(u, source, timings, printer);
            }
            StreamUpdate last = session.finish();
            handle(last, source, timings, printer);
            if (printer != null) printer.finish();
            return new StreamResult(last.committedText(), last.language(), timings, session.stats());
        }
    }

    private void handle(StreamUpdate u, Source source, StreamTimings timings, CommittedTextPrinter printer) {
        if (printer != null) printer.print(u.committedDelta());
        List<Double> steps = u.stepMillis();
        int first = u.chunks() - steps.size() + 1;
        for (int i = 0; i < steps.size(); i++) {
            timings.add(steps.get(i));
            log.debug(String.format(Locale.ROOT, "Stream step %d: %.0f ms (%.2f s of audio in)", first + i, steps.get(i),
                    source.samplesSoFar() / (double) source.sampleRate()));
        }
        if (!steps.isEmpty() || u.finished()) {
            log.debug("Stream text: +" + u.committedDelta().length() + " committed chars, tentative \""
                    + Log.visibleLineBreaks(u.tentativeText()) + "\"" + (u.finished() ? " (finished)" : ""));
        }
    }

    private void report(StreamResult r, double audioSeconds, double loadMillis) {
        StreamTimings t = r.timings();
        StreamStats st = r.stats();
        if (log.debugEnabled()) {
            log.debug("Language: " + (r.language().isEmpty() ? "(none)" : r.language())
                    + (request.stream().language() != null ? " (forced)" : ""));
            log.debug("Finish: " + st.finishReason().label() + " (" + st.reanchors() + " re-anchors)");
        }
        log.info(StatsReport.streamInferenceLine(st));
        String audio = StatsReport.audioLine(audioSeconds, t.totalMillis());
        if (audio != null) log.info(audio);
        String warning = StatsReport.streamFinishWarning(st);
        if (warning != null) log.info("Warning: " + warning);
        if (request.profile()) {
            StatsReport.streamProfileLines(loadMillis, st, t.maxMillis(),
                    request.stream().chunkSeconds(), audioSeconds).forEach(log::always);
        }
    }

    // ---- sources ----

    private static Source live(StdinAudioPump pump) {
        return new Source() {
            private long samples;
            private volatile boolean stopped;

            @Override
            public float[] next() {
                float[] b = pump.next();
                if (b != null) {
                    samples += b.length;
                } else if (samples == 0 && !stopped) {
                    // A WAV header and nothing else: most likely the producer failed, not silence.
                    throw new QwenAsrException("no audio data on stdin: the WAV header is followed by no samples");
                }
                return b;
            }

            @Override
            public int sampleRate() {
                return pump.sampleRate();
            }

            @Override
            public long samplesSoFar() {
                return samples;
            }

            @Override
            public void stop() {
                stopped = true;
                pump.stop();
            }

            @Override
            public void close() {
                pump.close();
            }
        };
    }

    /**
     * The loaded file, silence-compacted with --skip-silence, cut into chunk-sized pieces so that each
     * push runs one decoding step, as if the audio were arriving in real time.
     */
    private Source fileChunks(AudioSource loaded, StreamOptions options) {
        return new Source() {
            private AudioSource audio;
            private int pos;
            private volatile boolean stopped;

            @Override
            public float[] next() {
                if (audio == null) audio = prepare(loaded);
                if (pos >= audio.length() || stopped) return null;
                int chunk = Math.max(1, (int) Math.round(options.chunkSeconds() * AudioLoader.SAMPLE_RATE));
                int end = Math.min(audio.length(), pos + chunk);
                float[] piece = audio.read(pos, end - pos);
                pos = end;
                return piece;
            }

            @Override
            public int sampleRate() {
                return AudioLoader.SAMPLE_RATE;
            }

            @Override
            public long samplesSoFar() {
                return pos;
            }

            @Override
            public void stop() {
                stopped = true;
            }

            @Override
            public void close() {
                loaded.close();
            }
        };
    }

    /** Compacts silence when asked (docs/modes.md 5: before chunking), printing the usual line. */
    private AudioSource prepare(AudioSource samples) {
        if (!request.options().skipSilence()) return samples;
        AudioSource kept = AudioSource.withoutLongPauses(samples);
        log.info(StatsReport.silenceLine(new Transcription.SilenceSkip(samples.length(), kept.length())));
        return kept;
    }


    /** Wall time of the decoding steps. */
    private static final class StreamTimings {
        private int steps;
        private double total;
        private double max;

        void add(double millis) {
            steps++;
            total += millis;
            max = Math.max(max, millis);
        }

        int steps() {
            return steps;
        }

        double totalMillis() {
            return total;
        }

        double maxMillis() {
            return max;
        }
    }
}
