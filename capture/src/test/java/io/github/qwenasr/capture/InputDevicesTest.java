package io.github.qwenasr.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.capture.testing.TestDevice;
import io.github.qwenasr.capture.testing.TestDevices;
import java.util.Arrays;
import java.util.List;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Device listing and selection through the sound system, with the tests' own mixer provider. */
class InputDevicesTest {
    private static final AudioFormat MONO16K = TestDevice.s16le(16_000, 1);

    @AfterEach
    void clear() {
        TestDevices.install();
    }

    private static TestDevice device(String name) {
        return TestDevice.playing(name, MONO16K, new byte[0], 1);
    }

    /** The provider is found by the service loader, as the JDK's own providers are. */
    @Test
    void theSoundSystemFindsTheTestProvider() {
        TestDevices.install(device("Test Microphone"));
        assertTrue(Arrays.stream(AudioSystem.getMixerInfo())
                        .anyMatch(i -> i.getVendor().equals(TestDevices.VENDOR) && i.getName().equals("Test Microphone")),
                "AudioSystem lists the mixer of META-INF/services/javax.sound.sampled.spi.MixerProvider");
    }

    @Test
    void devicesAreListedInOrderWithTheirFormatsAndTheFirstIsTheDefault() {
        AudioFormat anyRate = new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, AudioSystem.NOT_SPECIFIED, 16, 2, 4,
                AudioSystem.NOT_SPECIFIED, false);
        TestDevices.install(device("Built-in Microphone").offering(List.of(MONO16K, anyRate)), device("USB Headset"));
        List<InputDevice> devices = TestDevices.only().list();
        assertEquals(2, devices.size());
        assertEquals(0, devices.get(0).index());
        assertEquals("Built-in Microphone", devices.get(0).name());
        assertTrue(devices.get(0).isDefault());
        assertEquals(1, devices.get(1).index());
        assertFalse(devices.get(1).isDefault());
        assertEquals(List.of(MONO16K, anyRate).toString(), devices.get(0).formats().toString());
        assertEquals("s16le; 1-2 ch; any rate", CaptureFormat.summarize(devices.get(0).formats()));
        assertEquals("s16le; 1 ch; 16000 Hz", CaptureFormat.summarize(devices.get(1).formats()));
    }

    @Test
    void selectionByIndexNameOrPartOfTheName() {
        TestDevices.install(device("Built-in Microphone"), device("USB Headset"), device("usb headset 2"));
        InputDevices d = TestDevices.only();
        assertEquals("Built-in Microphone", d.select(null).name());
        assertEquals("Built-in Microphone", d.select("").name());
        assertEquals("USB Headset", d.select("1").name());
        assertEquals("usb headset 2", d.select("2").name());
        assertEquals("USB Headset", d.select("usb headset").name(), "an exact name (any case) before a part of one");
        assertEquals("usb headset 2", d.select("SET 2").name());
        assertEquals("Built-in Microphone", d.select("built-in").name());
    }

    @Test
    void noDeviceOrNoMatchIsOneClearLine() {
        TestDevices.install();
        QwenAsrException none = assertThrows(QwenAsrException.class, () -> TestDevices.only().select(null));
        assertTrue(none.getMessage().startsWith("no audio input device found"), none.getMessage());
        TestDevices.install(device("Built-in Microphone"), device("USB Headset"));
        QwenAsrException index = assertThrows(QwenAsrException.class, () -> TestDevices.only().select("2"));
        assertEquals("no input device number 2; there are 2 (0 to 1): 0 'Built-in Microphone', 1 'USB Headset'",
                index.getMessage());
        QwenAsrException name = assertThrows(QwenAsrException.class, () -> TestDevices.only().select("Blue Yeti"));
        assertEquals("no input device matches 'Blue Yeti'; input devices: 0 'Built-in Microphone', 1 'USB Headset'",
                name.getMessage());
        for (QwenAsrException e : List.of(none, index, name)) assertFalse(e.getMessage().contains("\n"));
    }
}
