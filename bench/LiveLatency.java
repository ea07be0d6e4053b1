import io.github.qwenasr.QwenAsr;
import io.github.qwenasr.SegmentedSession;
import io.github.qwenasr.TranscribeOptions;
import io.github.qwenasr.Transcription;
import io.github.qwenasr.capture.AudioCapture;
import io.github.qwenasr.capture.CapturedAudio;
import io.github.qwenasr.capture.testing.TestAudio;
import io.github.qwenasr.capture.testing.TestDevice;
import io.github.qwenasr.capture.testing.TestDevices;
import io.github.qwenasr.stream.StreamOptions;
import io.github.qwenasr.stream.StreamUpdate;
import io.github.qwenasr.stream.StreamingSession;
import io.github.qwenasr.vad.VoiceActivity;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Live capture figures (docs/modes.md 7.8): the delay from the end of an utterance (or segment) to its
 * text, and the CPU the capture and the voice activity detector use while nobody speaks. The audio
 * comes from the tests' input device (capture's test jar: a javax.sound.sampled mixer whose line plays
 * a WAV file in real time), through the real capture code.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
 *      -cp core/target/qwen-asr-core-VERSION.jar:capture/target/qwen-asr-capture-VERSION.jar:capture/target/qwen-asr-capture-VERSION-tests.jar \
 *      bench/LiveLatency.java MODE MODEL_DIR WAV [threads] [max-new-tokens]
 * </pre>
 *
 * MODE: {@code vad} or {@code energy} (each utterance's delay, --live --vad), {@code segments} (each
 * 5 s segment's delay, --live), {@code stream} (per-step time and the delay of the final text,
 * --live --stream), {@code idle} or {@code idle-energy} (CPU per second of captured digital silence
 * with the detector running; MODEL_DIR is not loaded, WAV gives the seconds: "idle:30"). A random-weight
 * model never stops by itself, so max-new-tokens (default 12) stands for the length of a real utterance's text.
 */
public final class LiveLatency {
    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: LiveLatency.java vad|energy|segments|stream|idle|idle-energy MODEL_DIR WAV|SECONDS [threads] [max-new-tokens]");
            System.exit(2);
        }
        String mode = args[0];
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : Runtime.getRuntime().availableProcessors();
        int tokens = args.length > 4 ? Integer.parseInt(args[4]) : 12;
        if (mode.startsWith("idle")) {
            idle(mode.equals("idle") ? VoiceActivity.silero() : VoiceActivity.energy(), Double.parseDouble(args[2]));
            return;
        }
        byte[] pcm = TestAudio.pcm(Path.of(args[2]));
        try (QwenAsr asr = QwenAsr.load(Path.of(args[1]), threads)) {
            warmUp(asr, tokens);
            TestDevices.install(TestDevice.playing("bench", TestDevice.s16le(16_000, 1), pcm, 1));
            try (AudioCapture capture = AudioCapture.open(TestDevices.only().select(null), AudioCapture.Options.DEFAULTS)) {
                if (mode.equals("stream")) {
                    stream(asr, capture, tokens);
                } else {
                    TranscribeOptions o = TranscribeOptions.defaults().withMaxNewTokens(tokens);
                    o = switch (mode) {
                        case "vad" -> o.withVoiceActivity(VoiceActivity.silero());
                        case "energy" -> o.withVoiceActivity(VoiceActivity.energy());
                        case "segments" -> o.withSegmentSeconds(5);
                        default -> throw new IllegalArgumentException("unknown mode " + mode);
                    };
                    parts(asr, capture, o, mode);
                }
            }
        }
    }

    /** One decode of a few seconds, so that the kernels are compiled before the clock starts. */
    private static void warmUp(QwenAsr asr, int tokens) {
        float[] noise = new float[3 * 16_000];
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < noise.length; i++) noise[i] = (float) r.nextGaussian() * 0.05f;
        for (int i = 0; i < 2; i++) asr.transcribe16k(noise, TranscribeOptions.defaults().withMaxNewTokens(tokens));
    }

    /**
     * Each part's delay: when its text came back, minus when its last sample was played; split into
     * the rule's wait (audio past the part's end that the detector or the cut search needed), the
     * backlog (how far behind real time the consumer was when that audio reached it) and the decode.
     */
    private static void parts(QwenAsr asr, AudioCapture capture, TranscribeOptions o, String mode) {
        List<double[]> rows = new ArrayList<>();
        try (SegmentedSession s = asr.openSegmented(o)) {
            capture.start();
            long t0 = System.nanoTime();
            CapturedAudio b;
            double heard = 0;
            while ((b = capture.next()) != null) {
                heard += b.length() / 16_000.0;
                double received = (System.nanoTime() - t0) / 1e9;
                long cpu0 = OS.getProcessCpuTime();
                List<Transcription.Segment> done = s.push(b.samples(), 16_000);
                double cpu = (OS.getProcessCpuTime() - cpu0) / 1e9;
                double now = (System.nanoTime() - t0) / 1e9;
                for (Transcription.Segment seg : done) rows.add(report(seg, heard, received, now, cpu / done.size(), mode));
            }
            for (Transcription.Segment seg : s.finish()) {
                double now = (System.nanoTime() - t0) / 1e9;
                System.out.printf(Locale.ROOT, "%s part %.2f-%.2f s: at the end of the audio, text at %.2f s (not counted)%n",
                        mode, seg.startSeconds(), seg.endSeconds(), now);
            }
        }
        summary(mode, rows);
    }

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private static double[] report(Transcription.Segment seg, double heard, double received, double now, double cpu,
                                   String mode) {
        double delay = now - seg.endSeconds();
        double wait = heard - seg.endSeconds();
        double backlog = Math.max(0, received - heard);
        double decode = now - received;
        System.out.printf(Locale.ROOT, "%s part %.2f-%.2f s: text at %.2f s, %.0f ms after its end (rule %.0f ms, backlog %.0f ms, "
                + "decode %.0f ms, %.0f ms of CPU)%n", mode, seg.startSeconds(), seg.endSeconds(), now, delay * 1000, wait * 1000,
                backlog * 1000, decode * 1000, cpu * 1000);
        return new double[] {delay, wait, backlog, decode, cpu};
    }

    private static void summary(String what, List<double[]> rows) {
        if (rows.isEmpty()) return;
        double[] mean = new double[5];
        double max = 0;
        for (double[] r : rows) {
            for (int i = 0; i < 5; i++) mean[i] += r[i] / rows.size();
            max = Math.max(max, r[0]);
        }
        System.out.printf(Locale.ROOT, "%s: %d parts, delay mean %.0f ms (rule %.0f, backlog %.0f, decode %.0f, CPU %.0f), "
                        + "max %.0f ms%n", what, rows.size(), mean[0] * 1000, mean[1] * 1000, mean[2] * 1000, mean[3] * 1000,
                mean[4] * 1000, max * 1000);
    }

    /** --live --stream: the time of each step against the chunk it decodes, and the final text's delay. */
    private static void stream(QwenAsr asr, AudioCapture capture, int tokens) {
        List<Double> steps = new ArrayList<>();
        try (StreamingSession s = asr.openStream(StreamOptions.defaults())) {
            capture.start();
            long t0 = System.nanoTime();
            CapturedAudio b;
            double audio = 0;
            while ((b = capture.next()) != null) {
                audio += b.length() / 16_000.0;
                StreamUpdate u = s.push(b.samples(), 16_000);
                steps.addAll(u.stepMillis());
            }
            double end = (System.nanoTime() - t0) / 1e9;
            StreamUpdate last = s.finish();
            double done = (System.nanoTime() - t0) / 1e9;
            double mean = steps.stream().mapToDouble(Double::doubleValue).average().orElse(0);
            double max = steps.stream().mapToDouble(Double::doubleValue).max().orElse(0);
            System.out.printf(Locale.ROOT, "stream: %.2f s of audio, %d steps of %.1f s: mean %.0f ms, max %.0f ms; "
                            + "the final step took %.0f ms after the audio ended (%d chars committed)%n", audio, steps.size(),
                    StreamOptions.DEFAULT_CHUNK_SECONDS, mean, max, (done - end) * 1000, last.committedText().length());
        }
    }

    /** CPU per second of captured digital silence with the detector running: the capture and consumer threads, and the process. */
    private static void idle(VoiceActivity rules, double seconds) throws Exception {
        TestDevices.install(TestDevice.playing("bench", TestDevice.s16le(16_000, 1), new byte[0], 1).thenSilence());
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        io.github.qwenasr.vad.UtteranceFinder finder = new io.github.qwenasr.vad.UtteranceFinder(rules);
        try (AudioCapture capture = AudioCapture.open(TestDevices.only().select(null), AudioCapture.Options.DEFAULTS)) {
            capture.start();
            long me = Thread.currentThread().threadId();
            double warm = 5;
            long cpu0 = 0, proc0 = 0, t0 = 0, captureCpu0 = 0;
            double heard = 0;
            boolean measuring = false;
            CapturedAudio b;
            while ((b = capture.next()) != null) {
                heard += b.length() / 16_000.0;
                finder.push(b.samples());
                if (!measuring && heard >= warm) {
                    measuring = true;
                    cpu0 = threads.getThreadCpuTime(me);
                    captureCpu0 = captureThreadCpu(threads);
                    proc0 = os.getProcessCpuTime();
                    t0 = System.nanoTime();
                }
                if (measuring && heard >= warm + seconds) break;
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            double detector = (threads.getThreadCpuTime(me) - cpu0) / 1e9 / wall;
            double captureShare = (captureThreadCpu(threads) - captureCpu0) / 1e9 / wall;
            double process = (os.getProcessCpuTime() - proc0) / 1e9 / wall;
            System.out.printf(Locale.ROOT, "idle %s: %.0f s of silence; CPU per second: detector thread %.1f ms, "
                            + "capture thread %.1f ms (the test line's clock polling included), whole process %.1f ms%n",
                    rules.detector().label(), wall, detector * 1000, captureShare * 1000, process * 1000);
        }
    }

    private static long captureThreadCpu(ThreadMXBean threads) {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("qwen-asr-capture")) return threads.getThreadCpuTime(t.threadId());
        }
        return 0;
    }
}
