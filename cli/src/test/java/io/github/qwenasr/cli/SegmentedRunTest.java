package io.github.qwenasr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.audio.AudioLoader;
import io.github.qwenasr.audio.AudioSource;
import io.github.qwenasr.longform.Segmenter;
import io.github.qwenasr.longform.SilenceCompactor;
import io.github.qwenasr.tools.Preset;
import io.github.qwenasr.tools.SyntheticCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * -S and --skip-silence through the whole command on the tiny random-weight model and the shared
 * 45 s clip (720 001 samples at 16 kHz, from its WAV header). The words are meaningless; the tests
 * check the segment plan the command reports against the core segmenter, and the stderr lines.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SegmentedRunTest {
    private static final Pattern SILENCE = Pattern.compile(
            "Silence skip: used (\\d+\\.\\d)%, skipped (\\d+\\.\\d)% \\((\\d+) -> (\\d+) samples\\)");
    private static final Pattern SEGMENT = Pattern.compile("Segment (\\d+): (\\d+\\.\\d\\d)-(\\d+\\.\\d\\d) s .*");

    @TempDir
    static Path tmp;
    private Path model;
    private Path wav;
    private float[] audio;

    @BeforeAll
    void generateModel() throws IOException {
        model = SyntheticCheckpoint.generate(Preset.TINY, 7, tmp.resolve("tiny"), 1, TestFiles.shared());
        wav = TestFiles.shared().resolve("data/audio/notld_45s_right_through_the_billboard.wav");
        if (!Files.isRegularFile(wav)) throw new IllegalStateException("missing fixture " + wav);
        audio = AudioLoader.load16k(wav);
        assertEquals(720001, audio.length);
    }

    private CliRun run(String... flags) {
        String[] base = {"-d", model.toString(), "-i", wav.toString(), "-t", "2", "--max-new-tokens", "4"};
        String[] args = Arrays.copyOf(base, base.length + flags.length);
        System.arraycopy(flags, 0, args, base.length, flags.length);
        return CliRun.of(args);
    }

    @Test
    void segmentedDebugListsTheSegmenterRanges() {
        List<Segmenter.Range> plan = Segmenter.split(AudioSource.of(audio), 10, 3);
        assertTrue(plan.size() >= 4 && plan.size() <= 5, "plan: " + plan.size());
        CliRun r = run("-S", "10", "--debug");
        assertEquals(ExitCodes.OK, r.exitCode(), r.stderr());
        assertEquals(1, r.stdout().lines().count());
        List<String> segments = r.stderrLines().stream().filter(l -> l.startsWith("Segment ")).toList();
        assertEquals(plan.size(), segments.size(), r.stderr());
        assertTrue(r.stderr().contains("Segments: " + plan.size() + " "), r.stderr());
        for (int i = 0; i < plan.size(); i++) {
            Matcher m = SEGMENT.matcher(segments.get(i));
            assertTrue(m.matches(), segments.get(i));
            assertEquals(i + 1, Integer.parseInt(m.group(1)));
            assertEquals(plan.get(i).startSeconds(), Double.parseDouble(m.group(2)), 0.006);
            assertEquals(plan.get(i).endSeconds(), Double.parseDouble(m.group(3)), 0.006);
        }
        assertTrue(r.stderr().contains("Pieces: " + plan.size() + " decoder runs"), r.stderr());
        assertFalse(r.stderr().contains("Silence skip"), "no compaction without --skip-silence");
    }

    @Test
    void skipSilencePrintsItsLineAtDefaultVerbosity() {
        CliRun r = run("-S", "10", "--skip-silence");
        assertEquals(ExitCodes.OK, r.exitCode(), r.stderr());
        List<String> lines = r.stderrLines().stream().filter(l -> l.startsWith("Silence skip")).toList();
        assertEquals(1, lines.size(), r.stderr());
        Matcher m = SILENCE.matcher(lines.get(0));
        assertTrue(m.matches(), lines.get(0));
        long before = Long.parseLong(m.group(3));
        long after = Long.parseLong(m.group(4));
        assertEquals(720001, before);
        assertTrue(after > 0 && after < before, lines.get(0));
        double used = Double.parseDouble(m.group(1));
        assertEquals(100.0 * after / before, used, 0.051);
        assertEquals(100.0 - used, Double.parseDouble(m.group(2)), 0.051);
        assertFalse(r.stderr().contains("Segment "), "segment ranges are --debug only");
        // The same compaction as the core's (the count the engine decodes).
        assertEquals(SilenceCompactor.compact(AudioSource.of(audio)).audio().length(), after);
    }

    @Test
    void skipSilenceWithDebugMapsSegmentsToOriginalTimes() {
        AudioSource compacted = SilenceCompactor.compact(AudioSource.of(audio)).audio();
        int planned = Segmenter.split(compacted, 10, 3).size();
        CliRun r = run("-S", "10", "--skip-silence", "--past-text", "yes", "--debug");
        assertEquals(ExitCodes.OK, r.exitCode(), r.stderr());
        List<String> segments = r.stderrLines().stream().filter(l -> SEGMENT.matcher(l).matches()).toList();
        assertEquals(planned, segments.size(), r.stderr());
        double last = 0;
        for (String s : segments) {
            Matcher m = SEGMENT.matcher(s);
            assertTrue(m.matches());
            double start = Double.parseDouble(m.group(2));
            double end = Double.parseDouble(m.group(3));
            assertTrue(start >= last - 1e-9 && end > start && end <= 45.0001, s);
            last = end;
        }
        // Dropped pauses make the original span longer than the compacted one.
        assertTrue(last > compacted.length() / 16000.0, "last end " + last);
    }
}
