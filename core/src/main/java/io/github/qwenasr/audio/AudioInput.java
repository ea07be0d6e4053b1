package io.github.qwenasr.audio;

import io.github.qwenasr.QwenAsrException;

import java.io.InputStream;
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
 * install ffmpeg. The ffmpeg decoders themselves are internal: this class, {@link SpooledAudio#anyFormat}
 * and {@link Ffmpeg} (which executable) are how a caller reaches them.
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

    /**
     * Decodes {@code in} while it arrives (live input, docs/modes.md 2.6): the returned stream carries a
     * WAV stream (32-bit float, 16 kHz, the source's channels, sizes left open) for an
     * {@link IncrementalPcmReader}; it ends only once ffmpeg has exited cleanly, and a failed or damaged
     * decode throws {@link QwenAsrException} from {@code read} instead. {@code in} is read to its end by a
     * background thread; closing the returned stream stops ffmpeg.
     *
     * @param name how errors call the input
     * @param kind what its first bytes look like ({@link InputFormat#sniff}), named in errors; null when not known
     * @throws QwenAsrException without ffmpeg, saying how to install it
     */
    public static InputStream decodeWhileArriving(InputStream in, String name, InputFormat kind, Ffmpeg ffmpeg) {
        return FfmpegStream.decode(in, name, kind, ffmpeg);
    }

    /**
     * How many times ffmpeg has decoded the file behind {@code audio} so far (the opening pass plus one
     * per restart, docs/modes.md 2.6), for a caller that reports it; 0 for audio ffmpeg does not decode.
     */
    public static int decodePasses(AudioSource audio) {
        FfmpegFileSource f = audio instanceof FfmpegFileSource s ? s
                : audio instanceof SpooledAudio spooled ? spooled.ffmpegSource() : null;
        return f == null ? 0 : f.decodePasses();
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
