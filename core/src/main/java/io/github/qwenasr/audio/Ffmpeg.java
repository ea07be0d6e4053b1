package io.github.qwenasr.audio;

import io.github.qwenasr.QwenAsrException;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The {@code ffmpeg} executable that decodes every input that is not WAV (docs/modes.md 2.6): the one
 * named by the system property {@value #PROPERTY} or the environment variable {@value #ENV}, else the
 * first {@code ffmpeg} on the {@code PATH}. It is optional: WAV never needs it, and a run that needs it
 * without having it fails with one line that says how to install it.
 *
 * <p>Nothing is run until a decode needs it; the first one checks once that the executable works and
 * whether it can tag its log lines with their level ({@code -loglevel level+warning}), which lets
 * {@link FfmpegDiagnostics} tell errors from warnings.
 */
public final class Ffmpeg {
    /** Environment variable naming the executable (overrides the PATH). */
    public static final String ENV = "QWEN_ASR_FFMPEG";
    /** System property naming the executable (overrides {@value #ENV}). */
    public static final String PROPERTY = "qwenasr.ffmpeg";
    /** How to get ffmpeg, for error messages. */
    public static final String INSTALL_HINT = "install ffmpeg (Debian/Ubuntu: sudo apt install ffmpeg; "
            + "Fedora: sudo dnf install ffmpeg; macOS: brew install ffmpeg; Windows: winget install ffmpeg "
            + "or choco install ffmpeg)";
    /** How long {@code ffmpeg -version} may take before the executable is judged broken. */
    private static final long PROBE_SECONDS = 20;

    private final Path executable;
    /** Why there is no executable ("ffmpeg was not found on the PATH"), or null. */
    private final String missing;
    /** Null until the first decode checked the executable; then whether log lines carry their level. */
    private Boolean levelTags;

    private Ffmpeg(Path executable, String missing) {
        this.executable = executable;
        this.missing = missing;
    }

    /** ffmpeg as this process's environment and system properties name it. */
    public static Ffmpeg system() {
        return fromEnvironment(System.getenv());
    }

    /**
     * ffmpeg as {@code env} names it ({@value #ENV}, else {@code PATH}), unless the system property
     * {@value #PROPERTY} overrides both. Only looks at the file system; nothing is run.
     */
    public static Ffmpeg fromEnvironment(Map<String, String> env) {
        String override = System.getProperty(PROPERTY);
        String source = "system property " + PROPERTY;
        if (override == null || override.isBlank()) {
            override = env.get(ENV);
            source = ENV;
        }
        if (override != null && !override.isBlank()) return at(override.strip(), source);
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        String name = windows ? "ffmpeg.exe" : "ffmpeg";
        String path = env.get("PATH");
        if (path == null && windows) path = env.get("Path");
        for (String dir : path == null ? new String[0] : path.split(File.pathSeparator)) {
            if (dir.isBlank()) continue;
            try {
                Path candidate = Path.of(dir).resolve(name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) return new Ffmpeg(candidate, null);
            } catch (InvalidPathException ignored) {
                // a malformed PATH entry is skipped, as a shell would
            }
        }
        return new Ffmpeg(null, "ffmpeg was not found on the PATH");
    }

    /** The executable at {@code file} (an error names it when it is missing). */
    public static Ffmpeg at(Path file) {
        return at(file.toString(), "the given path");
    }

    private static Ffmpeg at(String file, String source) {
        try {
            Path p = Path.of(file);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return new Ffmpeg(p, null);
        } catch (InvalidPathException ignored) {
            // reported below like a missing file
        }
        return new Ffmpeg(null, "ffmpeg was not found at " + file + " (set by " + source + ")");
    }

    /** Whether an executable was found (whether it works is only known once it ran). */
    public boolean available() {
        return executable != null;
    }

    public Optional<Path> executable() {
        return Optional.ofNullable(executable);
    }

    /**
     * The executable, checked to run; otherwise an exception saying that {@code what} (e.g.
     * "talk.mp3: MP3 audio") needs ffmpeg and how to install it.
     */
    Path require(String what) {
        if (executable == null) {
            throw new QwenAsrException(what + " needs ffmpeg to be decoded, and " + missing + "; " + INSTALL_HINT
                    + ", or convert the audio to WAV");
        }
        levelTags();
        return executable;
    }

    /**
     * The command that decodes {@code input} (an ffmpeg URL: {@code file:...} or {@code pipe:0}) to a
     * WAV stream on stdout: float32, 16 kHz, the channels of the first audio stream (downmixed by the
     * reader as for WAV files, docs/model.md 2.1 step 2), no metadata.
     */
    List<String> decodeCommand(String input, boolean live) {
        List<String> cmd = new ArrayList<>(List.of(executable.toString(), "-nostdin", "-hide_banner"));
        if (levelTags()) {
            cmd.addAll(List.of("-loglevel", "level+warning"));
        } else {
            cmd.addAll(List.of("-loglevel", "error"));
        }
        // Only the one input may be opened: no network protocols, no other files through a playlist.
        cmd.addAll(List.of("-protocol_whitelist", live ? "pipe" : "file"));
        cmd.addAll(List.of("-i", input, "-map", "0:a:0", "-ar", String.valueOf(AudioLoader.SAMPLE_RATE),
                "-c:a", "pcm_f32le", "-f", "wav", "-map_metadata", "-1", "-fflags", "+bitexact",
                "-flags:a", "+bitexact"));
        if (live) cmd.addAll(List.of("-flush_packets", "1"));
        cmd.add("pipe:1");
        return cmd;
    }

    /** Whether this ffmpeg's log lines can be tagged with their level; checks that it runs at all. */
    synchronized boolean levelTags() {
        if (levelTags != null) return levelTags;
        if (probe(List.of(executable.toString(), "-hide_banner", "-loglevel", "level+error", "-version"))) {
            levelTags = true;
        } else if (probe(List.of(executable.toString(), "-hide_banner", "-version"))) {
            levelTags = false;
        } else {
            throw new QwenAsrException(executable + " does not run as ffmpeg (ffmpeg -version failed); " + INSTALL_HINT);
        }
        return levelTags;
    }

    /** Runs a short command, discarding its output; true when it exits with status 0 in time. */
    private static boolean probe(List<String> command) {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(nullDevice())).start();
        } catch (IOException e) {
            return false;
        }
        try {
            return p.waitFor(PROBE_SECONDS, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            p.destroyForcibly();
        }
    }

    /** The platform's empty input, so that a probe never reads this process's stdin. */
    private static File nullDevice() {
        return new File(File.separatorChar == '\\' ? "NUL" : "/dev/null");
    }

    @Override
    public String toString() {
        return executable != null ? executable.toString() : missing;
    }
}
