/**
 * The qwen-asr engine: speech recognition with Qwen3-ASR and word timing with Qwen3-ForcedAligner on
 * the CPU, JDK only. A library user needs only the exported packages:
 * <ul>
 *   <li>{@code io.github.qwenasr}: {@code QwenAsr} (load, transcribe, openStream, openSegmented), the
 *       options and results of a transcription, {@code SegmentedSession};</li>
 *   <li>{@code io.github.qwenasr.stream}: live transcription sessions;</li>
 *   <li>{@code io.github.qwenasr.align}: the forced aligner, transcription with word times, and the
 *       {@code WordSegmenter} service for languages written without spaces;</li>
 *   <li>{@code io.github.qwenasr.audio}: WAV decoding, any other format through ffmpeg
 *       ({@code AudioInput}), resampling, audio read in pieces;</li>
 *   <li>{@code io.github.qwenasr.format}: txt, json, srt and vtt output, atomic file writes;</li>
 *   <li>{@code io.github.qwenasr.hub}: model download from the Hugging Face hub;</li>
 *   <li>{@code io.github.qwenasr.vad}: voice activity detection (Silero VAD, energy) and speech regions.</li>
 * </ul>
 * Everything else (kernels, weights, config, tokenizer, prompt, encoder, decoder, decoding loop,
 * long-audio planning, the engine's model handle) is internal and may change in any release.
 * The kernel package is exported to the optional {@code io.github.qwenasr.nativebf16} module only,
 * which implements the {@code GemmBackend} service ({@code ComputeMode.BF16}) on the pool's workers.
 */
module io.github.qwenasr {
    requires transitive jdk.incubator.vector;
    requires java.net.http;

    exports io.github.qwenasr;
    exports io.github.qwenasr.align;
    exports io.github.qwenasr.audio;
    exports io.github.qwenasr.format;
    exports io.github.qwenasr.hub;
    exports io.github.qwenasr.stream;
    exports io.github.qwenasr.vad;

    // The GemmBackend SPI (and the pool its products run on) for the optional bf16 module only.
    exports io.github.qwenasr.kernel to io.github.qwenasr.nativebf16;
    // The engine's one JSON string writer, for the accuracy tool's details file.
    exports io.github.qwenasr.json to io.github.qwenasr.eval;

    uses io.github.qwenasr.align.WordSegmenter;
    uses io.github.qwenasr.kernel.GemmBackend;
}
