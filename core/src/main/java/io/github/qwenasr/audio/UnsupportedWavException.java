package io.github.qwenasr.audio;

import io.github.qwenasr.QwenAsrException;

/**
 * A well-formed WAV file in an encoding the pure-Java decoder does not implement (big-endian RIFX,
 * ADPCM, A-law, µ-law, MP3 in WAV, an unusual bit depth): {@link AudioInput} hands such a file to
 * ffmpeg when it is available instead of failing.
 */
final class UnsupportedWavException extends QwenAsrException {
    UnsupportedWavException(String message) {
        super(message);
    }
}
