package io.github.qwenasr.cli;

/** How much the tool writes to stderr (docs/modes.md 1.4): {@code --silent}, default, {@code --debug}. */
enum Verbosity {
    /** Errors only (and the {@code --profile} report when asked for). */
    SILENT,
    /** Model loading lines and the two statistics lines. */
    NORMAL,
    /** Everything of NORMAL plus per-stage diagnostics. */
    DEBUG
}
