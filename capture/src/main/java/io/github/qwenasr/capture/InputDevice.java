package io.github.qwenasr.capture;

import java.util.List;
import java.util.Objects;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.Mixer;

/**
 * An audio input device: a {@code javax.sound.sampled} mixer that offers a {@code TargetDataLine}.
 *
 * @param index       its position in {@link InputDevices#list()}, from 0
 * @param name        the mixer's name, e.g. "default [default]" (Linux), "Default Audio Device" (macOS)
 * @param description the mixer's description ("" when it has none)
 * @param formats     the formats its lines offer, as the sound system lists them (a rate or channel
 *                    count of {@code AudioSystem.NOT_SPECIFIED} means any)
 * @param isDefault   whether it is the device {@code --live} uses without {@code --device}: the first one
 * @param mixer       the mixer to open it through
 */
public record InputDevice(int index, String name, String description, List<AudioFormat> formats, boolean isDefault,
                          Mixer.Info mixer) {
    public InputDevice {
        Objects.requireNonNull(name, "name");
        description = description == null ? "" : description;
        formats = List.copyOf(formats);
        Objects.requireNonNull(mixer, "mixer");
    }

    /** Its index and quoted name, for messages. */
    public String label() {
        return index + " '" + name + "'";
    }
}
