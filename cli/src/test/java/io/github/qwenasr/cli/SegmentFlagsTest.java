package io.github.qwenasr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Validation of -S, -W, --past-text and --skip-silence (docs/modes.md 4, 5; 12.1.9: no silent fallbacks).
 * Accepted values are shown by a run that gets past the command line and fails on the missing
 * model directory instead (exit 1).
 */
class SegmentFlagsTest {
    private static final String WAV = "speech.wav";
    private static final String NO_MODEL = "no-such-model-dir";

    @ParameterizedTest
    @ValueSource(strings = {"abc", "-1", "NaN", "Infinity", "", " ", "1e3", "0x10", "10s", "1,5", "10d", "+-3"})
    void badSegmentLength(String value) {
        CliRun.of("-d", NO_MODEL, "-i", WAV, "-S", value).assertFailure(ExitCodes.USAGE, "-S", "'" + value + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.5", "0.99", ".1"})
    void segmentShorterThanOneSecond(String value) {
        CliRun.of("-d", NO_MODEL, "-i", WAV, "-S", value)
                .assertFailure(ExitCodes.USAGE, "-S must be 0 (off) or at least 1 second, got '" + value + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "-2", "NaN", "-0.5", "", "Infinity"})
    void badSearchWindow(String value) {
        CliRun.of("-d", NO_MODEL, "-i", WAV, "-S", "10", "-W", value)
                .assertFailure(ExitCodes.USAGE, "-W", "'" + value + "'");
    }

    @Test
    void hugeNumbersAreOutOfRange() {
        CliRun.of("-d", NO_MODEL, "-i", WAV, "-S", "99999999999999").assertFailure(ExitCodes.USAGE, "-S", "range");
    }

    @ParameterizedTest
    @ValueSource(strings = {"maybe", "", "true", "y", "1"})
    void badPastText(String value) {
        CliRun.of("-d", NO_MODEL, "-i", WAV, "-S", "10", "--past-text", value)
                .assertFailure(ExitCodes.USAGE, "--past-text must be one of yes|no|auto, got '" + value + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-S", "-W", "--past-text"})
    void flagWithoutValue(String flag) {
        CliRun.of("-d", NO_MODEL, "-i", WAV, flag).assertFailure(ExitCodes.USAGE, flag);
    }

    @Test
    void skipSilenceTakesNoValue() {
        CliRun.of("-d", NO_MODEL, "-i", WAV, "--skip-silence=yes").assertFailure(ExitCodes.USAGE, "--skip-silence");
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "NO", "Auto", " yes "})
    void pastTextIsCaseInsensitive(String value) {
        accepted("-S", "20", "--past-text", value);
    }

    @Test
    void acceptedCombinations() {
        accepted("-S", "0");
        accepted("-S", "1");
        accepted("-S", "30", "-W", "0");
        accepted("-S", "12.5", "-W", "2.25", "--skip-silence");
        accepted("-S", "10", "-W", "5");           // at most half of -S
        accepted("-S", "1");                       // the default -W (3) is narrowed to S/2 silently
        accepted("--skip-silence");                // without -S: offline mode on compacted audio
        accepted("-S", "5", "-S", "10");           // the later value wins, as for every flag
    }

    @Test
    void everyValueGivenIsChecked() {
        // Each value is converted as it is read, so an invalid one is refused even when a later one
        // would replace it (as -t has always done).
        CliRun.of("-d", NO_MODEL, "-i", WAV, "-S", "-1", "-S", "10").assertFailure(ExitCodes.USAGE, "-S", "'-1'");
    }

    /** Like --stream-chunk-sec without --stream: flags that would have no effect are refused, not ignored. */
    @Test
    void segmentFlagsWithoutSegmentedModeAreUsageErrors() {
        CliRun.of("-d", NO_MODEL, "-i", WAV, "-W", "5").assertFailure(ExitCodes.USAGE, "-W needs -S");
        CliRun.of("-d", NO_MODEL, "-i", WAV, "-S", "0", "-W", "1").assertFailure(ExitCodes.USAGE, "-W needs -S");
        CliRun.of("-d", NO_MODEL, "-i", WAV, "--past-text", "yes")
                .assertFailure(ExitCodes.USAGE, "--past-text needs -S <secs> (segmented mode), --vad or --stream");
        CliRun.of("-d", NO_MODEL, "-i", WAV, "--timestamps", "--past-text", "no")
                .assertFailure(ExitCodes.USAGE, "--past-text needs -S");
        CliRun.of("-d", NO_MODEL, "-i", WAV, "--stream-chunk-sec", "1")
                .assertFailure(ExitCodes.USAGE, "--stream-chunk-sec needs --stream");
    }

    @Test
    void searchWindowAboveHalfTheSegmentIsRefused() {
        CliRun.of("-d", NO_MODEL, "-i", WAV, "-S", "10", "-W", "100")
                .assertFailure(ExitCodes.USAGE, "-W must be at most half of -S (5 s), got '100'");
        CliRun.of("-d", NO_MODEL, "-i", WAV, "-S", "12.5", "-W", "6.3")
                .assertFailure(ExitCodes.USAGE, "-W must be at most half of -S (6.25 s), got '6.3'");
        accepted("-S", "12.5", "-W", "6.25");
    }

    @Test
    void helpDocumentsTheFlags() {
        String help = CliRun.of("--help").stdout();
        String[] documented = {"-S\\s+<secs>", "-W\\s+<secs>", "--past-text\\s+yes\\|no\\|auto", "--skip-silence"};
        for (String flag : documented) {
            assertTrue(java.util.regex.Pattern.compile(flag).matcher(help).find(),
                    () -> flag + " not documented in\n" + help);
        }
    }

    private static void accepted(String... flags) {
        String[] args = new String[flags.length + 4];
        args[0] = "-d";
        args[1] = NO_MODEL;
        args[2] = "-i";
        args[3] = WAV;
        System.arraycopy(flags, 0, args, 4, flags.length);
        CliRun r = CliRun.of(args);
        assertEquals(ExitCodes.FAILURE, r.exitCode(), r.stderr());
        r.assertFailure(ExitCodes.FAILURE, "model directory not found");
    }
}
