package io.github.qwenasr.equivalence;

import io.github.qwenasr.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Reads the golden fixtures the official package produced (format: tools/golden/README.md):
 * a manifest.json per preset and raw little-endian float32 tensor files beside it.
 */
final class GoldenManifest {
    final Path dir;
    final Map<String, Object> root;

    private GoldenManifest(Path dir, Map<String, Object> root) {
        this.dir = dir;
        this.root = root;
    }

    /** Loads golden/&lt;preset&gt;/manifest.json from the test resources; a missing fixture fails. */
    static GoldenManifest load(String preset) throws IOException {
        URL url = GoldenManifest.class.getResource("/golden/" + preset + "/manifest.json");
        if (url == null) throw new IllegalStateException("golden fixture golden/" + preset + "/manifest.json is missing");
        try {
            Path p = Path.of(url.toURI());
            return new GoldenManifest(p.getParent(), Json.parseObject(Files.readString(p)));
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }

    long seed() {
        return Json.getLong(root, "seed", -1);
    }

    String sha256(String file) {
        return (String) obj(root, "weights_sha256").get(file);
    }

    /** Context (system prompt) the reference was run with. */
    String context() {
        return Json.getString(obj(root, "reference"), "context", "");
    }

    /** Forced language of the reference run, or null. */
    String language() {
        return Json.getString(obj(root, "reference"), "language", null);
    }

    int maxNewTokens() {
        return (int) Json.getLong(root, "max_new_tokens", -1);
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> clips() {
        return (List<Map<String, Object>>) root.get("clips");
    }

    float[] tensor(String file) throws IOException {
        byte[] b = Files.readAllBytes(dir.resolve(file));
        float[] out = new float[b.length / 4];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    /** Resolves a clip input: shared clips under ../shared, generated ones in the test resources. */
    static Path input(Map<String, Object> clip, Path shared) throws IOException {
        Map<String, Object> in = obj(clip, "input");
        String loc = (String) in.get("location");
        String path = (String) in.get("path");
        if ("shared".equals(loc)) return shared.resolve(path);
        URL url = GoldenManifest.class.getResource("/" + path);
        if (url == null) throw new IllegalStateException("test audio " + path + " is missing");
        try (InputStream unused = url.openStream()) {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> obj(Map<String, Object> m, String key) {
        return (Map<String, Object>) m.get(key);
    }

    @SuppressWarnings("unchecked")
    static int[] ints(Object list) {
        List<Object> l = (List<Object>) list;
        int[] out = new int[l.size()];
        for (int i = 0; i < out.length; i++) out[i] = ((Number) l.get(i)).intValue();
        return out;
    }

    @SuppressWarnings("unchecked")
    static float[] floats(Object list) {
        List<Object> l = (List<Object>) list;
        float[] out = new float[l.size()];
        for (int i = 0; i < out.length; i++) out[i] = ((Number) l.get(i)).floatValue();
        return out;
    }
}
