package io.github.qwenasr;

/**
 * Receives each generated token id as soon as it is chosen (stop tokens excluded).
 *
 * <p>Called on the model's decode thread, which chooses the next token of every transcription in
 * flight on the model (docs/modes.md 14): keep it cheap (hand slow work to another thread), since
 * the whole batch waits for it, and do not start a transcription from it (that fails with an
 * {@link IllegalStateException}). An exception it throws ends its own transcription with that
 * exception; the others go on.
 */
@FunctionalInterface
public interface TokenListener {
    void onToken(int id);
}
