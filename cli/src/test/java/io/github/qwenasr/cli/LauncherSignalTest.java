package io.github.qwenasr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.qwenasr.tools.Preset;
import io.github.qwenasr.tools.SyntheticCheckpoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C through the launcher {@code bin/qwen-asr}, as a terminal delivers it: the launcher runs in a
 * process group of its own (setsid, as a shell with job control starts a job) and SIGINT goes to the
 * whole group once the run is under way. The command must behave as when the JVM gets the signal
 * directly: {@code --stream} ends the input, prints or writes the text so far and exits 0 (also while
 * a writer keeps stdin open with a backlog of audio queued); an offline run quits with status 130 and
 * writes nothing.
 *
 * <p>The launcher under test is the repository's script, copied beside a jar whose manifest points at
 * the compiled classes (the real jar is only built after the tests), so the launcher has nothing to
 * rebuild. Linux only: the process group is made with util-linux's {@code setsid}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledOnOs(OS.LINUX)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class LauncherSignalTest {
    /** Bounds every wait: for progress before the signal, and for the exit after it. */
    private static final long WAIT_SECONDS = 120;
    /** Short steps and few tokens, so text appears within a few steps of the tiny model. */
    private static final List<String> FAST = List.of("-t", "2", "--stream-max-new-tokens", "6", "--stream-chunk-sec", "1");
    private static final Pattern INTERRUPTED = Pattern.compile("Interrupted: transcribed the first (\\d+\\.\\d) s of the input");

    @TempDir
    static Path tmp;
    private Path launcher;
    private Path model;
    private Path longWav;

    @BeforeAll
    void launcherBesideAPointerJarAndATinyModel() throws IOException {
        Path repo = repositoryRoot();
        Path root = tmp.resolve("root");
        Path bin = Files.createDirectories(root.resolve("bin"));
        for (String script : List.of("qwen-asr", "find-java")) {
            Path copy = Files.copy(repo.resolve("bin").resolve(script), bin.resolve(script));
            Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        writePointerJar(Files.createDirectories(root.resolve("cli/target")).resolve("qwen-asr.jar"));
        launcher = bin.resolve("qwen-asr");
        model = SyntheticCheckpoint.generate(Preset.TINY, 7, tmp.resolve("tiny"), 1, TestFiles.shared());
        longWav = TestFiles.shared().resolve("data/audio/notld_119s_theres_supposed_to_be_another_broadcast.wav");
        if (!Files.isRegularFile(longWav)) throw new IllegalStateException("missing fixture " + longWav);
    }

    private static Path repositoryRoot() {
        String prop = System.getProperty("qwenasr.root");
        for (Path candidate : prop != null ? List.of(Path.of(prop)) : List.of(Path.of(".."), Path.of("."))) {
            if (Files.isRegularFile(candidate.resolve("bin/qwen-asr"))) return candidate.toAbsolutePath().normalize();
        }
        throw new IllegalStateException("bin/qwen-asr not found: set -Dqwenasr.root to the repository");
    }

    /** An empty jar whose manifest runs Main from the test class path (compiled classes and dependency jars). */
    private static void writePointerJar(Path jar) throws IOException {
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(e -> !e.isBlank())
                .map(e -> Path.of(e).toAbsolutePath().toUri().toString())
                .collect(Collectors.joining(" "));
        Manifest manifest = new Manifest();
        Attributes a = manifest.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.put(Attributes.Name.MAIN_CLASS, Main.class.getName());
        a.put(Attributes.Name.CLASS_PATH, classPath);
        a.putValue("Enable-Native-Access", "ALL-UNNAMED");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream ignored = new JarOutputStream(out, manifest)) {
            // the manifest is the whole jar
        }
    }

    /** A launcher started in its own session and process group, with stdout and stderr collected. */
    private final class Launched implements AutoCloseable {
        final Process process;
        final long group;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteArrayOutputStream err = new ByteArrayOutputStream();
        private final Thread outReader;
        private final Thread errReader;

        Launched(List<String> args) throws IOException, InterruptedException {
            this(args, null);
        }

        /** @param javaOpts QWEN_ASR_JAVA_OPTS for the run, or null for none */
        Launched(List<String> args, String javaOpts) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>(List.of("setsid", launcher.toString()));
            command.addAll(args);
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
            pb.environment().remove("QWEN_ASR_JAVA_OPTS");
            if (javaOpts != null) pb.environment().put("QWEN_ASR_JAVA_OPTS", javaOpts);
            try {
                process = pb.start();
            } catch (IOException e) {
                throw new IllegalStateException("cannot start setsid (util-linux), needed to give the launcher "
                        + "a process group of its own: " + e.getMessage(), e);
            }
            outReader = drain(process.getInputStream(), out);
            errReader = drain(process.getErrorStream(), err);
            group = process.pid();
            awaitOwnGroup();
        }

        /** setsid runs in place (our child is no group leader): the launcher's pid becomes its group id. */
        private void awaitOwnGroup() throws IOException, InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline) {
                Process ps = new ProcessBuilder("ps", "-o", "pgid=", "-p", Long.toString(group)).start();
                String pgid = new String(ps.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
                ps.waitFor();
                if (pgid.equals(Long.toString(group))) return;
                if (!process.isAlive()) fail("the launcher ended at once:\n" + stderr());
                Thread.sleep(20);
            }
            // Never signal a group that may be the test's own.
            fail("the launcher did not get a process group of its own");
        }

        String stdout() {
            synchronized (out) {
                return out.toString(StandardCharsets.UTF_8);
            }
        }

        String stderr() {
            synchronized (err) {
                return err.toString(StandardCharsets.UTF_8);
            }
        }

        void awaitStdout(Predicate<String> ready, String what) throws InterruptedException {
            await(this::stdout, ready, what);
        }

        void awaitStderr(Predicate<String> ready, String what) throws InterruptedException {
            await(this::stderr, ready, what);
        }

        private void await(java.util.function.Supplier<String> text, Predicate<String> ready, String what)
                throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (!ready.test(text.get())) {
                if (!process.isAlive()) fail("the run ended before " + what + ":\n" + stderr());
                if (System.nanoTime() > deadline) fail("no " + what + " within " + WAIT_SECONDS + " s:\n" + stderr());
                Thread.sleep(20);
            }
        }

        /** Sends the signal to every process of the group, as a terminal's Ctrl-C does. */
        void signalGroup(String signal) throws IOException, InterruptedException {
            Process kill = new ProcessBuilder("kill", "-" + signal, "--", "-" + group).inheritIO().start();
            assertEquals(0, kill.waitFor(), "kill -" + signal + " -" + group);
        }

        /** The exit status, once the launcher has ended and both streams are closed (the filter included). */
        int awaitExit() throws InterruptedException {
            if (!process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
                fail("no exit within " + WAIT_SECONDS + " s of the signal; stderr:\n" + stderr());
            }
            outReader.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            errReader.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            assertFalse(outReader.isAlive() || errReader.isAlive(), "stdout or stderr stayed open after the exit");
            return process.exitValue();
        }

        /** Kills the whole group if the run is still going (a failed test), then closes its stdin. */
        @Override
        public void close() throws IOException {
            try {
                if (process.isAlive()) {
                    new ProcessBuilder("kill", "-KILL", "--", "-" + group).inheritIO().start().waitFor();
                    process.waitFor(20, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                process.getOutputStream().close();
            }
        }
    }

    private static Thread drain(InputStream in, ByteArrayOutputStream sink) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try (in) {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    synchronized (sink) {
                        sink.write(buf, 0, n);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "launcher-output");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private List<String> streamArgs(String... extra) {
        List<String> a = new ArrayList<>(List.of("-d", model.toString(), "--stream"));
        a.addAll(FAST);
        a.addAll(Arrays.asList(extra));
        return a;
    }

    /** The stderr of a run that was cut short: the interruption line (its seconds) and no JVM noise. */
    private static double assertInterruptedCleanly(Launched run) {
        String err = run.stderr();
        new CliRun(0, "", err).assertNoStackTrace();
        assertFalse(err.contains("WARNING: Using incubator modules"), "the launcher filters the JVM's warning:\n" + err);
        Matcher m = INTERRUPTED.matcher(err);
        assertTrue(m.find(), "no interruption line:\n" + err);
        assertTrue(err.contains("Inference: "), "the statistics of the finished stream follow:\n" + err);
        return Double.parseDouble(m.group(1));
    }

    private static void assertOneLine(String text) {
        assertTrue(text.endsWith("\n"), () -> "the line is not finished: " + text);
        assertEquals(1, text.chars().filter(c -> c == '\n').count(), () -> "more than one line: " + text);
        assertFalse(text.isBlank(), "the random model always says something");
    }

    @Test
    void ctrlCDuringFileStreamingPrintsTheTextSoFar() throws Exception {
        try (Launched run = new Launched(streamArgs("-i", longWav.toString()))) {
            run.awaitStdout(s -> !s.isEmpty(), "streamed text");
            run.signalGroup("INT");
            assertEquals(ExitCodes.OK, run.awaitExit(), () -> "exit status; stderr:\n" + run.stderr());
            assertOneLine(run.stdout());
            double seconds = assertInterruptedCleanly(run);
            assertTrue(seconds < 110, "the input was cut short: " + seconds + " s of 119 s");
        }
    }

    @Test
    void ctrlCDuringFileStreamingWritesTheOutputFile() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("out-stream"));
        Path txt = dir.resolve("speech.txt");
        try (Launched run = new Launched(streamArgs("-i", longWav.toString(), "--debug", "-o", txt.toString()))) {
            // With -o the text comes at the end: wait until steps have committed some.
            run.awaitStderr(s -> s.contains("Stream step 4: "), "four decoding steps");
            run.signalGroup("INT");
            assertEquals(ExitCodes.OK, run.awaitExit(), () -> "exit status; stderr:\n" + run.stderr());
            assertEquals("", run.stdout(), "with -o nothing goes to stdout");
            assertInterruptedCleanly(run);
            assertTrue(Files.isRegularFile(txt), "the -o file was not written:\n" + run.stderr());
            assertFalse(Files.readString(txt).isBlank(), "the -o file holds the text so far");
            try (Stream<Path> files = Files.list(dir)) {
                assertEquals(List.of(txt), files.toList(), "no temporary files left");
            }
        }
    }

    @Test
    void ctrlCWhileStdinStaysOpenEndsTheInputAtOnce() throws Exception {
        byte[] pcm = TestFiles.wavDataChunk(Files.readAllBytes(longWav)); // 119 s of raw s16le 16 kHz mono
        try (Launched run = new Launched(streamArgs("--stdin", "--raw"))) {
            // The writer is faster than decoding, so a backlog of a minute or more queues up; it never closes the pipe.
            Thread writer = new Thread(() -> {
                try {
                    run.process.getOutputStream().write(pcm);
                    run.process.getOutputStream().flush();
                } catch (IOException e) {
                    // the run ended: the pipe is broken
                }
            }, "stdin-writer");
            writer.setDaemon(true);
            writer.start();
            run.awaitStdout(s -> !s.isEmpty(), "streamed text");
            run.signalGroup("INT");
            assertEquals(ExitCodes.OK, run.awaitExit(), () -> "exit status; stderr:\n" + run.stderr());
            assertOneLine(run.stdout());
            double seconds = assertInterruptedCleanly(run);
            // Far less than the audio already read and queued when the signal came: the backlog is dropped.
            assertTrue(seconds < 40, "transcribed " + seconds + " s: the queued backlog was decoded after Ctrl-C");
        }
    }

    @Test
    void ctrlCDuringAnOfflineRunQuitsWithStatus130AndWritesNothing() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("out-offline"));
        Path txt = dir.resolve("speech.txt");
        List<String> args = List.of("-d", model.toString(), "-t", "2", "-i", longWav.toString(), "-o", txt.toString());
        try (Launched run = new Launched(args)) {
            run.awaitStderr(s -> s.contains("Model loaded in "), "the model loaded");
            run.signalGroup("INT");
            assertEquals(130, run.awaitExit(), () -> "exit status; stderr:\n" + run.stderr());
            assertEquals("", run.stdout());
            new CliRun(130, "", run.stderr()).assertNoStackTrace();
            assertFalse(run.stderr().contains("Inference: "), "the run was stopped, not finished:\n" + run.stderr());
            try (Stream<Path> files = Files.list(dir)) {
                assertEquals(List.of(), files.toList(), "no output and no temporary file");
            }
        }
    }

    /**
     * Ctrl-C during {@code --live --vad} (docs/modes.md 7.7): the capture ends, the utterances heard so
     * far are transcribed and the line printed, exit 0. The device is the tests' own (its mixer
     * provider is on the class path the pointer jar names), described by a system property: the
     * 119 s clip in real time, then silence, so only the signal ends the run.
     */
    @Test
    void ctrlCDuringLiveCaptureFinishesTheTextSoFar() throws Exception {
        String device = "-D" + io.github.qwenasr.capture.testing.TestMixerProvider.PROPERTY
                + "=name=LauncherTestMicrophone,wav=" + longWav.toAbsolutePath() + ",speed=1";
        List<String> args = List.of("-d", model.toString(), "-t", "2", "--max-new-tokens", "6", "--live", "--vad",
                "--device", "LauncherTestMicrophone");
        try (Launched run = new Launched(args, device)) {
            run.awaitStdout(s -> !s.isEmpty(), "the first utterance's text");
            run.signalGroup("INT");
            assertEquals(ExitCodes.OK, run.awaitExit(), () -> "exit status; stderr:\n" + run.stderr());
            assertOneLine(run.stdout());
            String err = run.stderr();
            new CliRun(0, "", err).assertNoStackTrace();
            Matcher m = Pattern.compile("Stopped: captured (\\d+\\.\\d) s of audio").matcher(err);
            assertTrue(m.find(), "no stop line:\n" + err);
            assertTrue(Double.parseDouble(m.group(1)) < 100, "the capture ended at the signal: " + m.group(1) + " s");
            assertTrue(err.contains("Capturing from input device") && err.contains("'LauncherTestMicrophone'"), err);
            assertTrue(err.contains("Inference: "), "the statistics of the finished run follow:\n" + err);
        }
    }
}
