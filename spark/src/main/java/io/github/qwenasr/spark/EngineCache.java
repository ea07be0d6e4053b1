package io.github.qwenasr.spark;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The engines loaded in this JVM, one per {@link EngineKey}, kept for the JVM's lifetime. An executor
 * runs many tasks one after another (and several at once); they all use the same loaded model, whose
 * weights are memory-mapped, so a task costs no load and no copy. Loading again for every task (or
 * reference counting that unloads between tasks) would repeat the load for each partition.
 */
public final class EngineCache {
    private static final Map<EngineKey, TranscriberAdapter> ENGINES = new ConcurrentHashMap<>();

    private EngineCache() {
    }

    /**
     * The engine for {@code key}, loaded on first use; concurrent first uses load it once.
     *
     * @throws QwenAsrSparkException when the model cannot be loaded (the task fails: a model that does not
     *                               load is a problem of the job, not of one input)
     */
    public static TranscriberAdapter get(EngineKey key) {
        return ENGINES.computeIfAbsent(key, TranscriberAdapter::load);
    }

    /** Closes and forgets every engine of this JVM (tests; a long-lived driver that changes models). */
    public static synchronized void closeAll() {
        for (EngineKey k : ENGINES.keySet()) {
            TranscriberAdapter a = ENGINES.remove(k);
            if (a != null) a.close();
        }
    }
}
