package io.github.qwenasr.capture.testing;

import javax.sound.sampled.Mixer;
import javax.sound.sampled.spi.MixerProvider;

/**
 * The sound system's view of {@link TestDevices}: one mixer per test device, made on demand. A test
 * that runs the command in another JVM (through the launcher) describes its device in the system
 * property {@value #PROPERTY}: {@code name=NAME,wav=PATH,speed=S} (16-bit mono 16 kHz WAV, played
 * on the clock, then silence until the capture stops).
 */
public final class TestMixerProvider extends MixerProvider {
    /** The system property that installs a device in a JVM of its own. */
    public static final String PROPERTY = "qwenasr.testdevice";

    public TestMixerProvider() {
        String spec = System.getProperty(PROPERTY);
        if (spec != null && TestDevices.DEVICES.isEmpty()) TestDevices.install(fromProperty(spec));
    }

    private static TestDevice fromProperty(String spec) {
        java.util.Map<String, String> kv = new java.util.HashMap<>();
        for (String part : spec.split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) kv.put(part.substring(0, eq), part.substring(eq + 1));
        }
        try {
            byte[] pcm = TestAudio.pcm(java.nio.file.Path.of(kv.get("wav")));
            return TestDevice.playing(kv.get("name"), TestDevice.s16le(16_000, 1), pcm,
                    Double.parseDouble(kv.getOrDefault("speed", "1"))).thenSilence();
        } catch (java.io.IOException | RuntimeException e) {
            throw new IllegalStateException("bad " + PROPERTY + " '" + spec + "': " + e, e);
        }
    }

    @Override
    public Mixer.Info[] getMixerInfo() {
        return TestDevices.DEVICES.stream().map(TestMixer.Info::new).toArray(Mixer.Info[]::new);
    }

    @Override
    public Mixer getMixer(Mixer.Info info) {
        if (info instanceof TestMixer.Info t) return new TestMixer(t);
        throw new IllegalArgumentException("not a test mixer: " + info);
    }
}
