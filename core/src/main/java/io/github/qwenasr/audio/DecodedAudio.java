package io.github.qwenasr.audio;

/**
 * A decoded WAV file: mono samples at the file's native rate (docs/model.md 2.1 steps 1-2).
 *
 * @param samples       mono samples (mean over the file's channels), scaled as in docs/model.md 2.1 step 1
 * @param sampleRate    the file's sample rate in Hz (not resampled)
 * @param channels      channel count stored in the file (before the downmix)
 * @param bitsPerSample bits per stored sample (8, 16, 24, 32 or 64)
 * @param format        short encoding name in ffmpeg style, e.g. {@code pcm_s16le} or {@code pcm_f32le}
 */
record DecodedAudio(float[] samples, int sampleRate, int channels, int bitsPerSample, String format) {

    /** Duration in seconds. */
    public double seconds() {
        return samples.length / (double) sampleRate;
    }
}
