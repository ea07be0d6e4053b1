package io.github.qwenasr;

/** Receives each generated token id as soon as it is chosen (stop tokens excluded). */
@FunctionalInterface
public interface TokenListener {
    void onToken(int id);
}
