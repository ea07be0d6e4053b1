package io.github.qwenasr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The engine's module exports exactly what a library user needs, unqualified, and nothing else: an
 * export added by accident (a kernel, the tokenizer, the model handle) fails here. The two qualified
 * exports: the kernel package to the optional bf16 module, for its GemmBackend, and the json package
 * to the accuracy tool, so that the project keeps one JSON string writer.
 */
class ModuleBoundaryTest {
    private static final Set<String> EXPORTED = Set.of("io.github.qwenasr", "io.github.qwenasr.align",
            "io.github.qwenasr.audio", "io.github.qwenasr.format", "io.github.qwenasr.hub",
            "io.github.qwenasr.stream", "io.github.qwenasr.vad");

    /** The compiled descriptor of this module (the tests may run on the class path, so read it from disk). */
    private static ModuleDescriptor descriptor() {
        return ModuleFinder.of(Path.of("target", "classes")).find("io.github.qwenasr").orElseThrow(
                () -> new AssertionError("module io.github.qwenasr not found in target/classes")).descriptor();
    }

    @Test
    void exportsExactlyThePublicApiPackages() {
        ModuleDescriptor d = descriptor();
        assertEquals(new TreeSet<>(EXPORTED), d.exports().stream().filter(e -> !e.isQualified())
                .map(ModuleDescriptor.Exports::source).collect(Collectors.toCollection(TreeSet::new)));
        assertEquals(Set.of("io.github.qwenasr.kernel -> [io.github.qwenasr.nativebf16]",
                        "io.github.qwenasr.json -> [io.github.qwenasr.eval]"), d.exports().stream()
                .filter(ModuleDescriptor.Exports::isQualified).map(e -> e.source() + " -> " + new TreeSet<>(e.targets()))
                .collect(Collectors.toSet()), "the only qualified exports: the GemmBackend SPI to the bf16 module, "
                + "the JSON writer to the accuracy tool");
        assertTrue(d.opens().isEmpty(), "nothing opened for reflection");
        assertEquals(Set.of("io.github.qwenasr.align.WordSegmenter", "io.github.qwenasr.kernel.GemmBackend"), d.uses());
        assertTrue(d.requires().stream().anyMatch(r -> r.name().equals("jdk.incubator.vector")));
    }

    @Test
    void everyOtherPackageStaysInternal() throws IOException {
        Path root = Path.of("target", "classes", "io", "github", "qwenasr");
        Set<String> packages;
        try (Stream<Path> files = Files.walk(root)) {
            packages = files.filter(p -> p.toString().endsWith(".class"))
                    .map(p -> Path.of("target", "classes").relativize(p.getParent()).toString().replace('/', '.'))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(packages, descriptor().packages().stream().collect(Collectors.toCollection(TreeSet::new)));
        Set<String> internal = new TreeSet<>(packages);
        internal.removeAll(EXPORTED);
        // The engine's internals: if one of these were exported to everyone the test above would fail first.
        assertTrue(internal.containsAll(Set.of("io.github.qwenasr.kernel", "io.github.qwenasr.engine",
                "io.github.qwenasr.tokenizer", "io.github.qwenasr.decoder", "io.github.qwenasr.encoder",
                "io.github.qwenasr.generate", "io.github.qwenasr.longform", "io.github.qwenasr.weights")), internal.toString());
    }

    /**
     * The exported audio package shows its API and keeps its decoders' machinery to itself: a caller
     * reaches ffmpeg through {@code AudioInput}, {@code SpooledAudio.anyFormat} and {@code Ffmpeg}, never
     * through the file source, the live stream, the process or its diagnostics.
     */
    @Test
    void audioPackageMakesOnlyItsApiTypesPublic() throws IOException {
        assertEquals(new TreeSet<>(Set.of("AudioInput", "AudioLoader", "AudioSource", "Ffmpeg",
                "IncrementalPcmReader", "InputFormat", "Resampler", "SpooledAudio", "StreamingResampler",
                "WavFileSource")), publicTypes("audio"));
    }

    /**
     * The exported vad package: the detectors, the whole-buffer segmenters, the finders for audio that
     * arrives in blocks ({@code SpeechFinder}, {@code UtteranceFinder}, which {@code SegmentedSession}
     * uses) and {@code VoiceActivity} for {@code TranscribeOptions}; Silero's weights and kernels stay inside.
     */
    @Test
    void vadPackageMakesOnlyItsApiTypesPublic() throws IOException {
        assertEquals(new TreeSet<>(Set.of("EnergySegmenter", "EnergyVad", "SileroVad", "SpeechFinder",
                "SpeechRegion", "SpeechSegmenter", "UtteranceFinder", "UtteranceSegmenter", "VoiceActivity",
                "VoiceActivityDetector")), publicTypes("vad"));
    }

    /** The public top-level types of one of the engine's packages, by simple name. */
    private static Set<String> publicTypes(String pkg) throws IOException {
        Path dir = Path.of("target", "classes", "io", "github", "qwenasr", pkg);
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".class") && !n.contains("$") && !n.equals("package-info.class"))
                    .map(n -> n.substring(0, n.length() - ".class".length()))
                    .filter(n -> isPublic("io.github.qwenasr." + pkg + "." + n))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static boolean isPublic(String className) {
        try {
            return Modifier.isPublic(Class.forName(className, false, ModuleBoundaryTest.class.getClassLoader())
                    .getModifiers());
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }
}
