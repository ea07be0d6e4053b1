/**
 * Audio capture for qwen-asr through {@code javax.sound.sampled}: input devices, the format read
 * from them, and a capture that delivers 16 kHz mono blocks to a streaming or segmented session
 * without ever blocking the device or growing without bound. A module of its own (JDK only): the
 * engine core stays free of {@code java.desktop}.
 */
module io.github.qwenasr.capture {
    requires transitive io.github.qwenasr;
    requires transitive java.desktop;

    exports io.github.qwenasr.capture;
}
