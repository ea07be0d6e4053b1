package io.github.qwenasr.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;

/**
 * The repository's launcher {@code bin/qwen-asr}, copied beside a jar whose manifest points at the
 * compiled classes (the real jar is only built after the tests), so the launcher has nothing to
 * rebuild and runs the code under test in a JVM of its own.
 */
final class PointerLauncher {
    private PointerLauncher() {}

    /** Copies bin/qwen-asr and bin/find-java into root/bin, writes the pointer jar; returns the launcher. */
    static Path install(Path root) throws IOException {
        Path bin = Files.createDirectories(root.resolve("bin"));
        for (String script : List.of("qwen-asr", "find-java")) {
            Path copy = Files.copy(RepoScripts.root().resolve("bin").resolve(script), bin.resolve(script));
            Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        writePointerJar(Files.createDirectories(root.resolve("cli/target")).resolve("qwen-asr.jar"));
        return bin.resolve("qwen-asr");
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
}
