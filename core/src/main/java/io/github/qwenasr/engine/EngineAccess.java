package io.github.qwenasr.engine;

import io.github.qwenasr.QwenAsr;
import io.github.qwenasr.stream.StreamOptions;
import io.github.qwenasr.stream.StreamingSession;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * How the exported classes reach each other's internals without a public method for it: each
 * exported class that owns an internal part registers an accessor here from its static
 * initializer, and this package is not exported, so only the engine's own packages can call it
 * (the JDK's "shared secrets" pattern). {@code QwenAsr} gives its {@link Model}; {@code
 * StreamingSession} gives its constructor on a model, so {@code QwenAsr.openStream} is the only
 * public way to open a stream.
 */
public final class EngineAccess {
    private static volatile Function<QwenAsr, Model> models;
    private static volatile BiFunction<Model, StreamOptions, StreamingSession> streams;

    private EngineAccess() {
    }

    /** Called once by {@code QwenAsr}'s static initializer. */
    public static void registerModels(Function<QwenAsr, Model> access) {
        models = Objects.requireNonNull(access);
    }

    /** Called once by {@code StreamingSession}'s static initializer. */
    public static void registerStreams(BiFunction<Model, StreamOptions, StreamingSession> opener) {
        streams = Objects.requireNonNull(opener);
    }

    /** The model behind a loaded {@code QwenAsr} (its class is initialized: an instance exists). */
    public static Model model(QwenAsr asr) {
        return models.apply(Objects.requireNonNull(asr, "asr"));
    }

    /** A new streaming session on {@code model}. */
    public static StreamingSession openStream(Model model, StreamOptions options) {
        BiFunction<Model, StreamOptions, StreamingSession> opener = streams;
        if (opener == null) {
            initialize(StreamingSession.class);
            opener = streams;
        }
        return opener.apply(model, options);
    }

    private static void initialize(Class<?> c) {
        try {
            Class.forName(c.getName(), true, c.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
