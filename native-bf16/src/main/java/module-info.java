/**
 * Optional bf16 compute for the qwen-asr engine ({@code ComputeMode.BF16}, {@code --compute bf16}):
 * oneDNN's bf16 GEMM, found as a system library and bound with {@code java.lang.foreign} (no JNI code,
 * no native build), provided to the engine as its {@code GemmBackend} service.
 */
module io.github.qwenasr.nativebf16 {
    requires io.github.qwenasr;

    provides io.github.qwenasr.kernel.GemmBackend with io.github.qwenasr.nativebf16.OneDnnBf16Gemm;
}
