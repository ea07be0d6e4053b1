package io.github.qwenasr.weights;

/** Element types a safetensors tensor may have that the engine reads (docs/model.md 1.2). */
public enum DType {
    BF16(2),
    F16(2),
    F32(4);

    /** Bytes per element. */
    public final int size;

    DType(int size) {
        this.size = size;
    }

    /** Maps a safetensors dtype string; null when the engine cannot read it. */
    static DType fromSafetensors(String s) {
        return switch (s) {
            case "BF16" -> BF16;
            case "F16" -> F16;
            case "F32" -> F32;
            default -> null;
        };
    }
}
