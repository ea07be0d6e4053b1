package io.github.qwenasr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * FIFOs, device nodes and folders that refuse new files, made inside a test's own temporary folder
 * with the system's tools (a missing tool fails the test). The core module's tests have the same helper.
 */
final class SpecialFiles {
    private SpecialFiles() {
    }

    /** Runs a command and fails the test unless it succeeds. */
    static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "timed out: " + List.of(command));
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.exitValue(), () -> List.of(command) + " failed: " + output);
    }

    static Path fifo(Path path) throws IOException, InterruptedException {
        run("mkfifo", path.toString());
        return path;
    }

    /** The file type bits (S_IFMT) of {@code file}: 010000 FIFO, 020000 character device, 0100000 regular. */
    static int type(Path file) throws IOException {
        return (Integer) Files.getAttribute(file, "unix:mode") & 0170000;
    }

    static boolean isRoot() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("id", "-u").start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return new String(p.getInputStream().readAllBytes()).strip().equals("0");
    }

    /**
     * Makes {@code dir} refuse new files and returns what undoes it: mode 555, which binds ordinary
     * users; a process that ignores permissions (root, CAP_DAC_OVERRIDE) gets the immutable
     * attribute as well (chattr +i, which binds root too). Fails unless the folder really refuses
     * a new file afterwards, so a test built on it cannot pass without testing anything.
     */
    static AutoCloseable unwritable(Path dir) throws IOException, InterruptedException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        boolean immutable = false;
        if (canCreateIn(dir)) {
            run("chattr", "+i", dir.toString());
            immutable = true;
        }
        if (canCreateIn(dir)) fail("cannot make " + dir + " refuse new files (chmod 555 and chattr +i did not)");
        boolean undoImmutable = immutable;
        return () -> {
            if (undoImmutable) run("chattr", "-i", dir.toString());
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        };
    }

    private static boolean canCreateIn(Path dir) {
        Path probe = dir.resolve(".probe");
        try {
            Files.createFile(probe);
            Files.delete(probe);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
