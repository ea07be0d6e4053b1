package io.github.qwenasr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failures of a well-formed command line (exit 1: model, audio; exit 3: bugs). Each is one
 * "Error:" line without a stack trace. The audio is read before the model, so the audio cases
 * need only an existing directory as the model.
 */
class RunFailuresTest {
    @TempDir
    Path tmp;

    @Test
    void modelDirectoryMissing() {
        Path missing = tmp.resolve("no-such-model");
        CliRun.of("-d", missing.toString(), "-i", "speech.wav")
                .assertFailure(ExitCodes.FAILURE, "model directory not found", missing.toString());
    }

    @Test
    void modelPathIsAFile() throws IOException {
        Path file = Files.writeString(tmp.resolve("model.bin"), "x");
        CliRun.of("-d", file.toString(), "-i", "speech.wav").assertFailure(ExitCodes.FAILURE, "not a directory");
    }

    @Test
    void corruptModelGivesTheLoadersMessage() throws IOException {
        Path model = Files.createDirectory(tmp.resolve("model"));
        Files.writeString(model.resolve("config.json"), "{\"thinker_config\": ");
        CliRun r = CliRun.of("-d", model.toString(), "-i", TestFiles.speechWav().toString())
                .assertFailure(ExitCodes.FAILURE, "config.json");
        assertTrue(r.stderr().startsWith("Loading model from " + model), r.stderr());
    }

    @Test
    void audioFileMissing() {
        Path wav = tmp.resolve("missing.wav");
        CliRun.of("-d", tmp.toString(), "-i", wav.toString()).assertFailure(ExitCodes.FAILURE, wav.toString(), "no such file");
    }

    @Test
    void audioPathIsADirectory() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("clip.wav"));
        CliRun.of("-d", tmp.toString(), "-i", dir.toString()).assertFailure(ExitCodes.FAILURE, dir.toString());
    }

    @Test
    void emptyAudioFile() throws IOException {
        Path wav = Files.write(tmp.resolve("empty.wav"), new byte[0]);
        CliRun.of("-d", tmp.toString(), "-i", wav.toString()).assertFailure(ExitCodes.FAILURE, wav.toString());
    }

    @Test
    void corruptAudioFile() throws IOException {
        byte[] junk = "RIFF\u0010\u0000\u0000\u0000WAVEjunkjunkjunkjunk".getBytes(StandardCharsets.ISO_8859_1);
        Path wav = Files.write(tmp.resolve("junk.wav"), junk);
        CliRun.of("-d", tmp.toString(), "-i", wav.toString()).assertFailure(ExitCodes.FAILURE, wav.toString());
    }

    @Test
    void notAWavFile() throws IOException {
        Path mp3 = Files.write(tmp.resolve("song.wav"), "ID3\u0004\u0000\u0000\u0000\u0000\u0000\u0000xxxx".getBytes(StandardCharsets.ISO_8859_1));
        CliRun.of("-d", tmp.toString(), "-i", mp3.toString()).assertFailure(ExitCodes.FAILURE, "MP3");
    }

    @Test
    void emptyStdin() {
        CliRun.withStdin(new byte[0], "-d", tmp.toString(), "--stdin").assertFailure(ExitCodes.FAILURE, "stdin");
    }

    @Test
    void rawStdinTooShort() {
        // 100 raw samples: well under the 201 the log-mel front end needs.
        CliRun.withStdin(new byte[200], "-d", tmp.toString(), "--stdin", "--raw").assertFailure(ExitCodes.FAILURE, "too short");
    }

    @Test
    void alignFileThatIsAFolderIsNamedAsSuch() throws IOException {
        Path folder = Files.createDirectories(tmp.resolve("texts"));
        Path aligner = Files.createDirectories(tmp.resolve("aligner-dir"));
        CliRun.of("--aligner", aligner.toString(), "-i", TestFiles.speechWav().toString(), "--align-file", folder.toString())
                .assertFailure(ExitCodes.FAILURE, "--align-file " + folder + " is a directory, not a text file");
        CliRun.of("--aligner", aligner.toString(), "-i", TestFiles.speechWav().toString(), "--align-file",
                tmp.resolve("missing.txt").toString()).assertFailure(ExitCodes.FAILURE, "text file not found");
    }

    @Test
    void unexpectedExceptionIsAnInternalErrorWithoutTrace() {
        ModelLoader broken = (dir, options) -> {
            throw new IllegalStateException("weights vanished");
        };
        CliRun r = CliRun.withLoader(new byte[0], broken, "-d", tmp.toString(), "-i", TestFiles.speechWav().toString())
                .assertFailure(ExitCodes.INTERNAL, "internal error: java.lang.IllegalStateException: weights vanished");
        assertEquals("Error: internal error: java.lang.IllegalStateException: weights vanished", r.errorLines().get(0));
    }

    @Test
    void debugAddsTheStackTraceToAnInternalError() {
        ModelLoader broken = (dir, options) -> {
            throw new IllegalStateException("weights vanished");
        };
        CliRun r = CliRun.withLoader(new byte[0], broken, "--debug", "-d", tmp.toString(), "-i",
                TestFiles.speechWav().toString());
        assertEquals(ExitCodes.INTERNAL, r.exitCode());
        assertEquals(1, r.errorLines().size(), r.stderr());
        assertTrue(r.stderr().contains("java.lang.IllegalStateException: weights vanished"), r.stderr());
        assertTrue(r.stderr().lines().anyMatch(l -> l.matches("\\s+at .*\\(.*\\)")), r.stderr());
    }

    @Test
    void outOfMemoryIsARunFailureWithAHint() {
        ModelLoader hungry = (dir, options) -> {
            throw new OutOfMemoryError("Java heap space");
        };
        CliRun.withLoader(new byte[0], hungry, "-d", tmp.toString(), "-i", TestFiles.speechWav().toString())
                .assertFailure(ExitCodes.FAILURE, "out of memory", "-Xmx");
    }

    @Test
    void threadCountReachesTheLoader() {
        int[] seen = new int[1];
        ModelLoader spy = (dir, options) -> {
            seen[0] = options.threads();
            throw new io.github.qwenasr.QwenAsrException("stop here");
        };
        // 1, unlike the default (all processors, at most 16) on any machine with two or more.
        CliRun.withLoader(new byte[0], spy, "-t", "1", "-d", tmp.toString(), "-i", TestFiles.speechWav().toString())
                .assertFailure(ExitCodes.FAILURE, "stop here");
        assertEquals(1, seen[0]);
    }

    @Test
    void computeModeReachesTheLoader() {
        io.github.qwenasr.LoadOptions[] seen = new io.github.qwenasr.LoadOptions[1];
        ModelLoader spy = (dir, options) -> {
            seen[0] = options;
            throw new io.github.qwenasr.QwenAsrException("stop here");
        };
        String wav = TestFiles.speechWav().toString();
        CliRun.withLoader(new byte[0], spy, "-t", "2", "--compute", "BF16", "-d", tmp.toString(), "-i", wav)
                .assertFailure(ExitCodes.FAILURE, "stop here");
        assertEquals(new io.github.qwenasr.LoadOptions(2, io.github.qwenasr.Quantization.NONE, io.github.qwenasr.ComputeMode.BF16), seen[0]);
        CliRun.withLoader(new byte[0], spy, "-t", "2", "-d", tmp.toString(), "-i", wav)
                .assertFailure(ExitCodes.FAILURE, "stop here");
        assertEquals(io.github.qwenasr.ComputeMode.EXACT, seen[0].compute(), "exact by default");
        CliRun.withLoader(new byte[0], spy, "-t", "2", "--quantize", "int8", "--compute", "bf16", "-d", tmp.toString(), "-i", wav)
                .assertFailure(ExitCodes.FAILURE, "stop here");
        assertEquals(new io.github.qwenasr.LoadOptions(2, io.github.qwenasr.Quantization.INT8, io.github.qwenasr.ComputeMode.BF16),
                seen[0], "both load options together");
    }

    @Test
    void quantizationReachesTheLoader() {
        io.github.qwenasr.Quantization[] seen = new io.github.qwenasr.Quantization[2];
        ModelLoader spy = (dir, options) -> {
            seen[seen[0] == null ? 0 : 1] = options.quantization();
            throw new io.github.qwenasr.QwenAsrException("stop here");
        };
        CliRun.withLoader(new byte[0], spy, "--quantize", "INT8", "-d", tmp.toString(), "-i", TestFiles.speechWav().toString())
                .assertFailure(ExitCodes.FAILURE, "stop here");
        CliRun.withLoader(new byte[0], spy, "-d", tmp.toString(), "-i", TestFiles.speechWav().toString())
                .assertFailure(ExitCodes.FAILURE, "stop here");
        assertEquals(io.github.qwenasr.Quantization.INT8, seen[0]);
        assertEquals(io.github.qwenasr.Quantization.NONE, seen[1]);
    }

    @Test
    void unknownQuantizationIsAUsageError() {
        CliRun.withLoader(new byte[0], null, "--quantize", "int4", "-d", tmp.toString(), "-i", TestFiles.speechWav().toString())
                .assertFailure(ExitCodes.USAGE, "--quantize must be none or int8, got 'int4'");
    }

    @Test
    void int8WithAlignmentOnlyIsAUsageError() {
        CliRun.withLoader(new byte[0], null, "--quantize", "int8", "--align", "hello", "-i", TestFiles.speechWav().toString())
                .assertFailure(ExitCodes.USAGE, "--quantize applies to the speech model");
    }

    @Test
    void longFlagsAlsoTakeTheirValueAfterAnEqualsSign() {
        int[] seen = new int[1];
        ModelLoader spy = (dir, options) -> {
            seen[0] = options.threads();
            throw new io.github.qwenasr.QwenAsrException("stop here");
        };
        CliRun.withLoader(new byte[0], spy, "-t", "1", "--language=german", "--max-new-tokens=9",
                        "--encoder-attention=full", "-d", tmp.toString(), "-i", TestFiles.speechWav().toString())
                .assertFailure(ExitCodes.FAILURE, "stop here");
        assertEquals(1, seen[0]);
    }
}
