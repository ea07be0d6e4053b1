package io.github.qwenasr.cli;

import io.github.qwenasr.capture.AudioCapture;
import io.github.qwenasr.capture.InputDevices;

/**
 * Where {@code --live} and {@code --list-devices} find input devices and how they capture
 * (docs/modes.md 7.1): the sound system's devices with the default capture options; tests pass
 * their own devices and a smaller buffer.
 *
 * @param devices the input devices
 * @param options the capture's buffer and block length
 */
record LiveAudio(InputDevices devices, AudioCapture.Options options) {
    static LiveAudio system() {
        return new LiveAudio(InputDevices.system(), AudioCapture.Options.DEFAULTS);
    }
}
