package io.github.qwenasr;

/**
 * Which compute path a loaded model uses.
 *
 * @param requested what the load options asked for
 * @param used      what runs: {@code requested}, or EXACT after a fallback
 * @param detail    the native backend's name when it runs, why it could not when the model fell
 *                  back to EXACT, "" for a plain EXACT load
 */
public record ComputeStatus(ComputeMode requested, ComputeMode used, String detail) {
    public ComputeStatus {
        if (requested == null || used == null || detail == null) throw new IllegalArgumentException("null field");
    }

    /** Whether the request could not be met (the model runs EXACT instead). */
    public boolean fellBack() {
        return requested != used;
    }

    /**
     * The one line a command prints about its {@code --compute} request: what runs the matmuls, or
     * why bf16 could not and exact f32 runs instead; "" for a plain exact load.
     */
    public String notice() {
        if (fellBack()) return "Warning: --compute bf16 is not available here, running exact f32: " + detail;
        if (used == ComputeMode.BF16) return "Compute: bf16 on " + detail;
        return "";
    }
}
