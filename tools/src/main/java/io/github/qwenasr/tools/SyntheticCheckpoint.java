package io.github.qwenasr.tools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Generates a complete random-weight Qwen3-ASR model directory in the exact layout of the real
 * checkpoints (docs/model.md 1.1–1.5), set up as docs/model.md 1.8 requires for equivalence tests against the official
 * package: explicit {@code transformers_version} and {@code tie_word_embeddings}, a {@code rope_scaling}
 * object, every added token 151643…151705, the audio token attributes, a chat template, and weights
 * scaled so that the output depends on the audio at every step.
 *
 * <p>Same preset and seed give byte-identical files (the values are a pure function of seed, tensor
 * name and element index; see {@link CounterRandom}).
 *
 * <p>Command line: {@code --preset tiny|0.6b|1.7b|tiny-aligner|aligner --seed N --out DIR [--shards K] [--shared DIR] [--sha256]}.
 */
public final class SyntheticCheckpoint {
    /** Bump when the bytes a given (preset, seed) produces change. */
    public static final int GENERATOR_VERSION = 2;
    /** Written last; lets {@link #ensure} reuse a complete directory. Not part of the real layout. */
    public static final String MARKER_FILE = "synthetic_checkpoint.json";
    public static final String INDEX_FILE = "model.safetensors.index.json";

    private SyntheticCheckpoint() {
    }

    /** Generates into {@code outDir}, taking the tokenizer files from {@link #defaultSharedDir()}. */
    public static Path generate(Preset preset, long seed, Path outDir, int shards) throws IOException {
        return generate(preset, seed, outDir, shards, defaultSharedDir());
    }

    /**
     * Writes (or overwrites) the model directory and returns it.
     *
     * @param shards    1 for a single {@code model.safetensors}; K > 1 for
     *                  {@code model-0000k-of-0000K.safetensors} plus {@code model.safetensors.index.json}
     * @param sharedDir the shared data directory holding {@code data/qwen3-tokenizer/{vocab.json,merges.txt}}
     */
    public static Path generate(Preset preset, long seed, Path outDir, int shards, Path sharedDir) throws IOException {
        List<TensorSpec> tensors = TensorInventory.of(preset);
        if (shards < 1 || shards > tensors.size()) throw new IllegalArgumentException("shards must be 1.." + tensors.size());
        Path tokenizerDir = sharedDir.resolve("data").resolve("qwen3-tokenizer");
        for (String f : List.of("vocab.json", "merges.txt")) {
            if (!Files.isRegularFile(tokenizerDir.resolve(f))) throw new IOException("missing " + tokenizerDir.resolve(f));
        }
        Files.createDirectories(outDir);
        Files.deleteIfExists(outDir.resolve(MARKER_FILE));
        deleteOldWeights(outDir);

        writeWeights(tensors, seed, outDir, shards);

        writeText(outDir.resolve("config.json"), JsonText.pretty(ModelConfigFiles.config(preset)));
        writeText(outDir.resolve("preprocessor_config.json"), JsonText.pretty(ModelConfigFiles.preprocessorConfig(preset.audio())));
        writeText(outDir.resolve("tokenizer_config.json"), JsonText.pretty(TokenizerFiles.tokenizerConfig()));
        writeText(outDir.resolve("chat_template.json"), JsonText.pretty(TokenizerFiles.chatTemplate()));
        // Copy bytes only: the shared originals may be read-only, the copies must stay replaceable.
        for (String f : List.of("vocab.json", "merges.txt")) {
            Files.deleteIfExists(outDir.resolve(f));
            Files.write(outDir.resolve(f), Files.readAllBytes(tokenizerDir.resolve(f)));
        }

        writeText(outDir.resolve(MARKER_FILE), JsonText.pretty(marker(preset, seed, shards)));
        return outDir;
    }

    /** Like {@link #generate(Preset, long, Path, int, Path)} but reuses a complete directory made with the same arguments. */
    public static Path ensure(Preset preset, long seed, Path outDir, int shards, Path sharedDir) throws IOException {
        Path m = outDir.resolve(MARKER_FILE);
        if (Files.isRegularFile(m) && Files.readString(m).equals(JsonText.pretty(marker(preset, seed, shards)))) {
            return outDir;
        }
        return generate(preset, seed, outDir, shards, sharedDir);
    }

    /** {@link #ensure(Preset, long, Path, int, Path)} with {@link #defaultSharedDir()}. */
    public static Path ensure(Preset preset, long seed, Path outDir, int shards) throws IOException {
        return ensure(preset, seed, outDir, shards, defaultSharedDir());
    }

    /** The weights files of a directory generated with {@code shards} shards, in order. */
    public static List<String> weightFileNames(int shards) {
        if (shards == 1) return List.of("model.safetensors");
        List<String> names = new ArrayList<>();
        for (int k = 1; k <= shards; k++) names.add(String.format("model-%05d-of-%05d.safetensors", k, shards));
        return names;
    }

    /**
     * The shared data directory: system property {@code qwenasr.shared}, else {@code ../shared} or
     * {@code ../../shared} relative to the working directory (repository root or module directory).
     */
    public static Path defaultSharedDir() {
        String prop = System.getProperty("qwenasr.shared");
        if (prop != null && !prop.isBlank()) return Path.of(prop);
        for (String candidate : List.of("../shared", "../../shared")) {
            Path p = Path.of(candidate);
            if (Files.isDirectory(p.resolve("data").resolve("qwen3-tokenizer"))) return p;
        }
        return Path.of("../shared");
    }

    private static Map<String, Object> marker(Preset preset, long seed, int shards) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("generator_version", GENERATOR_VERSION);
        m.put("preset", preset.cliName());
        m.put("seed", seed);
        m.put("shards", shards);
        return m;
    }

    private static void writeWeights(List<TensorSpec> tensors, long seed, Path outDir, int shards) throws IOException {
        List<List<TensorSpec>> groups = splitIntoShards(tensors, shards);
        List<String> names = weightFileNames(shards);
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "synthetic-weights");
            t.setDaemon(true);
            return t;
        });
        try {
            for (int k = 0; k < shards; k++) SafetensorsWriter.write(outDir.resolve(names.get(k)), groups.get(k), seed, pool);
        } finally {
            pool.shutdownNow();
        }
        if (shards > 1) writeText(outDir.resolve(INDEX_FILE), JsonText.pretty(index(groups, names)));
    }

    /** Consecutive groups of roughly equal byte size, none empty. */
    static List<List<TensorSpec>> splitIntoShards(List<TensorSpec> tensors, int shards) {
        long total = tensors.stream().mapToLong(TensorSpec::bytes).sum();
        List<List<TensorSpec>> groups = new ArrayList<>();
        for (int k = 0; k < shards; k++) groups.add(new ArrayList<>());
        long done = 0;
        int k = 0;
        for (int i = 0; i < tensors.size(); i++) {
            TensorSpec t = tensors.get(i);
            int tensorsLeft = tensors.size() - i;
            int shardsAfter = shards - 1 - k;
            boolean shareReached = done >= total * (k + 1) / shards;
            // Move on once this shard holds its byte share, or when each later shard needs one of the rest.
            if (!groups.get(k).isEmpty() && shardsAfter > 0 && (shareReached || tensorsLeft == shardsAfter)) k++;
            groups.get(k).add(t);
            done += t.bytes();
        }
        return groups;
    }

    private static Map<String, Object> index(List<List<TensorSpec>> groups, List<String> names) {
        Map<String, Object> weightMap = new LinkedHashMap<>();
        long total = 0;
        for (int k = 0; k < groups.size(); k++) {
            for (TensorSpec t : groups.get(k)) {
                weightMap.put(t.name(), names.get(k));
                total += t.bytes();
            }
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("metadata", Map.of("total_size", total));
        root.put("weight_map", weightMap);
        return root;
    }

    private static void deleteOldWeights(Path dir) throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "model*.safetensors*")) {
            for (Path p : ds) Files.delete(p);
        }
    }

    private static void writeText(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    public static void main(String[] args) {
        Preset preset = null;
        Long seed = null;
        Path out = null;
        Path shared = null;
        int shards = 1;
        boolean sha = false;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--preset" -> preset = Preset.fromName(value(args, ++i));
                    case "--seed" -> seed = Long.parseLong(value(args, ++i));
                    case "--out" -> out = Path.of(value(args, ++i));
                    case "--shards" -> shards = Integer.parseInt(value(args, ++i));
                    case "--shared" -> shared = Path.of(value(args, ++i));
                    case "--sha256" -> sha = true;
                    case "-h", "--help" -> {
                        System.out.println(usage());
                        return;
                    }
                    default -> throw new IllegalArgumentException("unknown argument " + args[i]);
                }
            }
            if (preset == null || seed == null || out == null) throw new IllegalArgumentException("--preset, --seed and --out are required");
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(usage());
            System.exit(2);
            return;
        }
        try {
            long t0 = System.nanoTime();
            generate(preset, seed, out, shards, shared != null ? shared : defaultSharedDir());
            double secs = (System.nanoTime() - t0) / 1e9;
            long bytes = 0;
            for (String f : weightFileNames(shards)) bytes += Files.size(out.resolve(f));
            System.out.printf("wrote %s (preset %s, seed %d, %d shard(s), %.1f MB of weights) in %.1f s%n",
                    out, preset.cliName(), seed, shards, bytes / 1e6, secs);
            if (sha) {
                for (String f : weightFileNames(shards)) System.out.println(FileDigest.sha256Hex(out.resolve(f)) + "  " + f);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
        }
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) throw new IllegalArgumentException("missing value after " + args[i - 1]);
        return args[i];
    }

    private static String usage() {
        return "usage: SyntheticCheckpoint --preset tiny|0.6b|1.7b|tiny-aligner|aligner --seed N --out DIR [--shards K] [--shared DIR] [--sha256]";
    }
}
