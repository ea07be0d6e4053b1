package io.github.qwenasr.cli;

import io.github.qwenasr.capture.AudioCapture;
import io.github.qwenasr.capture.CapturedAudio;
import java.util.Locale;

/**
 * The blocks of an {@link AudioCapture} for the live modes (docs/modes.md 7.1), with the two warnings a
 * user needs: audio dropped because decoding fell behind (one line per gap, saying how much and
 * where), and a device that delivers nothing but digital silence for its first 3 s (muted, or on
 * macOS the terminal not allowed to use the microphone).
 */
final class CaptureSource implements StreamingMode.Source {
    private static final long SILENCE_CHECK_SAMPLES = 3 * AudioCapture.SAMPLE_RATE;

    private final AudioCapture capture;
    private final Log log;
    private long samples;
    private long dropped;
    private long lastDropped;
    private boolean heardSomething;
    private boolean warnedSilence;
    private volatile boolean stopped;

    CaptureSource(AudioCapture capture, Log log) {
        this.capture = capture;
        this.log = log;
    }

    /** The next block, or null at the end; {@link #droppedBeforeLast()} says what was lost before it. */
    @Override
    public float[] next() {
        CapturedAudio b = capture.next();
        if (b == null) {
            if (!stopped) log.info("The input device stopped delivering audio; finishing with what was captured");
            stopped = true;
            return null;
        }
        lastDropped = b.droppedBefore();
        if (lastDropped > 0) {
            dropped += lastDropped;
            log.info(String.format(Locale.ROOT, "Warning: decoding fell behind the input device; dropped the oldest "
                            + "%.2f s of audio at %.1f s (%.1f s dropped so far)", lastDropped / (double) sampleRate(),
                    (samples + dropped - lastDropped) / (double) sampleRate(), dropped / (double) sampleRate()));
        }
        float[] s = b.samples();
        checkSilence(s);
        samples += s.length;
        return s;
    }

    private void checkSilence(float[] s) {
        if (heardSomething || warnedSilence) return;
        for (float v : s) {
            if (v != 0) {
                heardSomething = true;
                return;
            }
        }
        if (samples + s.length >= SILENCE_CHECK_SAMPLES) {
            warnedSilence = true;
            log.info("Warning: the input device has delivered only digital silence for 3 s: is it muted? (macOS: allow "
                    + "the terminal to use the microphone in System Settings > Privacy & Security > Microphone)");
        }
    }

    /** Samples dropped right before the block {@link #next()} returned last. */
    long droppedBeforeLast() {
        return lastDropped;
    }

    @Override
    public int sampleRate() {
        return AudioCapture.SAMPLE_RATE;
    }

    /** Samples handed out (dropped ones not counted). */
    @Override
    public long samplesSoFar() {
        return samples;
    }

    /** Seconds on the capture's time line: handed out and dropped. */
    double seconds() {
        return (samples + dropped) / (double) sampleRate();
    }

    @Override
    public void stop() {
        stopped = true;
        capture.stop();
    }

    @Override
    public void close() {
        capture.close();
    }
}
