package io.github.qwenasr.kernel;

import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/** Finds a usable {@link GemmBackend} on the class path, or says why there is none. */
public final class GemmBackends {
    private GemmBackends() {}

    /**
     * The outcome of a search.
     *
     * @param backend the first usable backend, or null
     * @param reason  why none is usable (null when one is)
     */
    public record Found(GemmBackend backend, String reason) {}

    /** The first provider whose {@link GemmBackend#unavailableReason()} is null. */
    public static Found find() {
        String first = null;
        try {
            for (GemmBackend b : ServiceLoader.load(GemmBackend.class)) {
                String reason = b.unavailableReason();
                if (reason == null) return new Found(b, null);
                if (first == null) first = reason;
            }
        } catch (ServiceConfigurationError e) {
            return new Found(null, "the native GEMM module could not be loaded: " + e.getMessage());
        }
        return new Found(null, first != null ? first
                : "the qwen-asr-native-bf16 module is not on the class path (the bin/qwen-asr jar includes it)");
    }
}
