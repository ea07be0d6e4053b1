/**
 * Voice activity detection over 16 kHz mono audio: which frames hold speech, and where the
 * utterances are.
 *
 * <p>Two detectors share {@link io.github.qwenasr.vad.VoiceActivityDetector}: {@link
 * io.github.qwenasr.vad.SileroVad}, the Silero VAD v6 network (32 ms frames, probabilities equal
 * to the silero-vad package's within 1e-4), and {@link io.github.qwenasr.vad.EnergyVad}, the seed
 * engine's RMS threshold (30 ms frames). Each hands out its own {@link
 * io.github.qwenasr.vad.UtteranceSegmenter}: {@link io.github.qwenasr.vad.SpeechSegmenter} follows
 * the package's {@code get_speech_timestamps}, {@link io.github.qwenasr.vad.EnergySegmenter} the
 * seed's hangover rules. Segmenters take one probability per frame and release each {@link
 * io.github.qwenasr.vad.SpeechRegion} as soon as it is final, so the same code serves whole files
 * and live capture.
 *
 * <pre>{@code
 * SileroVad vad = SileroVad.load();
 * float[] p = vad.probabilities(samples16k, 16000);
 * List<SpeechRegion> speech = SpeechSegmenter.regions(p, samples16k.length, SpeechSegmenter.Options.DEFAULTS);
 * }</pre>
 */
package io.github.qwenasr.vad;
