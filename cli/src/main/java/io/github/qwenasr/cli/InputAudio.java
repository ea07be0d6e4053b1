package io.github.qwenasr.cli;

import io.github.qwenasr.audio.AudioInput;
import io.github.qwenasr.audio.AudioSource;
import io.github.qwenasr.audio.Ffmpeg;
import io.github.qwenasr.audio.SpooledAudio;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * The run's audio input in any format (docs/modes.md 2.6): WAV is read by the engine itself; anything
 * else ffmpeg reads (MP3, M4A, FLAC, Ogg/Opus, a video's sound) is decoded by ffmpeg, found through
 * {@code QWEN_ASR_FFMPEG} or the {@code PATH} of the run's environment. Closing it stops a live ffmpeg.
 */
final class InputAudio implements AutoCloseable {
    private final CliRequest request;
    private final InputStream stdin;
    private final Ffmpeg ffmpeg;
    private final Log log;
    private InputStream live;
    /** The audio ffmpeg decodes from a file, whose passes --debug reports at the end. */
    private AudioSource decoded;

    InputAudio(CliRequest request, InputStream stdin, Map<String, String> env, Log log) {
        this.request = request;
        this.stdin = stdin;
        this.ffmpeg = Ffmpeg.fromEnvironment(env);
        this.log = log;
    }

    /**
     * The input for an offline run: the {@code -i} file, opened and checked now but read piece by piece
     * while decoding; or stdin (checked by {@link StdinInput}), copied to a temporary file and read the
     * same way.
     */
    AudioSource open() {
        if (!request.readsStdin()) return openFile();
        StdinInput.Head head = StdinInput.sniff(stdin, request.rawStdin());
        if (request.rawStdin()) {
            log.debug("Reading audio from stdin: raw s16le 16 kHz mono");
            return SpooledAudio.rawS16le(head.stream(), "stdin");
        }
        log.debug("Reading audio from stdin: " + head.format().label()
                + (head.format().isWav() ? "" : ", decoded by " + ffmpeg));
        SpooledAudio spooled = SpooledAudio.anyFormat(head.stream(), "stdin", ffmpeg);
        if (AudioInput.decodePasses(spooled) > 0) decoded = spooled;
        return spooled;
    }

    /** The {@code -i} file. */
    AudioSource openFile() {
        log.debug("Reading audio from " + request.inputFile());
        AudioSource audio = AudioInput.open(request.inputFile(), ffmpeg);
        if (AudioInput.decodePasses(audio) > 0) {
            decoded = audio;
            log.debug("Decoded by " + ffmpeg + " (16 kHz, read in passes)");
        }
        return audio;
    }

    /**
     * Stdin for {@code --stream}, as it arrives: WAV (or raw PCM with --raw) as it is, other audio as
     * the WAV stream ffmpeg decodes from it while it arrives.
     */
    InputStream liveStdin() {
        StdinInput.Head head = StdinInput.sniff(stdin, request.rawStdin());
        if (request.rawStdin() || head.format().isWav()) return head.stream();
        log.debug("Decoding " + head.format().label() + " on stdin with " + ffmpeg + " as it arrives");
        live = AudioInput.decodeWhileArriving(head.stream(), "stdin", head.format(), ffmpeg);
        return live;
    }

    @Override
    public void close() {
        if (live != null) {
            try {
                live.close(); // stops ffmpeg
            } catch (IOException ignored) {
                // closing ffmpeg's output only ends the process; there is nothing left to report
            }
        }
        if (decoded != null) log.debug("ffmpeg decoded the input " + AudioInput.decodePasses(decoded) + " times");
    }
}
