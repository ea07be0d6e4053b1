package io.github.qwenasr.audio;

import static io.github.qwenasr.audio.FfmpegFixtures.ffmpeg;
import static io.github.qwenasr.audio.FfmpegFixtures.make;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.mel.LogMel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files decoded by ffmpeg (made by ffmpeg from the shared clips at test time): the samples equal the
 * WAV's where the decode is lossless at 16 kHz, any read pattern gives the same samples as one
 * sequential read, restarts are rare and repeatable, lossy formats stay close to the original at the
 * log-mel level, and every failure is one clear line in bounded time.
 */
class FfmpegFileSourceTest {
    private static final Duration BOUND = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private static Path clip(String name) {
        return SharedAudio.clip(name);
    }

    private static float[] wavSamples(Path wav) {
        try (WavFileSource s = WavFileSource.open(wav)) {
            return s.readAll();
        }
    }

    @Test
    void flacOfA16kHzWavGivesBitIdenticalSamples() throws Exception {
        Path wav = clip("test_speech.wav");
        Path flac = make(dir.resolve("speech.flac"), "-i", wav.toString());
        try (FfmpegFileSource s = FfmpegFileSource.open(flac, ffmpeg())) {
            assertArrayEquals(wavSamples(wav), s.readAll());
            assertArrayEquals(Arrays.copyOfRange(wavSamples(wav), 5000, 9000), s.read(5000, 4000));
            assertEquals(1, s.decodePasses(), "a file shorter than the window is decoded once");
        }
    }

    @Test
    void stereoIsTheMeanOfTheChannelsAsForWav() throws Exception {
        Path stereoWav = make(dir.resolve("stereo.wav"), "-i", clip("jfk.wav").toString(), "-i",
                clip("notld_20s_no_authentic_way_for_us_to_say.wav").toString(), "-filter_complex",
                "[0:a][1:a]amerge=inputs=2", "-t", "8", "-c:a", "pcm_s16le");
        Path flac = make(dir.resolve("stereo.flac"), "-i", stereoWav.toString());
        try (AudioSource s = AudioInput.open(flac, ffmpeg())) {
            assertInstanceOf(FfmpegFileSource.class, s);
            assertArrayEquals(wavSamples(stereoWav), s.readAll());
        }
    }

    /** Any mix of forward reads, overlaps and jumps back gives the WAV's samples; only jumps back restart. */
    @Test
    void readsInAnyOrderGiveTheSameSamplesAndOnlyReadingBackRestarts() throws Exception {
        Path wav = clip("notld_45s_right_through_the_billboard.wav");
        float[] expected = wavSamples(wav);
        Path flac = make(dir.resolve("long.flac"), "-i", wav.toString());
        int window = 48_000; // 3 s, so that the test can step outside it
        try (FfmpegFileSource s = FfmpegFileSource.open(flac, "long.flac", InputFormat.FLAC, ffmpeg(),
                FfmpegFileSource.STALL_MILLIS, window)) {
            assertEquals(expected.length, s.length());
            assertEquals(1, s.decodePasses(), "opening decodes once");
            // Increasing reads with overlaps inside the window: one more pass.
            int pos = 0;
            Random r = new Random(5);
            while (pos < expected.length - 40_000) {
                // Back by less than the window minus one reader block (16384 samples) it may run ahead.
                int start = Math.max(0, pos - r.nextInt(16_000));
                int count = 1 + r.nextInt(40_000);
                assertArrayEquals(Arrays.copyOfRange(expected, start, start + count), s.read(start, count));
                pos = start + count;
            }
            assertEquals(2, s.decodePasses());
            // A read behind the window starts again from the beginning.
            assertArrayEquals(Arrays.copyOfRange(expected, 1000, 3000), s.read(1000, 2000));
            assertEquals(3, s.decodePasses());
            // Random reads: always right, however many restarts they cost.
            for (int i = 0; i < 20; i++) {
                int start = r.nextInt(expected.length - 1);
                int count = 1 + r.nextInt(Math.min(100_000, expected.length - start));
                assertArrayEquals(Arrays.copyOfRange(expected, start, start + count), s.read(start, count), "read " + i);
            }
            // Reading the end completes a pass; a later read inside the window needs no new one.
            s.read(expected.length - 100, 100);
            int passes = s.decodePasses();
            assertArrayEquals(Arrays.copyOfRange(expected, expected.length - 5000, expected.length - 4000),
                    s.read(expected.length - 5000, 1000));
            assertEquals(passes, s.decodePasses());
        }
    }

    /** Lossy and resampled: restarted decodes must give exactly the samples of the first one. */
    @Test
    void restartedDecodesOfAResampledMp3AreIdentical() throws Exception {
        Path mp3 = make(dir.resolve("speech44.mp3"), "-i", clip("notld_20s_no_authentic_way_for_us_to_say.wav").toString(),
                "-ar", "44100", "-ac", "2", "-b:a", "96k");
        try (FfmpegFileSource s = FfmpegFileSource.open(mp3, "speech44.mp3", InputFormat.MP3, ffmpeg(),
                FfmpegFileSource.STALL_MILLIS, 48_000)) {
            float[] all = s.readAll();
            float[] again = s.read(0, all.length);
            assertEquals(3, s.decodePasses());
            assertArrayEquals(all, again);
            assertArrayEquals(Arrays.copyOfRange(all, 100_000, 150_000), s.read(100_000, 50_000));
            try (FfmpegFileSource other = FfmpegFileSource.open(mp3, ffmpeg())) {
                assertArrayEquals(all, other.readAll());
            }
        }
    }

    /**
     * The lossy codecs stay within their coding noise of the original at the model's input: mean
     * |log-mel difference| below 0.1 (measured 0.010-0.068 for these settings, 0.0013 for FLAC at 44.1
     * kHz resampled by ffmpeg), while the same clip 20 ms late is at 0.13 and another clip at 0.33.
     */
    @Test
    void lossyFormatsAreCloseToTheWavAtTheLogMelLevel() throws Exception {
        Path wav = clip("notld_20s_no_authentic_way_for_us_to_say.wav");
        LogMel.Features reference = LogMel.compute(wavSamples(wav));
        String[][] formats = {
                {"speech.mp3", "-b:a", "64k"},
                {"speech.ogg", "-c:a", "libopus"},
                {"speech.oga", "-c:a", "libvorbis"},
                {"speech.m4a", "-c:a", "aac"},
                {"speech44.flac", "-ar", "44100"},
        };
        for (String[] f : formats) {
            String[] args = new String[f.length + 1];
            args[0] = "-i";
            args[1] = wav.toString();
            System.arraycopy(f, 1, args, 2, f.length - 1);
            Path file = make(dir.resolve(f[0]), args);
            try (AudioSource s = AudioInput.open(file, ffmpeg())) {
                assertTrue(Math.abs(s.length() - reference.frames() * 160) < 1600, f[0] + " length " + s.length());
                double d = meanMelDifference(reference, LogMel.compute(s.readAll()));
                assertTrue(d < 0.1, f[0] + ": mean |log-mel difference| " + d);
            }
        }
        Path late = make(dir.resolve("late.flac"), "-i", wav.toString(), "-af", "adelay=20");
        try (AudioSource s = AudioInput.open(late, ffmpeg())) {
            double d = meanMelDifference(reference, LogMel.compute(s.readAll()));
            assertTrue(d > 0.1, "the bound tells a 20 ms shift apart: " + d);
        }
    }

    private static double meanMelDifference(LogMel.Features a, LogMel.Features b) {
        int frames = Math.min(a.frames(), b.frames());
        double sum = 0;
        for (int f = 0; f < frames; f++) {
            for (int m = 0; m < LogMel.N_MELS; m++) sum += Math.abs(a.get(m, f) - b.get(m, f));
        }
        return sum / frames / LogMel.N_MELS;
    }

    /** Float audio louder than full scale is divided by its peak, as docs/model.md 2.1 step 4 says. */
    @Test
    void thePeakGuardDividesByTheWholeSignalsPeak() throws Exception {
        int n = 48_000;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (2.5 * Math.sin(i * 0.01) * (i < n / 2 ? 0.3 : 1.0));
        float peak = 0;
        for (float v : x) peak = Math.max(peak, Math.abs(v));
        ByteBuffer raw = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : x) raw.putFloat(v);
        Path f32 = Files.write(dir.resolve("loud.f32"), raw.array());
        Path mka = make(dir.resolve("loud.mka"), "-f", "f32le", "-ar", "16000", "-ac", "1", "-i", f32.toString(),
                "-c:a", "pcm_f32le");
        try (AudioSource s = AudioInput.open(mka, ffmpeg())) {
            float[] got = s.readAll();
            assertEquals(n, got.length);
            for (int i = 0; i < n; i++) assertEquals(x[i] / peak, got[i], 0f, "sample " + i);
        }
    }

    @Test
    void wavEncodingsTheJavaDecoderLacksGoToFfmpeg() throws Exception {
        Path wav = clip("test_speech.wav");
        Path alaw = make(dir.resolve("alaw.wav"), "-i", wav.toString(), "-c:a", "pcm_alaw");
        try (AudioSource s = AudioInput.open(alaw, ffmpeg())) {
            assertInstanceOf(FfmpegFileSource.class, s);
            float[] ref = wavSamples(wav);
            float[] got = s.readAll();
            assertEquals(ref.length, got.length);
            double err = 0;
            for (int i = 0; i < ref.length; i++) err = Math.max(err, Math.abs(ref[i] - got[i]));
            assertTrue(err < 0.02, "A-law error " + err);
        }
        QwenAsrException e = assertThrows(QwenAsrException.class,
                () -> AudioInput.open(alaw, Ffmpeg.at(dir.resolve("no-ffmpeg"))));
        assertTrue(e.getMessage().contains("unsupported WAV encoding"), e.getMessage());
        try (AudioSource s = AudioInput.open(wav, ffmpeg())) {
            assertInstanceOf(WavFileSource.class, s);
        }
    }

    // ---- failures ----

    private QwenAsrException failure(Path file, Ffmpeg ffmpeg) {
        return assertTimeoutPreemptively(BOUND, () -> assertThrows(QwenAsrException.class,
                () -> AudioInput.open(file, ffmpeg).close()));
    }

    private static void assertOneLine(String message, String... fragments) {
        assertTrue(message.lines().count() == 1, message);
        for (String f : fragments) assertTrue(message.contains(f), "'" + f + "' missing from: " + message);
    }

    @Test
    void aTruncatedMp3Fails() throws Exception {
        Path mp3 = make(dir.resolve("full.mp3"), "-i", clip("jfk.wav").toString(), "-b:a", "64k");
        byte[] bytes = Files.readAllBytes(mp3);
        Path cut = Files.write(dir.resolve("cut.mp3"), Arrays.copyOf(bytes, bytes.length / 2));
        assertOneLine(failure(cut, ffmpeg()).getMessage(), cut + ": damaged MP3 audio", "convert it first");
    }

    @Test
    void aTruncatedFlacFails() throws Exception {
        Path flac = make(dir.resolve("full.flac"), "-i", clip("jfk.wav").toString());
        byte[] bytes = Files.readAllBytes(flac);
        Path cut = Files.write(dir.resolve("cut.flac"), Arrays.copyOf(bytes, bytes.length * 3 / 4));
        assertOneLine(failure(cut, ffmpeg()).getMessage(), cut + ": damaged FLAC audio");
    }

    @Test
    void garbageBehindAnMp3HeaderFails() throws IOException {
        byte[] garbage = new byte[30_000];
        new Random(3).nextBytes(garbage);
        garbage[0] = (byte) 0xFF;
        garbage[1] = (byte) 0xFB;
        garbage[2] = (byte) 0x90;
        garbage[3] = 0x64;
        Path file = Files.write(dir.resolve("garbage.mp3"), garbage);
        assertOneLine(failure(file, ffmpeg()).getMessage(), file + ": ffmpeg cannot decode this MP3 file: ");
    }

    @Test
    void aVideoWithoutAudioFails() throws Exception {
        Path mp4 = make(dir.resolve("silent-film.mp4"), "-f", "lavfi", "-i", "testsrc=size=64x48:rate=5", "-t", "2",
                "-c:v", "mpeg4");
        assertOneLine(failure(mp4, ffmpeg()).getMessage(), mp4 + ": no audio stream in it");
    }

    @Test
    void anEmptyAudioStreamIsEmpty() throws Exception {
        Path wav = clip("jfk.wav");
        Path tiny = make(dir.resolve("blip.flac"), "-i", wav.toString(), "-t", "0.005");
        assertOneLine(failure(tiny, ffmpeg()).getMessage(), tiny + ": audio too short");
    }

    @Test
    void withoutFfmpegTheErrorNamesTheFormatAndHowToInstallIt() throws Exception {
        Path mp3 = make(dir.resolve("talk.mp3"), "-i", clip("jfk.wav").toString());
        Ffmpeg none = Ffmpeg.at(dir.resolve("nowhere/ffmpeg"));
        String m = failure(mp3, none).getMessage();
        assertOneLine(m, mp3 + ": MP3 audio needs ffmpeg", "ffmpeg was not found at " + dir.resolve("nowhere/ffmpeg"),
                "apt install ffmpeg", "brew install ffmpeg", "winget install ffmpeg", "choco install ffmpeg");
        Path unknown = Files.write(dir.resolve("data.bin"), new byte[] {0x12, 0x34, 0x56, 0x78, 9, 9, 9, 9, 9, 9, 9, 9, 9});
        assertOneLine(failure(unknown, none).getMessage(), unknown + ": input that is not WAV (an unknown format) needs ffmpeg");
    }

    @Test
    void notAudioIsRefusedWithoutRunningFfmpeg() throws IOException {
        Path png = Files.write(dir.resolve("x.png"), Arrays.copyOf(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10}, 64));
        assertOneLine(failure(png, Ffmpeg.at(dir.resolve("none"))).getMessage(), png + ": not a WAV file (looks like a PNG image)");
        Path text = Files.writeString(dir.resolve("notes.mp3"), "these are words, not sound\n".repeat(10));
        assertOneLine(failure(text, Ffmpeg.at(dir.resolve("none"))).getMessage(), text + ": not a WAV file (no RIFF header)");
    }

    @Test
    void aFileChangedBetweenPassesFails() throws Exception {
        Path wav = clip("notld_10s_back_down_the_road.wav");
        Path flac = make(dir.resolve("a.flac"), "-i", wav.toString());
        Path quieter = make(dir.resolve("b.flac"), "-i", wav.toString(), "-af", "volume=0.5");
        // A 3 s window, so that reading the start needs a second pass over the 10 s file.
        try (FfmpegFileSource s = FfmpegFileSource.open(flac, "a.flac", InputFormat.FLAC, ffmpeg(),
                FfmpegFileSource.STALL_MILLIS, 48_000)) {
            Files.move(quieter, flac, StandardCopyOption.REPLACE_EXISTING);
            assertEquals(1000, s.read(0, 1000).length); // checked only once a checksum block is complete
            QwenAsrException e = assertThrows(QwenAsrException.class, () -> s.read(s.length() - 1000, 1000));
            assertOneLine(e.getMessage(), "was the file changed while it was read?");
        }
    }

    /** A stand-in ffmpeg that runs the real one, then misbehaves as {@code body} says. */
    private Ffmpeg fakeFfmpeg(String body) throws IOException {
        Path script = dir.resolve("fake-ffmpeg");
        String real = ffmpeg().executable().orElseThrow().toString();
        Files.writeString(script, "#!/bin/sh\n"
                + "for a in \"$@\"; do [ \"$a\" = -version ] && exec \"" + real + "\" \"$@\"; done\n"
                + body.replace("REAL", "\"" + real + "\"") + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return Ffmpeg.at(script);
    }

    @Test
    void anFfmpegKilledMidwayFailsInsteadOfShorteningTheAudio() throws Exception {
        Path flac = make(dir.resolve("long.flac"), "-i", clip("notld_45s_right_through_the_billboard.wav").toString());
        Ffmpeg killed = fakeFfmpeg("REAL \"$@\" 2>/dev/null | head -c 300000\nexit 137");
        assertOneLine(failure(flac, killed).getMessage(), flac + ": ffmpeg was stopped (exit status 137)");
    }

    @Test
    void aHungFfmpegIsStoppedAfterTheStallTimeout() throws Exception {
        Path flac = make(dir.resolve("x.flac"), "-i", clip("jfk.wav").toString());
        Ffmpeg hung = fakeFfmpeg("REAL \"$@\" | head -c 100000\nexec sleep 600");
        QwenAsrException e = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThrows(QwenAsrException.class,
                () -> FfmpegFileSource.open(flac, "x.flac", InputFormat.FLAC, hung, 1_000, FfmpegFileSource.WINDOW_SAMPLES)));
        assertOneLine(e.getMessage(), "x.flac: ffmpeg produced no audio for 1 s; stopped it");
    }
}
