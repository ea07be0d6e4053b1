package io.github.qwenasr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.QwenAsr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Command-line mistakes (docs/modes.md 1.2, with the earlier engines' silent fallbacks turned into errors):
 * each gives exit status 2, one "Error:" line naming the problem, and nothing else. None of these
 * runs gets as far as reading a model, so the paths need not exist.
 */
class UsageErrorsTest {
    private static final String WAV = "speech.wav";

    @Test
    void noArgumentsAtAll() {
        CliRun r = CliRun.of().assertFailure(ExitCodes.USAGE, "no input", "-i", "--stdin");
        assertEquals(1, r.stderrLines().size(), r.stderr());
    }

    @Test
    void missingInput() {
        CliRun.of("-d", "model").assertFailure(ExitCodes.USAGE, "-i", "--stdin");
    }

    @Test
    void fileAndStdinTogether() {
        CliRun.of("-d", "model", "-i", WAV, "--stdin").assertFailure(ExitCodes.USAGE, "mutually exclusive");
    }

    @Test
    void unknownFlag() {
        CliRun.of("-d", "model", "-i", WAV, "--fast").assertFailure(ExitCodes.USAGE, "--fast");
    }

    @Test
    void strayArgument() {
        CliRun.of("-d", "model", "-i", WAV, "other.wav").assertFailure(ExitCodes.USAGE, "other.wav");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-d", "-i", "-t", "--language", "--prompt", "--max-new-tokens", "--encoder-attention"})
    void flagWithoutValueAtTheEnd(String flag) {
        CliRun.of("-d", "model", "-i", WAV, flag).assertFailure(ExitCodes.USAGE, flag);
    }

    @Test
    void flagWhoseValueIsAnotherFlag() {
        CliRun.of("-d", "model", "--language", "-i", WAV).assertFailure(ExitCodes.USAGE, "--language");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "4.5", "", "99999999999"})
    void unparsableThreadCount(String value) {
        CliRun.of("-d", "model", "-i", WAV, "-t", value).assertFailure(ExitCodes.USAGE, "-t");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "257"})
    void threadCountOutOfRange(String value) {
        CliRun.of("-d", "model", "-i", WAV, "-t", value).assertFailure(ExitCodes.USAGE, "-t", "1 and 256", value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-5"})
    void maxNewTokensBelowOne(String value) {
        CliRun.of("-d", "model", "-i", WAV, "--max-new-tokens", value)
                .assertFailure(ExitCodes.USAGE, "--max-new-tokens", value);
    }

    @Test
    void unparsableMaxNewTokens() {
        CliRun.of("-d", "model", "-i", WAV, "--max-new-tokens", "many").assertFailure(ExitCodes.USAGE, "--max-new-tokens");
    }

    @ParameterizedTest
    @ValueSource(strings = {"en", "Klingon", "", "English,German"})
    void unsupportedLanguageListsTheSupportedNames(String value) {
        CliRun r = CliRun.of("-d", "model", "-i", WAV, "--language", value)
                .assertFailure(ExitCodes.USAGE, "unsupported language", "'" + value + "'");
        for (String name : QwenAsr.supportedLanguages()) {
            assertTrue(r.errorLines().get(0).contains(name), () -> name + " not listed: " + r.stderr());
        }
    }

    @Test
    void badEncoderAttention() {
        CliRun.of("-d", "model", "-i", WAV, "--encoder-attention", "sliding")
                .assertFailure(ExitCodes.USAGE, "windowed", "full", "sliding");
    }

    @Test
    void emptyPaths() {
        CliRun.of("-d", "", "-i", WAV).assertFailure(ExitCodes.USAGE, "-d");
        CliRun.of("-d", "model", "-i", "").assertFailure(ExitCodes.USAGE, "-i");
    }

    @Test
    void usageErrorIsOneLineEvenWithDebug() {
        CliRun r = CliRun.of("--debug", "-d", "model", "-t", "zero", "-i", WAV).assertFailure(ExitCodes.USAGE, "-t");
        assertEquals(1, r.stderrLines().size(), r.stderr());
    }
}
