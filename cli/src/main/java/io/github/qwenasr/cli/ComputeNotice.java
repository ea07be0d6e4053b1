package io.github.qwenasr.cli;

import io.github.qwenasr.ComputeMode;
import io.github.qwenasr.ComputeStatus;

/** The stderr line about --compute: what runs the matmuls, or why bf16 could not. */
final class ComputeNotice {
    private ComputeNotice() {}

    static void log(ComputeStatus s, Log log) {
        if (s.fellBack()) {
            log.info("Warning: --compute bf16 is not available here, running exact f32: " + s.detail());
        } else if (s.used() == ComputeMode.BF16) {
            log.info("Compute: bf16 on " + s.detail());
        }
    }
}
