package io.github.qwenasr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.QwenAsrException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What --stdin accepts: WAV, other audio through ffmpeg, or with --raw raw s16le PCM; anything else
 * (PNG, random bytes, text) is refused with what it looks like, one line and exit 1, before the model
 * is loaded, in the offline and the streaming mode alike; without ffmpeg, other audio is refused
 * saying how to install it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StdinInputTest {
    /** Stands for the model: reaching it means the input was accepted. */
    private static final ModelLoader REACHED = (dir, options) -> {
        throw new QwenAsrException("input accepted, model reached");
    };
    private static final byte[] MP3 = Arrays.copyOf(new byte[] {'I', 'D', '3', 4, 0, 0, 0, 0, 0, 0x23}, 20_000);
    private static final byte[] PNG = Arrays.copyOf(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10}, 20_000);
    private static final byte[] FLAC = Arrays.copyOf("fLaC".getBytes(), 20_000);

    @TempDir
    static Path tmp;
    private String model;
    private byte[] wav;
    private byte[] randomBytes;

    @BeforeAll
    void setUp() throws IOException {
        model = Files.createDirectories(tmp.resolve("model")).toString();
        wav = Files.readAllBytes(TestFiles.speechWav());
        randomBytes = new byte[20_000];
        new Random(6).nextBytes(randomBytes);
        randomBytes[0] = 0x12; // no chance of an MPEG sync word at the start
    }

    private CliRun run(byte[] stdin, String... extra) {
        List<String> args = new ArrayList<>(List.of("-d", model, "--stdin"));
        args.addAll(List.of(extra));
        return CliRun.withLoader(stdin, REACHED, args.toArray(String[]::new));
    }

    /** Offline and streaming. */
    private static final List<List<String>> MODES = List.of(List.of(), List.of("--stream"));

    @Test
    void nonAudioBytesAreRefusedSayingWhatTheyLookLike() {
        for (List<String> mode : MODES) {
            String[] m = mode.toArray(String[]::new);
            run(PNG, m).assertFailure(ExitCodes.FAILURE, "stdin is not audio (it looks like a PNG image)");
            run("just some words, not sound\n".repeat(100).getBytes(), m)
                    .assertFailure(ExitCodes.FAILURE, "stdin is not WAV audio (it looks like text)");
            run(randomBytes, m).assertFailure(ExitCodes.FAILURE, "stdin is not WAV audio (no RIFF header; it starts "
                    + "with the bytes 12 ", "for raw s16le 16 kHz mono PCM add --raw");
        }
    }

    @Test
    void otherAudioWithoutFfmpegSaysHowToInstallIt() {
        Map<String, String> noFfmpeg = Map.of("QWEN_ASR_FFMPEG", tmp.resolve("no-ffmpeg").toString());
        for (List<String> mode : MODES) {
            List<String> args = new ArrayList<>(List.of("-d", model, "--stdin"));
            args.addAll(mode);
            String[] a = args.toArray(String[]::new);
            CliRun.withStdinAndEnv(MP3, noFfmpeg, REACHED, a).assertFailure(ExitCodes.FAILURE,
                    "stdin: MP3 audio needs ffmpeg to be decoded", "sudo apt install ffmpeg", "brew install ffmpeg");
            CliRun.withStdinAndEnv(FLAC, noFfmpeg, REACHED, a).assertFailure(ExitCodes.FAILURE,
                    "stdin: FLAC audio needs ffmpeg to be decoded");
        }
    }

    @Test
    void otherAudioThatFfmpegCannotDecodeIsItsVerdict() {
        for (List<String> mode : MODES) {
            run(MP3, mode.toArray(String[]::new)).assertFailure(ExitCodes.FAILURE, "stdin: ffmpeg cannot decode this MP3 file");
            run(FLAC, mode.toArray(String[]::new)).assertFailure(ExitCodes.FAILURE, "stdin: ffmpeg cannot decode this FLAC file");
        }
    }

    @Test
    void wavIsAcceptedWithoutRaw() {
        for (List<String> mode : MODES) {
            run(wav, mode.toArray(String[]::new)).assertFailure(ExitCodes.FAILURE, "model reached");
        }
    }

    @Test
    void rawPcmIsAcceptedWithRaw() {
        byte[] pcm = TestFiles.wavDataChunk(wav);
        for (List<String> mode : MODES) {
            List<String> args = new ArrayList<>(mode);
            args.add("--raw");
            run(pcm, args.toArray(String[]::new)).assertFailure(ExitCodes.FAILURE, "model reached");
            run(randomBytes, args.toArray(String[]::new)).assertFailure(ExitCodes.FAILURE, "model reached");
        }
    }

    @Test
    void rawRefusesBytesThatCannotBeRawPcm() {
        for (List<String> mode : MODES) {
            List<String> args = new ArrayList<>(mode);
            args.add("--raw");
            String[] a = args.toArray(String[]::new);
            run(wav, a).assertFailure(ExitCodes.FAILURE, "--raw was given, but stdin starts with a WAV header: leave out --raw");
            run(PNG, a).assertFailure(ExitCodes.FAILURE, "--raw was given, but stdin looks like a PNG image, not raw PCM");
        }
    }

    @Test
    void rawNeedsStdin() {
        CliRun.of("-d", model, "-i", "speech.wav", "--raw").assertFailure(ExitCodes.USAGE, "--raw", "--stdin");
    }

    @Test
    void tooFewBytesAreNoAudio() {
        for (List<String> mode : MODES) {
            run(new byte[3], mode.toArray(String[]::new)).assertFailure(ExitCodes.FAILURE, "no audio data on stdin");
        }
    }

    @Test
    void helpDocumentsRaw() {
        String help = CliRun.of("--help").stdout();
        assertTrue(help.contains("--raw") && help.contains("raw PCM (s16le, 16 kHz, mono, no header)")
                && help.contains("--stdin --raw raw signed 16-bit little-endian"), help);
        assertEquals(0, CliRun.of("--help").exitCode());
    }
}
