package io.github.qwenasr.capture;

import io.github.qwenasr.QwenAsrException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.Line;
import javax.sound.sampled.Mixer;
import javax.sound.sampled.TargetDataLine;

/**
 * The audio input devices {@code javax.sound.sampled} offers (docs/modes.md 7.1): every mixer with a
 * {@code TargetDataLine}, in the sound system's order. The first is the default: the JDK lists the
 * system's default input first on Linux ("default", which PulseAudio and PipeWire serve), macOS
 * ("Default Audio Device") and Windows ("Primary Sound Capture Driver").
 */
public final class InputDevices {
    private final Predicate<Mixer.Info> filter;

    private InputDevices(Predicate<Mixer.Info> filter) {
        this.filter = filter;
    }

    /** Every input device of the sound system. */
    public static InputDevices system() {
        return new InputDevices(info -> true);
    }

    /** The input devices whose mixer {@code filter} accepts (a vendor's, or a test's own). */
    public static InputDevices matching(Predicate<Mixer.Info> filter) {
        return new InputDevices(Objects.requireNonNull(filter, "filter"));
    }

    /** The input devices, indexed from 0; the first is the default. */
    public List<InputDevice> list() {
        List<InputDevice> out = new ArrayList<>();
        for (Mixer.Info info : AudioSystem.getMixerInfo()) {
            if (!filter.test(info)) continue;
            List<AudioFormat> formats = captureFormats(info);
            if (formats == null) continue;
            out.add(new InputDevice(out.size(), info.getName(), info.getDescription(), formats, out.isEmpty(), info));
        }
        return out;
    }

    /** The formats of the mixer's TargetDataLines, or null when it has none (an output or a port mixer). */
    private static List<AudioFormat> captureFormats(Mixer.Info info) {
        Mixer mixer;
        try {
            mixer = AudioSystem.getMixer(info);
        } catch (IllegalArgumentException | SecurityException e) {
            return null;
        }
        Set<AudioFormat> formats = new LinkedHashSet<>();
        boolean capture = false;
        for (Line.Info line : mixer.getTargetLineInfo()) {
            if (line instanceof DataLine.Info data && TargetDataLine.class.isAssignableFrom(data.getLineClass())) {
                capture = true;
                formats.addAll(List.of(data.getFormats()));
            }
        }
        return capture ? List.copyOf(formats) : null;
    }

    /**
     * The device {@code spec} names: null or empty for the default, a number for that index, else a
     * name: the first device whose name equals it, ignoring case, or failing that the first whose name
     * or description contains it.
     *
     * @throws QwenAsrException when there is no input device, or none matches (one line naming the devices)
     */
    public InputDevice select(String spec) {
        List<InputDevice> devices = list();
        if (devices.isEmpty()) {
            throw new QwenAsrException("no audio input device found (is a microphone connected, and may this user "
                    + "record? on Linux check 'arecord -l')");
        }
        if (spec == null || spec.isBlank()) return devices.get(0);
        String s = spec.strip();
        if (s.chars().allMatch(Character::isDigit) && s.length() < 9) {
            int index = Integer.parseInt(s);
            if (index < devices.size()) return devices.get(index);
            throw new QwenAsrException("no input device number " + index + "; there "
                    + (devices.size() == 1 ? "is 1 (0)" : "are " + devices.size() + " (0 to " + (devices.size() - 1) + ")")
                    + ": " + names(devices));
        }
        String lower = s.toLowerCase(Locale.ROOT);
        for (InputDevice d : devices) if (d.name().toLowerCase(Locale.ROOT).equals(lower)) return d;
        for (InputDevice d : devices) {
            if (d.name().toLowerCase(Locale.ROOT).contains(lower) || d.description().toLowerCase(Locale.ROOT).contains(lower)) {
                return d;
            }
        }
        throw new QwenAsrException("no input device matches '" + s + "'; input devices: " + names(devices));
    }

    private static String names(List<InputDevice> devices) {
        return devices.stream().map(InputDevice::label).collect(Collectors.joining(", "));
    }
}
