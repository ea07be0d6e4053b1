package io.github.qwenasr.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** The repository's own files for source-scanning tests: build outputs and dot-folders left out. */
final class RepositorySources {
    private RepositorySources() {}

    /** The repository root: system property qwenasr.root (set by the build), else found upwards. */
    static Path root() {
        String prop = System.getProperty("qwenasr.root");
        if (prop != null && !prop.isBlank()) return Path.of(prop).toAbsolutePath().normalize();
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("docs")) && Files.isRegularFile(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("tools"))) {
                return p;
            }
        }
        throw new AssertionError("repository root not found (set -Dqwenasr.root)");
    }

    /** Files under the root whose path relative to it passes {@code keep}, sorted. */
    static List<Path> files(Path root, Predicate<Path> keep) {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(Files::isRegularFile)
                    .filter(p -> {
                        Path rel = root.relativize(p);
                        for (Path part : rel) {
                            String s = part.toString();
                            if (s.equals("target") || s.startsWith(".")) return false;
                        }
                        return keep.test(rel);
                    })
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    /** Whether a relative path is main code of a module: {module}/src/main/java/... */
    static boolean mainJava(Path rel) {
        return rel.getNameCount() > 4 && rel.getName(1).toString().equals("src") && rel.getName(2).toString().equals("main")
                && rel.toString().endsWith(".java");
    }
}
