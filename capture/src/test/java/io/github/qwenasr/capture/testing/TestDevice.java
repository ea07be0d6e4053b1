package io.github.qwenasr.capture.testing;

import java.util.List;
import java.util.Objects;
import javax.sound.sampled.AudioFormat;

/**
 * A made-up input device for tests: what it says it offers, and what its line plays when opened.
 *
 * @param name     the device (mixer) name
 * @param offered  the formats its line info lists (may leave rate or channels open)
 * @param played   the one format the line really opens in; the audio is in this format
 * @param audio    the bytes the line delivers, then silence or the end ({@code silenceAfter})
 * @param speed    1 = real time, 2 = twice as fast, {@link Double#POSITIVE_INFINITY} = no waiting
 * @param silenceAfter after the audio: true, the line goes on with silence (until stopped); false, it closes
 *                 (the device "went away"), which ends the capture
 */
public record TestDevice(String name, List<AudioFormat> offered, AudioFormat played, byte[] audio, double speed,
                         boolean silenceAfter) {
    public TestDevice {
        Objects.requireNonNull(name);
        offered = List.copyOf(offered);
        if (!(speed > 0)) throw new IllegalArgumentException("speed must be > 0");
    }

    /** A device that offers and plays exactly {@code format}. */
    public static TestDevice playing(String name, AudioFormat format, byte[] audio, double speed) {
        return new TestDevice(name, List.of(format), format, audio, speed, false);
    }

    public TestDevice thenSilence() {
        return new TestDevice(name, offered, played, audio, speed, true);
    }

    public TestDevice offering(List<AudioFormat> formats) {
        return new TestDevice(name, formats, played, audio, speed, silenceAfter);
    }

    /** Signed 16-bit little-endian PCM at {@code rate} with {@code channels}. */
    public static AudioFormat s16le(float rate, int channels) {
        return new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, rate, 16, channels, 2 * channels, rate, false);
    }
}
