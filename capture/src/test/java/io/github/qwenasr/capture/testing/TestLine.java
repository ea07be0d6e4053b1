package io.github.qwenasr.capture.testing;

import java.util.concurrent.locks.LockSupport;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.Control;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.Line;
import javax.sound.sampled.LineListener;
import javax.sound.sampled.TargetDataLine;

/**
 * A capture line that plays its device's bytes on the clock: byte p is available {@code p / bytes per
 * second / speed} seconds after {@link #start()}, and a read blocks until all it asked for is there,
 * as a real line does. After the audio it goes on with silence or closes, as the device says. A read
 * returns early, with what it has, when the line is stopped or closed.
 */
public final class TestLine implements TargetDataLine {
    private final TestDevice device;
    private final DataLine.Info info;
    private final double bytesPerSecond;
    private volatile boolean open;
    private volatile boolean running;
    private volatile long startNanos;
    private volatile long position;
    private volatile int bufferSize;
    private volatile AudioFormat openedFormat;
    private volatile long reads;

    TestLine(TestDevice device, DataLine.Info info) {
        this.device = device;
        this.info = info;
        AudioFormat p = device.played();
        this.bytesPerSecond = p.getFrameRate() * p.getFrameSize() * device.speed();
    }

    /** The format the capture opened the line in. */
    public AudioFormat openedFormat() {
        return openedFormat;
    }

    /** Reads the capture made so far. */
    public long reads() {
        return reads;
    }

    /** Bytes delivered so far. */
    public long delivered() {
        return position;
    }

    @Override
    public void open(AudioFormat format, int bufferSize) {
        if (!TestMixer.plays(device, format)) throw new IllegalArgumentException("unsupported format " + format);
        this.openedFormat = format;
        this.bufferSize = bufferSize;
        open = true;
    }

    @Override
    public void open(AudioFormat format) {
        open(format, 8192);
    }

    @Override
    public void open() {
        open(device.played());
    }

    @Override
    public int read(byte[] b, int off, int len) {
        reads++;
        int frame = device.played().getFrameSize();
        len = len / frame * frame;
        int done = 0;
        while (done < len && open) {
            long total = device.audio().length;
            if (position >= total && !device.silenceAfter()) {
                open = false; // the device went away
                break;
            }
            if (!running) break;
            long due = Double.isInfinite(bytesPerSecond) ? Long.MAX_VALUE
                    : (long) ((System.nanoTime() - startNanos) / 1e9 * bytesPerSecond) / frame * frame;
            long ready = due - position;
            if (ready < len - done) {
                // Sleep until the whole request is due (as a device read blocks), waking every 20 ms to see a stop.
                double waitSeconds = (len - done - Math.max(0, ready)) / bytesPerSecond;
                LockSupport.parkNanos((long) Math.max(100_000, Math.min(20_000_000, waitSeconds * 1e9)));
                continue;
            }
            int n = (int) Math.min(len - done, ready);
            if (position < total) {
                n = (int) Math.min(n, total - position);
                System.arraycopy(device.audio(), (int) position, b, off + done, n);
            } else {
                java.util.Arrays.fill(b, off + done, off + done + n, (byte) (isUnsigned8() ? 0x80 : 0));
            }
            position += n;
            done += n;
        }
        return done;
    }

    private boolean isUnsigned8() {
        AudioFormat p = device.played();
        return p.getSampleSizeInBits() == 8 && p.getEncoding().equals(AudioFormat.Encoding.PCM_UNSIGNED);
    }

    @Override
    public void start() {
        if (startNanos == 0) startNanos = System.nanoTime();
        running = true;
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public void close() {
        running = false;
        open = false;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public boolean isActive() {
        return running;
    }

    @Override
    public void drain() {
    }

    @Override
    public void flush() {
    }

    @Override
    public AudioFormat getFormat() {
        return openedFormat != null ? openedFormat : device.played();
    }

    @Override
    public int getBufferSize() {
        return bufferSize;
    }

    @Override
    public int available() {
        return 0;
    }

    @Override
    public int getFramePosition() {
        return (int) getLongFramePosition();
    }

    @Override
    public long getLongFramePosition() {
        return position / device.played().getFrameSize();
    }

    @Override
    public long getMicrosecondPosition() {
        return (long) (getLongFramePosition() * 1e6 / device.played().getFrameRate());
    }

    @Override
    public float getLevel() {
        return javax.sound.sampled.AudioSystem.NOT_SPECIFIED;
    }

    @Override
    public Line.Info getLineInfo() {
        return info;
    }

    @Override
    public Control[] getControls() {
        return new Control[0];
    }

    @Override
    public boolean isControlSupported(Control.Type control) {
        return false;
    }

    @Override
    public Control getControl(Control.Type control) {
        throw new IllegalArgumentException("no controls");
    }

    @Override
    public void addLineListener(LineListener listener) {
    }

    @Override
    public void removeLineListener(LineListener listener) {
    }
}
