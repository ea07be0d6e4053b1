package io.github.qwenasr.capture;

import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.audio.IncrementalPcmReader;
import io.github.qwenasr.audio.StreamingResampler;
import java.util.Locale;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.Mixer;
import javax.sound.sampled.TargetDataLine;

/**
 * Audio captured from an input device, delivered as 16 kHz mono blocks (docs/modes.md 7.1).
 *
 * <p>A capture thread reads the device's line in blocks of about {@link Options#blockMillis()} (the
 * read blocks until the device has delivered them), decodes them as the engine decodes WAV audio
 * (channels averaged), converts them to 16 kHz with a stateful resampler and puts them in a bounded
 * buffer. The capture never waits for the consumer: when the consumer falls behind by more than
 * {@link Options#bufferSeconds()}, the oldest audio is dropped and the next block says how much
 * ({@link CapturedAudio#droppedBefore()}). Memory is that buffer and the device line's own
 * buffer, whatever the capture's length.
 *
 * <pre>{@code
 * InputDevice mic = InputDevices.system().select(null);
 * try (AudioCapture capture = AudioCapture.open(mic, AudioCapture.Options.DEFAULTS);
 *      StreamingSession s = asr.openStream(StreamOptions.defaults())) {
 *     capture.start();
 *     CapturedAudio block;
 *     while ((block = capture.next()) != null) System.out.print(s.push(block.samples(), 16000).committedDelta());
 * }
 * }</pre>
 *
 * {@link #stop()} (from any thread, e.g. a Ctrl-C handler) ends the capture: {@link #next()} then
 * returns the blocks still held and then null. A device that stops delivering (unplugged, closed)
 * ends it the same way.
 */
public final class AudioCapture implements AutoCloseable {
    /** The rate of the delivered blocks. */
    public static final int SAMPLE_RATE = 16_000;

    /**
     * @param bufferSeconds audio held for a consumer that falls behind before the oldest is dropped, 0.1 to 600 s
     * @param blockMillis   audio per read of the device, 5 to 1000 ms
     */
    public record Options(double bufferSeconds, int blockMillis) {
        /** 30 s of buffer, 32 ms blocks (one Silero frame). */
        public static final Options DEFAULTS = new Options(30, 32);

        public Options {
            if (!(bufferSeconds >= 0.1 && bufferSeconds <= 600)) {
                throw new QwenAsrException("capture buffer must be 0.1 to 600 s, got " + bufferSeconds);
            }
            if (blockMillis < 5 || blockMillis > 1000) throw new QwenAsrException("capture block must be 5 to 1000 ms, got " + blockMillis);
        }

        public Options withBufferSeconds(double seconds) {
            return new Options(seconds, blockMillis);
        }
    }

    private final InputDevice device;
    private final AudioFormat format;
    private final TargetDataLine line;
    private final Options options;
    private final CaptureBuffer buffer;
    private final Thread thread;
    private volatile boolean stopRequested;
    private boolean ended;

    private AudioCapture(InputDevice device, AudioFormat format, TargetDataLine line, Options options) {
        this.device = device;
        this.format = format;
        this.line = line;
        this.options = options;
        this.buffer = new CaptureBuffer(Math.round(options.bufferSeconds() * SAMPLE_RATE));
        this.thread = Thread.ofPlatform().daemon().name("qwen-asr-capture").unstarted(this::capture);
    }

    /**
     * Opens {@code device} in the format {@link CaptureFormat#choose} picks; nothing is read before
     * {@link #start()}.
     *
     * @throws QwenAsrException when it offers no readable format or cannot be opened (in use, not allowed)
     */
    public static AudioCapture open(InputDevice device, Options options) {
        AudioFormat format = CaptureFormat.choose(device);
        TargetDataLine line;
        try {
            Mixer mixer = AudioSystem.getMixer(device.mixer());
            line = (TargetDataLine) mixer.getLine(new DataLine.Info(TargetDataLine.class, format));
            // The line's own buffer: half a second, so a capture thread held up briefly (a GC pause) loses nothing.
            int half = Math.max(format.getFrameSize(), Math.round(format.getFrameRate() / 2) * format.getFrameSize());
            line.open(format, half);
        } catch (LineUnavailableException | IllegalArgumentException | SecurityException e) {
            throw new QwenAsrException("cannot open input device " + device.label() + " (" + CaptureFormat.describe(format)
                    + "): " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                    + " (is it in use by another program, or is microphone access denied?)");
        }
        return new AudioCapture(device, format, line, options);
    }

    /** The device. */
    public InputDevice device() {
        return device;
    }

    /** The format the device is read in. */
    public AudioFormat format() {
        return format;
    }

    /** One line for messages, e.g. "0 'default [default]' (48000 Hz, 2 ch, s16le)". */
    public String describe() {
        return device.label() + " (" + CaptureFormat.describe(format) + ")";
    }

    /** Starts the device and the capture thread. */
    public void start() {
        line.start();
        thread.start();
    }

    /**
     * The next block of 16 kHz mono audio, waiting for it; null at the end of the capture (after
     * {@link #stop()} or when the device stopped delivering), once the held blocks are out.
     *
     * @throws QwenAsrException when reading the device failed
     */
    public CapturedAudio next() {
        if (ended) return null;
        try {
            CapturedAudio b;
            do {
                b = buffer.poll(100);
            } while (b == null);
            if (b == CaptureBuffer.END) {
                ended = true;
                return null;
            }
            return b;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QwenAsrException("interrupted while waiting for audio from the input device");
        }
    }

    /** Samples dropped so far because the consumer fell behind. */
    public long droppedSamples() {
        return buffer.droppedSamples();
    }

    /** Ends the capture (any thread): the device stops, {@link #next()} returns the held blocks and then null. */
    public void stop() {
        stopRequested = true;
        line.stop();
    }

    /** Stops the capture and releases the device; a second call does nothing. */
    @Override
    public void close() {
        stop();
        line.close();
        thread.interrupt();
    }

    private void capture() {
        try {
            int frame = format.getFrameSize();
            int blockBytes = Math.max(64, Math.round(format.getFrameRate() * options.blockMillis() / 1000f) * frame);
            IncrementalPcmReader reader = new IncrementalPcmReader(
                    new LineInputStream(line, format, blockBytes, () -> stopRequested), Math.max(64, blockBytes));
            reader.readHeader();
            StreamingResampler resampler = new StreamingResampler(reader.sampleRate(), SAMPLE_RATE);
            float[] block;
            while ((block = reader.read()) != null) buffer.offer(resampler.push(block));
            buffer.offer(resampler.finish()); // the last few milliseconds the filter held back
            buffer.end();
        } catch (RuntimeException e) {
            if (stopRequested) {
                buffer.end(); // a read cut short by stop() is the end, not a failure
            } else {
                buffer.fail(new QwenAsrException("reading input device " + device.label() + " failed: " + e.getMessage()));
            }
        } catch (Error e) {
            buffer.fail(new QwenAsrException(String.format(Locale.ROOT, "reading input device %s failed: %s",
                    device.label(), e)));
        }
    }
}
