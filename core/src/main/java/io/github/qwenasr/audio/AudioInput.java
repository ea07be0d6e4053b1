package io.github.qwenasr.audio;

import io.github.qwenasr.QwenAsrException;

import java.nio.file.Path;

/**
 * Opens an audio file of any format as model input, choosing the decoder by the file's content, not its
 * name (docs/modes.md 2.6): WAV goes to the pure-Java {@link WavFileSource}; any other audio or video
 * container (MP3, M4A/MP4, FLAC, Ogg, WebM/Matroska, AIFF, ...), and bytes that match no known
 * signature, go to ffmpeg ({@link FfmpegFileSource}), as does a WAV file in an encoding the Java decoder
 * lacks (A-law, µ-law, ADPCM, RIFX) when ffmpeg is there. Text and well-known non-audio files (images,
 * PDF, archives) are refused with what they look like.
 *
 * <p>Without ffmpeg, a file that needs it fails with one line naming the format found and how to
 * install ffmpeg.
 */
public final class AudioInput {
    private AudioInput() {
    }

    /** {@link #open(Path, Ffmpeg)} with ffmpeg found through the system property, environment and PATH. */
    public static AudioSource open(Path file) {
        return open(file, Ffmpeg.system());
    }

    /**
     * Opens {@code file}; errors name it.
     *
     * @throws QwenAsrException when the file cannot be read, is not audio, needs the missing ffmpeg, or
     *                          cannot be decoded
     */
    public static AudioSource open(Path file, Ffmpeg ffmpeg) {
        InputFormat kind = InputFormat.sniff(file);
        if (!viaFfmpeg(kind)) {
            try {
                return WavFileSource.open(file); // also the errors for missing files, text, images
            } catch (QwenAsrException e) {
                if (!(e.getCause() instanceof UnsupportedWavException) || !ffmpeg.available()) throw e;
                return FfmpegFileSource.open(file, file.toString(), InputFormat.WAV, ffmpeg);
            }
        }
        return FfmpegFileSource.open(file, file.toString(), kind, ffmpeg);
    }

    /** Whether input that sniffs as {@code kind} (null: unreadable) is decoded by ffmpeg. */
    static boolean viaFfmpeg(InputFormat kind) {
        if (kind == null || kind == InputFormat.WAV || kind == InputFormat.TEXT) return false;
        return kind.isAudio() || kind == InputFormat.UNKNOWN;
    }

    /** How messages describe input of this kind ("MP3 audio"), to follow "name: ". */
    static String describe(InputFormat kind) {
        return kind == null || kind == InputFormat.UNKNOWN ? "input that is not WAV (an unknown format)" : kind.label() + " audio";
    }
}
