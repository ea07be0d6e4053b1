package io.github.qwenasr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Validation of --stream and its flags (docs/modes.md 1.2, 6.1; 12.1.9: no silent fallbacks): every
 * combination that has no meaning in streaming mode and every bad number is exit status 2 with one
 * "Error:" line. Accepted combinations get past the command line and fail on the missing model
 * directory instead (exit 1).
 */
class StreamFlagsTest {
    private static final String WAV = "speech.wav";
    private static final String NO_MODEL = "no-such-model-dir";

    private static CliRun stream(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("-d", NO_MODEL, "-i", WAV, "--stream"));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void acceptedFlagsReachTheModelCheck() {
        stream("--stream-chunk-sec", "1.5", "--stream-max-new-tokens", "16", "--past-text", "AUTO",
                "--language", "english", "--prompt", "names: Ada", "-S", "0", "--encoder-attention", "windowed",
                "--output-format", "json", "--skip-silence")
                .assertFailure(ExitCodes.FAILURE, "model directory not found");
        CliRun.of("-d", NO_MODEL, "--stdin", "--stream", "--stream-chunk-sec", "0.1", "--past-text", "no")
                .assertFailure(ExitCodes.FAILURE, "model directory not found");
        stream("--stream-chunk-sec", "60").assertFailure(ExitCodes.FAILURE, "model directory not found");
    }

    @Test
    void segmentedModeFlags() {
        stream("-S", "10").assertFailure(ExitCodes.USAGE, "--stream", "-S");
        stream("-W", "2").assertFailure(ExitCodes.USAGE, "--stream", "-W");
    }

    @Test
    void alignmentAndTimestamps() {
        stream("--timestamps").assertFailure(ExitCodes.USAGE, "--stream", "--timestamps");
        stream("--align", "hello").assertFailure(ExitCodes.USAGE, "--stream", "--align");
        stream("--align-file", "text.txt").assertFailure(ExitCodes.USAGE, "--stream", "--align");
    }

    @ParameterizedTest
    @ValueSource(strings = {"srt", "vtt", "SRT"})
    void subtitleFormats(String format) {
        stream("--output-format", format).assertFailure(ExitCodes.USAGE, "--stream", "txt or json");
    }

    @Test
    void skipSilenceNeedsTheWholeRecording() {
        CliRun.of("-d", NO_MODEL, "--stdin", "--stream", "--skip-silence")
                .assertFailure(ExitCodes.USAGE, "--skip-silence", "--stdin --stream");
    }

    @Test
    void offlineTokenLimitAndFullAttentionDoNotApply() {
        stream("--max-new-tokens", "8").assertFailure(ExitCodes.USAGE, "--max-new-tokens", "--stream-max-new-tokens");
        stream("--encoder-attention", "full").assertFailure(ExitCodes.USAGE, "--encoder-attention", "full");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "-1", "NaN", "Infinity", "", "1e0", "2s", "0", "0.05", "60.5", "99999999999"})
    void badChunkLength(String value) {
        stream("--stream-chunk-sec", value).assertFailure(ExitCodes.USAGE, "--stream-chunk-sec", "'" + value + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1"})
    void maxNewTokensBelowOne(String value) {
        stream("--stream-max-new-tokens", value)
                .assertFailure(ExitCodes.USAGE, "--stream-max-new-tokens must be at least 1, got " + value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"many", "1.5", "", "99999999999"})
    void unparsableMaxNewTokens(String value) {
        stream("--stream-max-new-tokens", value).assertFailure(ExitCodes.USAGE, "--stream-max-new-tokens");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--stream-chunk-sec", "--stream-max-new-tokens"})
    void streamSettingsNeedStream(String flag) {
        CliRun.of("-d", NO_MODEL, "-i", WAV, flag, "2").assertFailure(ExitCodes.USAGE, flag, "needs --stream");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--stream-chunk-sec", "--stream-max-new-tokens"})
    void flagWithoutValue(String flag) {
        stream(flag).assertFailure(ExitCodes.USAGE, flag);
    }

    @Test
    void streamTakesNoValueAndBadPastTextIsRefused() {
        CliRun.of("-d", NO_MODEL, "-i", WAV, "--stream=yes").assertFailure(ExitCodes.USAGE, "--stream");
        stream("--past-text", "maybe").assertFailure(ExitCodes.USAGE, "--past-text must be one of yes|no|auto");
    }

    @Test
    void inputIsStillRequired() {
        CliRun.of("-d", NO_MODEL, "--stream").assertFailure(ExitCodes.USAGE, "no input");
        CliRun.of("-d", NO_MODEL, "--stream", "-i", WAV, "--stdin").assertFailure(ExitCodes.USAGE, "mutually exclusive");
    }

    @Test
    void usageErrorIsOneLineEvenWithDebug() {
        CliRun r = stream("--debug", "--stream-chunk-sec", "x").assertFailure(ExitCodes.USAGE, "--stream-chunk-sec");
        assertEquals(1, r.stderrLines().size(), r.stderr());
    }

    @Test
    void helpDocumentsStreaming() {
        String help = CliRun.of("--help").stdout();
        for (String s : List.of("--stream", "--stream-chunk-sec <secs>", "--stream-max-new-tokens <N>",
                "qwen-asr --stream (-i <audio> | --stdin)", "--stdin --stream")) {
            assertTrue(help.contains(s), () -> s + " missing from help:\n" + help);
        }
    }
}
