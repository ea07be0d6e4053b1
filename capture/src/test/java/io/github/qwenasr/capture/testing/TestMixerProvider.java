package io.github.qwenasr.capture.testing;

import javax.sound.sampled.Mixer;
import javax.sound.sampled.spi.MixerProvider;

/** The sound system's view of {@link TestDevices}: one mixer per test device, made on demand. */
public final class TestMixerProvider extends MixerProvider {
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
