package io.github.qwenasr.cli;

import io.github.qwenasr.QwenAsr;
import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.TranscribeOptions;
import io.github.qwenasr.Transcription;
import io.github.qwenasr.align.AlignedItem;
import io.github.qwenasr.align.ForcedAligner;
import io.github.qwenasr.align.TimestampedTranscriber;
import io.github.qwenasr.audio.AudioLoader;
import io.github.qwenasr.audio.AudioSource;
import io.github.qwenasr.audio.SpooledAudio;
import io.github.qwenasr.audio.WavFileSource;
import io.github.qwenasr.format.TimedItem;
import io.github.qwenasr.format.TranscriptDocument;
import io.github.qwenasr.longform.AudioSplitter;
import io.github.qwenasr.longform.Segmenter;
import io.github.qwenasr.longform.SilenceCompactor;
import io.github.qwenasr.longform.TimeMap;
import io.github.qwenasr.mel.LogMel;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PushbackInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs one validated request (MODES.md 1.3 steps 4–11; {@code --stream} is handed to
 * {@link StreamingMode}): read the audio, load
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

    /** {@code env} locates the default model when the request names none ({@link DefaultModel}). */
    TranscriptionJob(CliRequest request, ModelLoader loader, InputStream stdin, PrintStream out, Log log,
                     Map<String, String> env) {
        this.request = request;
        this.loader = loader;
        this.stdin = stdin;
        this.out = out;
        this.log = log;
        this.env = env;
    }

    /** Runs the request and returns the exit status. */
    int run() {
        try {
            transcribe();
            return ExitCodes.OK;
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

    private void transcribe() {
        TranscriptOutput output = new TranscriptOutput(request.format(), request.outputFile(), out);
        output.checkTarget();
        if (request.alignment() != null) {
            Path alignerDir = alignerDirectory();
            try (AudioSource audio = readAudio()) {
                new AlignmentMode(request, alignerDir, log, output).run(audio);
            }
            return;
        }
        Path modelDir = request.modelDir() != null ? request.modelDir() : DefaultModel.locate(env);
        requireModelDirectory(modelDir);
        if (request.stream() != null) {
            new StreamingMode(request, loader, stdin, out, log, output).run(modelDir);
            return;
        }
        Path alignerDir = request.timestamps() ? alignerDirectory() : null;
        try (AudioSource samples = readAudio()) {
            transcribe(modelDir, alignerDir, samples, output);
        }
    }

    /** Loads the model and transcribes audio that was read (or, for a file, opened and checked) already. */
    private void transcribe(Path modelDir, Path alignerDir, AudioSource samples, TranscriptOutput output) {
        log.debug(String.format(Locale.ROOT, "Input: %d samples at 16 kHz (%.2f s)", samples.length(),
                samples.length() / (double) AudioLoader.SAMPLE_RATE));

        log.info("Loading model from " + modelDir);
        long start = System.nanoTime();
        try (QwenAsr asr = loader.load(modelDir, request.loadOptions())) {
            double loadMillis = (System.nanoTime() - start) / 1e6;
            log.info("Detected: " + asr.config().variantName() + " (" + request.threads() + " threads)");
            log.info(String.format(Locale.ROOT, "Model loaded in %.0f ms", loadMillis));
            asr.int8Weights().ifPresent(r -> log.info(r.describe()));

            Plan plan = plan(samples);
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
            output.write(new TranscriptDocument(t.language(), t.text(), TimedItem.fromAligned(items)),
                    samples.length() / (double) AudioLoader.SAMPLE_RATE);
            report(asr, plan, t, loadMillis);
        }
    }

    /** The --aligner directory, else the aligner in the cache (whose absence is the error). */
    private Path alignerDirectory() {
        Path dir = request.alignerDir() != null ? request.alignerDir() : DefaultModel.locateAligner(env);
        if (!Files.isDirectory(dir)) throw new QwenAsrException("aligner model directory not found: " + dir);
        return dir;
    }

    private static void requireModelDirectory(Path dir) {
        if (!Files.exists(dir)) throw new QwenAsrException("model directory not found: " + dir);
        if (!Files.isDirectory(dir)) throw new QwenAsrException("model path is not a directory: " + dir);
    }

    /**
     * The input: a file is opened and checked now but read piece by piece while decoding, so a long
     * recording is never held whole; stdin is copied to a temporary file and then read the same way.
     */
    private AudioSource readAudio() {
        if (!request.readsStdin()) {
            log.debug("Reading audio from " + request.inputFile());
            return WavFileSource.open(request.inputFile());
        }
        // Peek at the magic so --debug can say which format was detected (MODES.md 2.3).
        PushbackInputStream in = new PushbackInputStream(stdin, 4);
        if (log.debugEnabled()) {
            byte[] head = peek(in);
            boolean wav = head.length == 4 && new String(head, StandardCharsets.ISO_8859_1).matches("RIFF|RF64|RIFX");
            log.debug("Reading audio from stdin: " + (wav ? "WAV" : "raw s16le 16 kHz mono"));
        }
        return SpooledAudio.of(in, "stdin");
    }

    private static byte[] peek(PushbackInputStream in) {
        try {
            byte[] head = in.readNBytes(4);
            in.unread(head);
            return head;
        } catch (IOException e) {
            // Leave the error to AudioLoader, which reads the stream again and words it.
            return new byte[0];
        }
    }

    /** Lengths in samples of the parts the engine decodes (after padding); empty when not needed. */
    private record Plan(List<Integer> partSamples) {}

    /**
     * What the engine will decode, worked out with the same core classes it uses: the audio after
     * silence compaction (MODES.md 5), its time map and the decoded parts (segments of MODES.md 4
     * or the 1200 s pieces). Prints the silence line and, with --debug, the segment ranges.
     */
    private Plan plan(AudioSource samples) {
        TranscribeOptions o = request.options();
        AudioSource audio = samples;
        TimeMap map = TimeMap.identity(samples.length());
        if (o.skipSilence()) {
            SilenceCompactor.Compacted c = SilenceCompactor.compact(samples);
            log.info(String.format(Locale.ROOT, "Silence skip: used %.1f%%, skipped %.1f%% (%d -> %d samples)",
                    c.usedPercent(), c.skippedPercent(), samples.length(), c.audio().length()));
            audio = c.audio();
            map = c.map();
        }
        List<Segmenter.Range> ranges = Segmenter.split(audio, o.segmentSeconds(), o.searchSeconds());
        List<Integer> parts = new ArrayList<>();
        if (ranges.size() > 1) {
            log.debug("Segments: " + ranges.size() + " (target " + o.segmentSeconds() + " s, past text "
                    + o.pastText().name().toLowerCase(Locale.ROOT) + ")");
            for (int i = 0; i < ranges.size(); i++) {
                Segmenter.Range r = ranges.get(i);
                log.debug(String.format(Locale.ROOT, "Segment %d: %.2f-%.2f s (%.2f s of audio)", i + 1,
                        map.toOriginalSeconds(r.startSeconds()), map.toOriginalSeconds(r.endSeconds()),
                        r.length() / (double) AudioLoader.SAMPLE_RATE));
                parts.add(Math.max(r.length(), Segmenter.MIN_DECODE_SAMPLES));
            }
        } else if (audio.length() <= o.maxPieceSeconds() * AudioLoader.SAMPLE_RATE) {
            parts.add(audio.length());
        } else if (log.debugEnabled() || request.profile()) {
            // Only the stage counts need the piece lengths; the split reads 10 s around each cut.
            for (Segmenter.Range p : AudioSplitter.ranges(audio, o.maxPieceSeconds())) {
                parts.add(Math.max(p.length(), Segmenter.MIN_DECODE_SAMPLES));
            }
        }
        return new Plan(parts);
    }

    private void report(QwenAsr asr, Plan plan, Transcription t, double loadMillis) {
        Transcription.Stats s = t.stats();
        boolean needCounts = log.debugEnabled() || request.profile();
        StatsReport.StageCounts counts = needCounts ? stageCounts(asr, plan) : null;
        if (log.debugEnabled()) {
            StatsReport.debugLines(s, counts).forEach(log::debug);
            String forced = request.options().language() != null ? " (forced)" : "";
            log.debug("Language: " + (t.language().isEmpty() ? "(none)" : t.language()) + forced);
            log.debug("Raw output: " + escapeLineBreaks(t.raw()));
        }
        log.info(StatsReport.inferenceLine(s));
        String audio = StatsReport.audioLine(s);
        if (audio != null) log.info(audio);
        if (s.limitedRuns() > 0) {
            log.info("Warning: " + s.limitedRuns() + " of " + s.pieces() + " decoder runs stopped at the token limit"
                    + " without an end token; the transcript may be cut short (raise --max-new-tokens)");
        }
        if (request.profile()) StatsReport.profileLines(s, counts, loadMillis).forEach(log::always);
    }

    /** Mel frames and encoder tokens, summed over the parts the engine decoded. */
    private static StatsReport.StageCounts stageCounts(QwenAsr asr, Plan plan) {
        long frames = 0;
        long tokens = 0;
        for (int part : plan.partSamples()) {
            int f = LogMel.frameCount(part);
            frames += f;
            tokens += asr.encoder().tokenCount(f);
        }
        return new StatsReport.StageCounts(frames, tokens);
    }

    private static String escapeLineBreaks(String s) {
        return s.replace("\r", "\\r").replace("\n", "\\n");
    }
}
