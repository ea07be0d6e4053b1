package io.github.qwenasr.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.qwenasr.tools.Preset;
import io.github.qwenasr.tools.SyntheticCheckpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The -o target in every mode (offline, --stream, --align, --timestamps): only a regular file or a
 * new name is written, a symbolic link is written through, the mode of a replaced file is kept,
 * and a FIFO, a device, the input itself under any spelling, or a folder that refuses new files are
 * refused with one line before any model is loaded (the loader here fails the run if it is called).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class OutputTargetTest {
    /** Fails the run (exit 3, "internal error") if a check that should come first did not. */
    private static final ModelLoader MUST_NOT_LOAD = (dir, options) -> {
        throw new AssertionError("the model was loaded before the output was checked");
    };

    @TempDir
    static Path tmp;
    private Path modelDir;
    private Path alignerDir;
    private Path input;
    private byte[] inputBytes;

    @BeforeAll
    void setUp() throws IOException {
        modelDir = Files.createDirectories(tmp.resolve("model"));
        alignerDir = Files.createDirectories(tmp.resolve("aligner"));
        Path in = Files.createDirectories(tmp.resolve("in"));
        inputBytes = Files.readAllBytes(TestFiles.speechWav());
        input = Files.write(in.resolve("speech.wav"), inputBytes);
    }

    /** The four ways a run writes -o: offline, streaming, alignment, transcription with timestamps. */
    private List<String[]> everyMode(Path output) {
        String o = output.toString();
        String i = input.toString();
        String d = modelDir.toString();
        return List.of(
                new String[] {"-d", d, "-i", i, "-o", o},
                new String[] {"-d", d, "-i", i, "--stream", "-o", o},
                new String[] {"--aligner", alignerDir.toString(), "-i", i, "--align", "some words", "-o", o},
                new String[] {"-d", d, "--aligner", alignerDir.toString(), "-i", i, "--timestamps",
                        "--output-format", "srt", "-o", o});
    }

    private static CliRun run(String... args) {
        return CliRun.withLoader(new byte[0], MUST_NOT_LOAD, args);
    }

    @Test
    void fifoIsRefusedInEveryModeWithoutHangingAndStaysAFifo() throws Exception {
        Path fifo = SpecialFiles.fifo(tmp.resolve("out.fifo"));
        for (String[] args : everyMode(fifo)) {
            run(args).assertFailure(ExitCodes.FAILURE, "cannot write " + fifo + ": it is a FIFO (named pipe)");
        }
        assertEquals(010000, SpecialFiles.type(fifo), "still a FIFO");
    }

    @Test
    void deviceNodeIsRefusedAndStaysADevice() throws Exception {
        // Only root may make device nodes; this one (null's numbers) lives in the test's own folder.
        assumeTrue(SpecialFiles.isRoot(), "mknod needs root");
        Path device = tmp.resolve("out.dev");
        SpecialFiles.run("mknod", device.toString(), "c", "1", "3");
        for (String[] args : everyMode(device)) {
            run(args).assertFailure(ExitCodes.FAILURE, "cannot write " + device + ": it is a character device");
        }
        assertEquals(020000, SpecialFiles.type(device), "still a character device");
    }

    @Test
    void directoryIsRefused() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("out-dir"));
        for (String[] args : everyMode(dir)) run(args).assertFailure(ExitCodes.FAILURE, "it is a directory");
    }

    @Test
    void theInputUnderAnySpellingIsRefusedAndLeftIntact() throws IOException {
        Path dir = input.getParent();
        Path symlink = Files.createSymbolicLink(tmp.resolve("link.wav"), input);
        Path hardLink = Files.createLink(dir.resolve("hard.wav"), input);
        Path relative = Path.of("").toAbsolutePath().relativize(input);
        List<Path> spellings = List.of(input, dir.resolve("../in/./speech.wav"), symlink, hardLink, relative);
        for (Path spelling : spellings) {
            for (String[] args : everyMode(spelling)) {
                run(args).assertFailure(ExitCodes.FAILURE, "-o " + spelling + " is the input file");
            }
        }
        // The input named through a link, the output by its real name.
        run("-d", modelDir.toString(), "-i", symlink.toString(), "-o", input.toString())
                .assertFailure(ExitCodes.FAILURE, "is the input file");
        assertArrayEquals(inputBytes, Files.readAllBytes(input), "the audio is untouched");
        assertTrue(Files.isSymbolicLink(symlink));
        Files.delete(hardLink);
        Files.delete(symlink);
    }

    @Test
    void theAlignFileIsAnInputToo() throws IOException {
        Path text = Files.writeString(tmp.resolve("words.txt"), "some words");
        run("--aligner", alignerDir.toString(), "-i", input.toString(), "--align-file", text.toString(),
                "-o", tmp.resolve("./words.txt").toString()).assertFailure(ExitCodes.FAILURE, "is the input file");
        assertEquals("some words", Files.readString(text));
    }

    @Test
    void folderThatRefusesNewFilesIsFoundBeforeTheModelLoads() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("locked"));
        Path target = folder.resolve("out.txt");
        try (AutoCloseable ignored = SpecialFiles.unwritable(folder)) {
            for (String[] args : everyMode(target)) {
                run(args).assertFailure(ExitCodes.FAILURE, "cannot write " + target + ": cannot create a file in the folder "
                        + folder);
            }
            try (Stream<Path> s = Files.list(folder)) {
                assertEquals(List.of(), s.toList());
            }
        }
    }

    /** A real run on the tiny model: the file behind a link is replaced, the link and the mode stay. */
    @Test
    void writesThroughALinkAndKeepsAPrivateMode() throws IOException {
        Path model = SyntheticCheckpoint.generate(Preset.TINY, 7, tmp.resolve("tiny"), 1, TestFiles.shared());
        Path real = Files.writeString(Files.createDirectories(tmp.resolve("real")).resolve("private.txt"), "old");
        Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("rw-------"));
        Path link = Files.createSymbolicLink(tmp.resolve("out-link.txt"), real);
        List<String> args = new ArrayList<>(List.of("-d", model.toString(), "-i", input.toString(), "-t", "2",
                "--max-new-tokens", "4", "-o", link.toString()));
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertEquals(ExitCodes.OK, r.exitCode(), r.stderr());
        assertEquals("", r.stdout());
        assertTrue(Files.isSymbolicLink(link), "the link stays a link");
        String written = Files.readString(real, StandardCharsets.UTF_8);
        assertTrue(!written.equals("old") && written.endsWith("\n"), written);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(real)));
    }
}
