package io.github.qwenasr.hub;

import io.github.qwenasr.tools.FakeHub;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * A small stand-in for a model repository on a {@link FakeHub}: the files the engine needs (tiny
 * JSON and tokenizer files in git, a few hundred KiB of "weights" in LFS) plus a README and
 * .gitattributes that a download must leave out.
 */
final class FakeModelRepo {
    static final String REPO = ModelCatalog.ASR_0_6B.repoId();
    static final String WEIGHTS = "model.safetensors";
    static final int WEIGHTS_SIZE = 300_000;

    /** The files a download must produce, name to content. */
    final Map<String, byte[]> modelFiles = new LinkedHashMap<>();

    FakeModelRepo() {
        modelFiles.put("config.json", utf8("{\"model_type\": \"qwen3_asr\"}\n"));
        modelFiles.put("tokenizer_config.json", utf8("{\"added_tokens_decoder\": {}}\n"));
        modelFiles.put("vocab.json", utf8("{\"a\": 0, \"b\": 1}\n"));
        modelFiles.put("merges.txt", utf8("#version: 0.2\na b\n"));
        modelFiles.put("preprocessor_config.json", utf8("{\"sampling_rate\": 16000}\n"));
        byte[] weights = new byte[WEIGHTS_SIZE];
        new Random(42).nextBytes(weights);
        modelFiles.put(WEIGHTS, weights);
    }

    /** Publishes the repository on {@code hub}. */
    FakeModelRepo publishOn(FakeHub hub) {
        for (Map.Entry<String, byte[]> e : modelFiles.entrySet()) {
            if (e.getKey().endsWith(".safetensors")) hub.addLfsFile(REPO, e.getKey(), e.getValue());
            else hub.addFile(REPO, e.getKey(), e.getValue());
        }
        hub.addFile(REPO, "README.md", utf8("# A model\n"));
        hub.addFile(REPO, ".gitattributes", utf8("*.safetensors filter=lfs diff=lfs merge=lfs -text\n"));
        return this;
    }

    byte[] weights() {
        return modelFiles.get(WEIGHTS);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
