package io.github.qwenasr.server;

/** Mono audio read block by block as it arrives (a WebSocket stream's decoded frames). */
interface PcmBlocks {
    /** The next samples in [-1, 1] (at least one), or null at the end of the audio; blocks until some arrive. */
    float[] next();

    /** Their sample rate in Hz. */
    int sampleRate();
}
