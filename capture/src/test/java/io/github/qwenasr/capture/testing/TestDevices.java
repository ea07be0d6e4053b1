package io.github.qwenasr.capture.testing;

import io.github.qwenasr.capture.InputDevices;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The devices {@link TestMixerProvider} shows the sound system. The provider is registered through
 * META-INF/services, so {@code javax.sound.sampled.AudioSystem} finds it as it finds the JDK's own;
 * {@link #only()} restricts a device list to these, so tests do not depend on the machine's sound cards.
 */
public final class TestDevices {
    /** Vendor of every test mixer. */
    public static final String VENDOR = "qwen-asr tests";
    static final List<TestDevice> DEVICES = new CopyOnWriteArrayList<>();
    static final List<TestLine> OPENED = new CopyOnWriteArrayList<>();

    private TestDevices() {
    }

    /** Replaces the test devices by {@code devices} (in this order). */
    public static void install(TestDevice... devices) {
        DEVICES.clear();
        OPENED.clear();
        DEVICES.addAll(List.of(devices));
    }

    /** The device list of the test mixers only. */
    public static InputDevices only() {
        return InputDevices.matching(info -> VENDOR.equals(info.getVendor()));
    }

    /** Lines opened since the last {@link #install}, in order. */
    public static List<TestLine> opened() {
        return List.copyOf(OPENED);
    }
}
