import io.github.qwenasr.DecodeStats;
import io.github.qwenasr.EncoderAttention;
import io.github.qwenasr.LoadOptions;
import io.github.qwenasr.Quantization;
import io.github.qwenasr.QwenAsr;
import io.github.qwenasr.TranscribeOptions;
import io.github.qwenasr.Transcription;
import io.github.qwenasr.audio.AudioLoader;
import io.github.qwenasr.engine.EncodedAudio;
import io.github.qwenasr.engine.EngineAccess;
import io.github.qwenasr.engine.Model;
import io.github.qwenasr.generate.DecodeSequence;
import io.github.qwenasr.prompt.PromptBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Throughput of the decode batch (docs/modes.md 14), run by bench/throughput.py once per setting (so
 * that each gets its own peak RSS). Prints one line of JSON on stdout.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp cli/target/qwen-asr.jar \
 *      bench/Throughput.java sweep MODEL_DIR CLIP IN_FLIGHT TOKENS THREADS [none|int8]
 * java ... bench/Throughput.java stall MODEL_DIR LONG_CLIP SHORT_CLIP TOKENS THREADS [none|int8]
 * </pre>
 *
 * {@code sweep}: (1) decode: IN_FLIGHT sequences are prefilled with CLIP's prompt, then decode TOKENS
 * tokens each together: decode tokens per second with exactly IN_FLIGHT in the batch; (2) end to end:
 * IN_FLIGHT threads each transcribe CLIP (TOKENS tokens) at once: generated tokens and audio seconds
 * per wall-clock second, mel, encoder and prefill included. {@code stall}: one transcription of
 * SHORT_CLIP decodes while another thread transcribes LONG_CLIP (its encoder and prefill share the
 * worker pool): the longest gap between two tokens of the first against its median gap. A random-weight
 * model never stops by itself, so every sequence decodes exactly TOKENS tokens.
 */
public final class Throughput {
    public static void main(String[] args) throws Exception {
        if (args.length < 6 || args.length > 7 || !(args[0].equals("sweep") || args[0].equals("stall"))) {
            System.err.println("usage: Throughput.java sweep MODEL CLIP IN_FLIGHT TOKENS THREADS [none|int8]"
                    + " | stall MODEL LONG_CLIP SHORT_CLIP TOKENS THREADS [none|int8]");
            System.exit(2);
        }
        int tokens = Integer.parseInt(args[4]);
        int threads = Integer.parseInt(args[5]);
        Quantization weights = args.length > 6 ? Quantization.valueOf(args[6].toUpperCase(Locale.ROOT)) : Quantization.NONE;
        try (QwenAsr asr = QwenAsr.load(Path.of(args[1]), LoadOptions.defaults().withThreads(threads).withQuantization(weights))) {
            if (args[0].equals("sweep")) {
                sweep(asr, load(args[2]), Integer.parseInt(args[3]), tokens);
            } else {
                stall(asr, load(args[2]), load(args[3]), tokens);
            }
        }
    }

    private static float[] load(String wav) throws Exception {
        return AudioLoader.load16k(Files.readAllBytes(Path.of(wav)));
    }

    private static void sweep(QwenAsr asr, float[] clip, int inFlight, int tokens) throws Exception {
        Model m = EngineAccess.model(asr);
        TranscribeOptions options = TranscribeOptions.defaults().withMaxNewTokens(tokens);
        asr.transcribe16k(clip, options.withMaxNewTokens(Math.min(tokens, 8))); // JIT warm-up

        // (1) decode only: the prompts prefilled first, then one batch of exactly inFlight (once to
        // warm the batched path up, once measured).
        EncodedAudio e = m.encode(clip, EncoderAttention.WINDOWED, true);
        int[] ids = PromptBuilder.ids(m.tokenizer(), "", e.count(), null);
        float[] embeds = m.decoder().embed(ids, m.tokens().audioPad(), e.rows(), e.count());
        ExecutorService pool = Executors.newFixedThreadPool(inFlight);
        decodeTogether(asr, m, pool, embeds, ids.length, inFlight, Math.min(tokens, 16));
        double[] decode = decodeTogether(asr, m, pool, embeds, ids.length, inFlight, tokens);
        double decodeSeconds = decode[0];
        long steps = (long) decode[1];
        long rows = (long) decode[2];

        // (2) end to end: inFlight transcriptions started together.
        CyclicBarrier go = new CyclicBarrier(inFlight + 1);
        List<Future<Transcription>> results = new ArrayList<>();
        for (int i = 0; i < inFlight; i++) {
            results.add(pool.submit(() -> {
                go.await();
                return asr.transcribe16k(clip, options);
            }));
        }
        go.await();
        long t1 = System.nanoTime();
        long generated = 0;
        double audio = 0;
        for (Future<Transcription> f : results) {
            Transcription t = f.get();
            generated += t.stats().generated();
            audio += t.stats().audioSeconds();
        }
        double wall = (System.nanoTime() - t1) / 1e9;
        pool.shutdown();
        System.out.println(String.format(Locale.ROOT,
                "{\"mode\": \"sweep\", \"in_flight\": %d, \"tokens\": %d, \"decode_steps\": %d, \"decode_rows\": %d,"
                        + " \"decode_seconds\": %.3f, \"decode_tokens_per_s\": %.3f, \"e2e_seconds\": %.3f,"
                        + " \"e2e_generated\": %d, \"e2e_tokens_per_s\": %.3f, \"audio_seconds_per_s\": %.3f,"
                        + " \"largest_batch\": %d}",
                inFlight, tokens, steps, rows, decodeSeconds, rows / decodeSeconds, wall, generated, generated / wall,
                audio / wall, asr.decodeStats().largestBatch()));
    }

    /** inFlight sequences prefilled with one prompt, then decoded together: {seconds, steps, rows}. */
    private static double[] decodeTogether(QwenAsr asr, Model m, ExecutorService pool, float[] embeds, int rows,
                                           int inFlight, int tokens) throws Exception {
        List<DecodeSequence> seqs = new ArrayList<>();
        for (int i = 0; i < inFlight; i++) {
            DecodeSequence s = m.newSequence();
            s.prefill(embeds.clone(), rows, tokens);
            seqs.add(s);
        }
        DecodeStats before = asr.decodeStats();
        CyclicBarrier start = new CyclicBarrier(inFlight + 1);
        List<Future<Integer>> done = new ArrayList<>();
        for (DecodeSequence s : seqs) {
            done.add(pool.submit(() -> {
                start.await();
                return s.run().iterations();
            }));
        }
        start.await();
        long t0 = System.nanoTime();
        for (Future<Integer> f : done) f.get();
        double seconds = (System.nanoTime() - t0) / 1e9;
        DecodeStats after = asr.decodeStats();
        return new double[] {seconds, after.steps() - before.steps(), after.rows() - before.rows()};
    }

    private static void stall(QwenAsr asr, float[] longClip, float[] shortClip, int tokens) throws Exception {
        TranscribeOptions options = TranscribeOptions.defaults().withMaxNewTokens(tokens);
        asr.transcribe16k(shortClip, options.withMaxNewTokens(8)); // warm-up
        asr.transcribe16k(Arrays.copyOf(longClip, 16_000 * 5), options.withMaxNewTokens(2));
        List<Long> times = new ArrayList<>();
        CyclicBarrier started = new CyclicBarrier(2);
        long[] longWindow = new long[2];
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Future<?> decoding = pool.submit(() -> asr.transcribe16k(shortClip, options.withTokenListener(id -> {
            synchronized (times) {
                times.add(System.nanoTime());
                if (times.size() == 6) {
                    try {
                        started.await(); // the long transcription starts now
                    } catch (Exception ex) {
                        throw new IllegalStateException(ex);
                    }
                }
            }
        })));
        Future<?> prefilling = pool.submit(() -> {
            started.await();
            longWindow[0] = System.nanoTime();
            // Encoder and prefill of the long clip; two tokens only, so its own decode is short.
            asr.transcribe16k(longClip, options.withMaxNewTokens(1));
            longWindow[1] = System.nanoTime();
            return null;
        });
        decoding.get();
        prefilling.get();
        pool.shutdown();
        List<Double> gaps = new ArrayList<>();
        double maxInside = 0;
        for (int i = 1; i < times.size(); i++) {
            double gap = (times.get(i) - times.get(i - 1)) / 1e6;
            gaps.add(gap);
            if (times.get(i) > longWindow[0] && times.get(i - 1) < longWindow[1]) maxInside = Math.max(maxInside, gap);
        }
        List<Double> sorted = new ArrayList<>(gaps);
        sorted.sort(null);
        double median = sorted.get(sorted.size() / 2);
        System.out.println(String.format(Locale.ROOT,
                "{\"mode\": \"stall\", \"tokens\": %d, \"long_clip_seconds\": %.1f, \"long_transcription_ms\": %.0f,"
                        + " \"median_gap_ms\": %.1f, \"max_gap_during_long_ms\": %.1f, \"max_gap_ms\": %.1f}",
                times.size(), longClip.length / 16000.0, (longWindow[1] - longWindow[0]) / 1e6, median, maxInside,
                sorted.get(sorted.size() - 1)));
    }
}
