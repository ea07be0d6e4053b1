package io.github.qwenasr.cli;

import io.github.qwenasr.ComputeStatus;

/** The stderr line about --compute: what runs the matmuls, or why bf16 could not. */
final class ComputeNotice {
    private ComputeNotice() {}

    static void log(ComputeStatus s, Log log) {
        if (!s.notice().isEmpty()) log.info(s.notice());
    }
}
