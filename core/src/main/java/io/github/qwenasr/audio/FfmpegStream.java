package io.github.qwenasr.audio;

import io.github.qwenasr.QwenAsrException;

import java.io.IOException;
import java.io.InputStream;

/**
 * Audio in any format ffmpeg reads, decoded while it arrives (live {@code --stdin --stream}, docs/modes.md
 * 2.6): the bytes of a WAV stream (float32, 16 kHz, the source's channels, sizes left open) that an
 * {@link IncrementalPcmReader} turns into mono blocks. The input stream is copied to ffmpeg as it
 * arrives and ffmpeg's output is read as it comes, so memory stays bounded and nothing touches the disk.
 *
 * <p>The end of the stream is reported only once ffmpeg has exited cleanly: a decode that failed or
 * met damaged data throws {@link QwenAsrException} from {@code read} instead, so a cut-off input is
 * never taken for the complete one. {@link #close()} kills ffmpeg. Not thread-safe, except
 * {@code close}.
 */
final class FfmpegStream extends InputStream {
    private final FfmpegProcess process;
    private final InputStream out;
    private boolean ended;

    private FfmpegStream(FfmpegProcess process) {
        this.process = process;
        this.out = process.output();
    }

    /**
     * Starts decoding {@code in} (read to its end by a background thread); errors call it {@code name}
     * and name its format {@code kind} (null when not known). ffmpeg may wait as long as the input does.
     *
     * @throws QwenAsrException without ffmpeg, saying how to install it
     */
    static FfmpegStream decode(InputStream in, String name, InputFormat kind, Ffmpeg ffmpeg) {
        return new FfmpegStream(FfmpegProcess.start(ffmpeg, "pipe:0", in, name, kind, 0));
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (ended) return -1;
        if (len == 0) return 0;
        int n;
        try {
            n = out.read(b, off, len);
        } catch (IOException e) {
            if (process.closed()) return -1;
            process.finish(); // ffmpeg's reason, when it failed
            throw e;
        }
        if (n < 0) {
            ended = true;
            process.finish();
        }
        return n;
    }

    @Override
    public void close() {
        process.close();
    }
}
