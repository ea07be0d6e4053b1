package io.github.qwenasr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.QwenAsr;
import io.github.qwenasr.audio.Resampler;
import io.github.qwenasr.capture.AudioCapture;
import io.github.qwenasr.capture.testing.TestAudio;
import io.github.qwenasr.capture.testing.TestDevice;
import io.github.qwenasr.capture.testing.TestDevices;
import io.github.qwenasr.json.Json;
import io.github.qwenasr.tools.Preset;
import io.github.qwenasr.tools.SyntheticCheckpoint;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.sound.sampled.AudioFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --live} end to end (docs/modes.md 7) through the real capture code: the sound system finds the
 * tests' mixer provider (META-INF/services) and its lines play WAV audio on the clock. On the tiny
 * random-weight model each live mode gives the text of the same mode on the file: --live --stream of
 * --stream, --live --vad of --vad, --live of -S. Device listing and selection, the overflow warning
 * and the errors (no device, unknown device, unreadable format) are checked on the command line.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LiveModeTest {
    private static final AudioFormat MONO16K = TestDevice.s16le(16_000, 1);

    @TempDir
    static Path tmp;
    private Path model;
    private Path speechWav;
    private byte[] speechPcm;
    private Path jfkWav;
    private byte[] jfkPcm;

    @BeforeAll
    void tinyModel() throws IOException {
        model = SyntheticCheckpoint.generate(Preset.TINY, 7, tmp.resolve("tiny"), 1, TestFiles.shared());
        speechWav = TestFiles.speechWav();
        speechPcm = TestFiles.wavDataChunk(Files.readAllBytes(speechWav));
        jfkWav = TestFiles.shared().resolve("data/audio/jfk.wav");
        jfkPcm = TestFiles.wavDataChunk(Files.readAllBytes(jfkWav));
    }

    @AfterEach
    void noDevices() {
        TestDevices.install();
    }

    private record Run(int exitCode, String stdout, String stderr) {
        Run ok() {
            assertEquals(ExitCodes.OK, exitCode, () -> "exit status; stderr:\n" + stderr);
            new CliRun(exitCode, stdout, stderr).assertNoStackTrace();
            return this;
        }

        CliRun cli() {
            return new CliRun(exitCode, stdout, stderr);
        }
    }

    private Run run(LiveAudio audio, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), QwenAsr::load, System.getenv(), audio);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Run run(String... args) {
        return run(new LiveAudio(TestDevices.only(), AudioCapture.Options.DEFAULTS), args);
    }

    private String[] withModel(String... args) {
        List<String> a = new ArrayList<>(List.of("-d", model.toString(), "-t", "2", "--max-new-tokens", "6"));
        a.addAll(Arrays.asList(args));
        return a.toArray(String[]::new);
    }

    private static TestDevice microphone(byte[] pcm, double speed) {
        return TestDevice.playing("Test Microphone", MONO16K, pcm, speed);
    }

    /** In real time: --live --stream commits the text --stream gives for the file. */
    @Test
    void liveStreamingGivesTheFilesStreamingText() {
        String[] fast = {"-d", model.toString(), "-t", "2", "--stream", "--stream-max-new-tokens", "6", "--stream-chunk-sec", "1"};
        Run file = run(concat(fast, "-i", speechWav.toString())).ok();
        TestDevices.install(microphone(speechPcm, 1));
        long t0 = System.nanoTime();
        Run live = run(concat(fast, "--live")).ok();
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertFalse(file.stdout().isBlank(), "the random model always says something");
        assertEquals(file.stdout(), live.stdout());
        assertTrue(seconds >= 3.6, "the device played the 3.64 s clip in real time: " + seconds + " s");
        assertTrue(live.stderr().contains("Capturing from input device 0 'Test Microphone' (16000 Hz, 1 ch, s16le)"), live.stderr());
        assertTrue(live.stderr().contains("Listening (streaming)... press Ctrl-C to stop"), live.stderr());
        // The test device goes away at the end of the clip, which ends the capture as an unplugged microphone would.
        assertTrue(live.stderr().contains("The input device stopped delivering audio; finishing with what was captured"),
                live.stderr());
    }

    /** --live --vad prints the text of --vad on the file: the same utterances, decoded the same way. */
    @Test
    void liveUtterancesGiveTheFilesVadText() {
        for (String detector : List.of("silero", "energy")) {
            Run file = run(withModel("-i", jfkWav.toString(), "--vad", detector)).ok();
            TestDevices.install(microphone(jfkPcm, 4));
            Run live = run(withModel("--live", "--vad", detector)).ok();
            assertFalse(file.stdout().isBlank(), detector);
            assertEquals(file.stdout(), live.stdout(), detector);
            int utterances = detector.equals("silero") ? 4 : 1;
            assertTrue(file.stderr().contains("Voice activity (" + detector + "): " + utterances + " utterance"), file.stderr());
            assertTrue(live.stderr().contains("Voice activity (" + detector + "): " + utterances + " utterance"), live.stderr());
            assertTrue(live.stderr().contains("Listening (utterances, " + detector + ")"), live.stderr());
        }
    }

    /** JSON lines: one object per utterance, as it is transcribed, with the times and texts of the file's segments. */
    @Test
    void jsonLinesCarryEachUtterancesTimes() throws IOException {
        Run file = run(withModel("-i", jfkWav.toString(), "--vad", "--output-format", "json")).ok();
        List<?> segments = (List<?>) Json.parseObject(file.stdout()).get("segments");
        assertEquals(4, segments.size());
        TestDevices.install(microphone(jfkPcm, 4));
        Run live = run(withModel("--live", "--vad", "--output-format", "json")).ok();
        List<String> lines = live.stdout().lines().toList();
        assertEquals(segments.size(), lines.size(), live.stdout());
        for (int i = 0; i < lines.size(); i++) {
            assertEquals(segments.get(i), Json.parseObject(lines.get(i)), "utterance " + i);
        }
        // The utterances lie where the golden regions of the silero-vad package put them (jfk: 0.32-2.27 s, ...).
        Map<?, ?> first = (Map<?, ?>) segments.get(0);
        assertEquals(0.32, ((Number) first.get("start")).doubleValue(), 0.04);
        assertEquals(2.27, ((Number) first.get("end")).doubleValue(), 0.04);
        // With -o the whole document is written at the end, as for the file.
        Path out = tmp.resolve("live.json");
        TestDevices.install(microphone(jfkPcm, 4));
        run(withModel("--live", "--vad", "--output-format", "json", "-o", out.toString())).ok();
        Map<String, Object> doc = Json.parseObject(Files.readString(out));
        assertEquals(Json.parseObject(file.stdout()).get("text"), doc.get("text"));
        assertEquals(segments, doc.get("segments"));
    }

    /** --live alone cuts segments at quiet points as -S does in a file; -S defaults to 5 s. */
    @Test
    void liveSegmentsGiveTheFilesSegmentedText() {
        Run file = run(withModel("-i", jfkWav.toString(), "-S", "3", "--debug")).ok();
        assertTrue(file.stderr().contains("Segments: 3 ") || file.stderr().contains("Segments: 4 "), file.stderr());
        TestDevices.install(microphone(jfkPcm, 4));
        Run live = run(withModel("--live", "-S", "3")).ok();
        assertEquals(file.stdout(), live.stdout());
        assertTrue(live.stderr().contains("Listening (segments of about 3 s)"), live.stderr());
        // The default length: 5 s segments of the 11 s clip.
        Run file5 = run(withModel("-i", jfkWav.toString(), "-S", "5")).ok();
        TestDevices.install(microphone(jfkPcm, 4));
        assertEquals(file5.stdout(), run(withModel("--live")).ok().stdout());
    }

    /** A 44.1 kHz stereo device: averaged and resampled as the file of the same audio is. */
    @Test
    void aDeviceAtAnotherRateGivesTheFilesText() throws IOException {
        short[] mono = TestAudio.shorts(speechPcm);
        float[] x = new float[mono.length];
        for (int i = 0; i < x.length; i++) x[i] = mono[i] / 32768f;
        float[] up = Resampler.resample(x, 16_000, 44_100);
        short[] stereo = new short[2 * up.length];
        for (int i = 0; i < up.length; i++) {
            stereo[2 * i] = (short) Math.max(-32768, Math.min(32767, Math.round(up[i] * 32767)));
            stereo[2 * i + 1] = (short) Math.round(up[i] * 12000);
        }
        Path wav = tmp.resolve("speech-44k-stereo.wav");
        Files.write(wav, TestAudio.wavS16(stereo, 44_100, 2));
        Run file = run(withModel("-i", wav.toString(), "--vad")).ok();
        TestDevices.install(TestDevice.playing("Studio", TestDevice.s16le(44_100, 2), TestAudio.s16le(stereo), 8));
        Run live = run(withModel("--live", "--vad")).ok();
        assertEquals(file.stdout(), live.stdout());
        assertTrue(live.stderr().contains("(44100 Hz, 2 ch, s16le)"), live.stderr());
    }

    /** Decoding slower than the device: the oldest audio beyond the buffer is dropped, with a warning, and the run ends normally. */
    @Test
    void decodingThatFallsBehindDropsTheOldestAudioWithAWarning() {
        TestDevices.install(microphone(jfkPcm, Double.POSITIVE_INFINITY));
        Run r = run(new LiveAudio(TestDevices.only(), AudioCapture.Options.DEFAULTS.withBufferSeconds(0.5)),
                withModel("--live", "--vad", "--output-format", "json")).ok();
        assertTrue(r.stderr().lines().anyMatch(l -> l.matches("Warning: decoding fell behind the input device; dropped the "
                + "oldest \\d+\\.\\d\\d s of audio at \\d+\\.\\d s \\(\\d+\\.\\d s dropped so far\\)")), r.stderr());
        // The time line keeps the dropped audio: the whole clip, 11.0 s.
        assertTrue(r.stderr().contains(" s of speech in 11.0 s"), r.stderr());
        for (String line : r.stdout().lines().toList()) {
            double end = ((Number) Json.parseObject(line).get("end")).doubleValue();
            assertTrue(end <= 11.0 + 1e-9, line);
        }
    }

    @Test
    void devicesAreListedWithTheirNumbersNamesAndFormats() {
        AudioFormat anyRate = new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, -1, 16, 2, 4, -1, false);
        TestDevices.install(microphone(speechPcm, 1).offering(List.of(MONO16K, anyRate)),
                TestDevice.playing("USB Headset", TestDevice.s16le(48_000, 2), new byte[0], 1));
        Run r = run("--list-devices").ok();
        assertEquals("""
                Audio input devices:
                  0  Test Microphone (test input device)  [default]
                      formats: s16le; 1-2 ch; any rate
                  1  USB Headset (test input device)
                      formats: s16le; 2 ch; 48000 Hz
                """, r.stdout());
        assertEquals("", r.stderr());
        TestDevices.install();
        assertEquals("No audio input devices found.\n", run("--list-devices").ok().stdout());
    }

    @Test
    void aDeviceIsPickedByNumberOrName() {
        TestDevices.install(TestDevice.playing("Built-in Microphone", MONO16K, new byte[16_000], Double.POSITIVE_INFINITY),
                TestDevice.playing("USB Headset", MONO16K, speechPcm, Double.POSITIVE_INFINITY));
        Run byNumber = run(withModel("--live", "--vad", "--device", "1")).ok();
        assertTrue(byNumber.stderr().contains("Capturing from input device 1 'USB Headset'"), byNumber.stderr());
        assertFalse(byNumber.stdout().isBlank(), "the headset plays the speech clip");
        TestDevices.install(TestDevice.playing("Built-in Microphone", MONO16K, new byte[16_000], Double.POSITIVE_INFINITY),
                TestDevice.playing("USB Headset", MONO16K, speechPcm, Double.POSITIVE_INFINITY));
        Run byName = run(withModel("--live", "--vad", "--device", "headset")).ok();
        assertTrue(byName.stderr().contains("Capturing from input device 1 'USB Headset'"), byName.stderr());
        assertEquals(byNumber.stdout(), byName.stdout());
        // The default is the first device: one second of digital silence, no utterance, an empty line.
        TestDevices.install(TestDevice.playing("Built-in Microphone", MONO16K, new byte[32_000], Double.POSITIVE_INFINITY));
        Run silent = run(withModel("--live", "--vad")).ok();
        assertEquals("\n", silent.stdout());
        assertTrue(silent.stderr().contains("Voice activity (silero): 0 utterances, 0.0 s of speech in 1.0 s"), silent.stderr());
    }

    /** Every device problem is one line and exit status 1, found before the model is loaded. */
    @Test
    void deviceErrorsAreOneLineBeforeTheModelLoads() {
        TestDevices.install();
        Run none = run(withModel("--live", "--vad"));
        none.cli().assertFailure(ExitCodes.FAILURE, "no audio input device found");
        TestDevices.install(microphone(speechPcm, 1), TestDevice.playing("USB Headset", MONO16K, new byte[0], 1));
        run(withModel("--live", "--device", "7")).cli().assertFailure(ExitCodes.FAILURE,
                "no input device number 7; there are 2 (0 to 1): 0 'Test Microphone', 1 'USB Headset'");
        run(withModel("--live", "--device", "Blue Yeti")).cli().assertFailure(ExitCodes.FAILURE,
                "no input device matches 'Blue Yeti'; input devices: 0 'Test Microphone', 1 'USB Headset'");
        AudioFormat ulaw = new AudioFormat(AudioFormat.Encoding.ULAW, 8000, 8, 1, 1, 8000, false);
        TestDevices.install(TestDevice.playing("Phone Line", ulaw, new byte[0], 1));
        Run format = run("-d", model.toString(), "--live", "--stream");
        format.cli().assertFailure(ExitCodes.FAILURE, "input device 0 'Phone Line' offers no format qwen-asr can read");
        for (Run r : List.of(none, format)) assertFalse(r.stderr().contains("Loading model"), r.stderr());
    }

    @Test
    void flagsWithoutMeaningAreUsageErrors() {
        String[][] cases = {
                {"--live", "-i", "x.wav"}, {"--live", "--stdin"}, {"--device", "1", "-i", "x.wav"},
                {"--vad", "--stream", "-i", "x.wav"}, {"--vad", "-S", "10", "-i", "x.wav"},
                {"--vad", "--skip-silence", "-i", "x.wav"}, {"--live", "--output-format", "srt"},
                {"--live", "--timestamps"}, {"--live", "--skip-silence"}, {"--live", "-S", "0"},
                {"--list-devices", "-i", "x.wav"}, {"--vad", "webrtc", "-i", "x.wav"}, {"--live", "--align", "words"}};
        for (String[] c : cases) {
            CliRun r = CliRun.of(concat(new String[] {"-d", model.toString()}, c));
            r.assertFailure(ExitCodes.USAGE);
            assertTrue(r.errorLines().get(0).endsWith("(see qwen-asr --help)"), String.join(" ", c) + ": " + r.stderr());
        }
        assertTrue(CliRun.of("-d", model.toString()).errorLines().get(0).contains("give -i <audio>, --stdin or --live"));
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
