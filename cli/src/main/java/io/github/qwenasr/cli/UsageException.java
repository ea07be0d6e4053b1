package io.github.qwenasr.cli;

/** A command-line mistake found after parsing (exit status {@link ExitCodes#USAGE}); the message is one line. */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }
}
