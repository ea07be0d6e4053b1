package io.github.qwenasr.vad;

import io.github.qwenasr.audio.AudioLoader;
import io.github.qwenasr.audio.SharedAudio;
import io.github.qwenasr.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The silero-vad package's reference output (golden/vad, written by tools/golden/make_vad_golden.py):
 * per-frame probabilities and get_speech_timestamps regions for the shared clips and two generated
 * inputs. A missing fixture or clip fails.
 */
final class VadGolden {
    /** One input of the manifest. */
    record Clip(String name, float[] audio, float[] probabilities, double maxProbability,
                Map<String, List<SpeechRegion>> regions) {
    }

    final Map<String, Object> root;
    final Map<String, SpeechSegmenter.Options> optionSets = new LinkedHashMap<>();
    final List<Clip> clips = new ArrayList<>();

    private VadGolden(Map<String, Object> root) throws IOException {
        this.root = root;
        Map<String, Object> sets = Json.object(root, "option_sets");
        for (String name : sets.keySet()) optionSets.put(name, options(Json.object(sets, name)));
        for (Object o : (List<?>) root.get("clips")) clips.add(clip(map(o)));
    }

    static VadGolden load() throws IOException {
        return new VadGolden(Json.parseObject(new String(resource("manifest.json"), StandardCharsets.UTF_8)));
    }

    Clip clip(String name) {
        return clips.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no golden clip " + name));
    }

    String weightsSha256() {
        return Json.getString(Json.object(root, "weights"), "sha256", null);
    }

    private static byte[] resource(String file) throws IOException {
        try (InputStream in = VadGolden.class.getResourceAsStream("/golden/vad/" + file)) {
            if (in == null) throw new AssertionError("golden fixture golden/vad/" + file + " is missing");
            return in.readAllBytes();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    /** get_speech_timestamps keyword arguments as options (an unknown one fails). */
    private static SpeechSegmenter.Options options(Map<String, Object> kw) {
        SpeechSegmenter.Options d = SpeechSegmenter.Options.DEFAULTS;
        for (String k : kw.keySet()) {
            if (!List.of("threshold", "neg_threshold", "min_speech_duration_ms", "max_speech_duration_s",
                    "min_silence_duration_ms", "speech_pad_ms", "min_silence_at_max_speech",
                    "use_max_poss_sil_at_max_speech").contains(k)) {
                throw new AssertionError("unknown get_speech_timestamps option " + k);
            }
        }
        return new SpeechSegmenter.Options(
                Json.getDouble(kw, "threshold", d.threshold()),
                Json.getDouble(kw, "neg_threshold", Double.NaN),
                (int) Json.getLong(kw, "min_speech_duration_ms", d.minSpeechMs()),
                Json.getDouble(kw, "max_speech_duration_s", d.maxSpeechSeconds()),
                (int) Json.getLong(kw, "min_silence_duration_ms", d.minSilenceMs()),
                (int) Json.getLong(kw, "speech_pad_ms", d.speechPadMs()),
                (int) Json.getLong(kw, "min_silence_at_max_speech", d.minSilenceAtMaxSpeechMs()),
                Json.getBoolean(kw, "use_max_poss_sil_at_max_speech", d.cutAtLongestSilence()));
    }

    private static Clip clip(Map<String, Object> c) throws IOException {
        String name = Json.getString(c, "name", null);
        Map<String, Object> in = Json.object(c, "input");
        float[] audio = switch (Json.getString(in, "location", "")) {
            case "shared" -> {
                Path wav = SharedAudio.clip(Json.getString(in, "path", "").substring("data/audio/".length()));
                // The goldens were made from the PCM16 values as they are: the file must need no resampling.
                ByteBuffer fmt = ByteBuffer.wrap(Files.readAllBytes(wav)).order(ByteOrder.LITTLE_ENDIAN);
                if (fmt.getShort(22) != 1 || fmt.getInt(24) != 16_000 || fmt.getShort(34) != 16) {
                    throw new AssertionError(name + " is not 16 kHz mono PCM16");
                }
                yield AudioLoader.load16k(wav);
            }
            case "generated" -> generated(in);
            default -> throw new AssertionError("unknown input location for " + name);
        };
        if (audio.length != Json.getLong(c, "samples", -1)) throw new AssertionError(name + ": sample count differs from the manifest");
        byte[] b = resource(Json.getString(c, "probabilities", null));
        float[] probs = new float[b.length / 4];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(probs);
        if (probs.length != Json.getLong(c, "frames", -1)) throw new AssertionError(name + ": frame count differs from the manifest");
        Map<String, List<SpeechRegion>> regions = new LinkedHashMap<>();
        Map<String, Object> r = Json.object(c, "regions");
        for (String set : r.keySet()) {
            List<SpeechRegion> list = new ArrayList<>();
            for (Object pair : (List<?>) r.get(set)) {
                List<?> p = (List<?>) pair;
                list.add(new SpeechRegion(((Number) p.get(0)).longValue(), ((Number) p.get(1)).longValue()));
            }
            regions.put(set, List.copyOf(list));
        }
        return new Clip(name, audio, probs, Json.getDouble(c, "max_probability", Double.NaN), regions);
    }

    private static float[] generated(Map<String, Object> in) {
        int n = (int) Json.getLong(in, "samples", -1);
        return switch (Json.getString(in, "kind", "")) {
            case "zeros" -> new float[n];
            case "lcg_uniform_noise" -> lcgNoise(n, Json.getLong(in, "seed", -1), (float) Json.getDouble(in, "amplitude", Double.NaN));
            default -> throw new AssertionError("unknown generated input " + in);
        };
    }

    /** The script's white noise, bit for bit: s = s * 1664525 + 1013904223 mod 2^32, top 24 bits. */
    static float[] lcgNoise(int n, long seed, float amplitude) {
        float[] out = new float[n];
        long s = seed;
        for (int i = 0; i < n; i++) {
            s = (s * 1664525L + 1013904223L) & 0xFFFFFFFFL;
            out[i] = (float) ((s >>> 8) / 16777216.0 * 2.0 - 1.0) * amplitude;
        }
        return out;
    }
}
