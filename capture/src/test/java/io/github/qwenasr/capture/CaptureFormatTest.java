package io.github.qwenasr.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.capture.testing.TestDevice;
import io.github.qwenasr.capture.testing.TestDevices;
import java.util.List;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which format a device is opened in. */
class CaptureFormatTest {
    @AfterEach
    void clear() {
        TestDevices.install();
    }

    private static InputDevice only(TestDevice d) {
        TestDevices.install(d);
        return TestDevices.only().select(null);
    }

    @Test
    void sixteenKilohertzMonoWhenOffered() {
        AudioFormat mono16k = TestDevice.s16le(16_000, 1);
        TestDevice d = TestDevice.playing("mic", mono16k, new byte[0], 1)
                .offering(List.of(TestDevice.s16le(48_000, 2), TestDevice.s16le(44_100, 1), mono16k));
        assertEquals(mono16k.toString(), CaptureFormat.choose(only(d)).toString());
    }

    /** A device that leaves the rate and channels open gets 16 kHz mono asked of it. */
    @Test
    void anOpenRateIsAskedFor16kMono() {
        AudioFormat open = new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, AudioSystem.NOT_SPECIFIED, 16,
                AudioSystem.NOT_SPECIFIED, AudioSystem.NOT_SPECIFIED, AudioSystem.NOT_SPECIFIED, false);
        TestDevice d = TestDevice.playing("mic", TestDevice.s16le(16_000, 1), new byte[0], 1).offering(List.of(open));
        AudioFormat chosen = CaptureFormat.choose(only(d));
        assertEquals(16_000f, chosen.getSampleRate());
        assertEquals(1, chosen.getChannels());
        assertEquals("16000 Hz, 1 ch, s16le", CaptureFormat.describe(chosen));
    }

    /** What the device alone offers is taken: 44.1 kHz stereo is averaged and resampled later. */
    @Test
    void otherwiseWhatTheDeviceOffers() {
        AudioFormat stereo = TestDevice.s16le(44_100, 2);
        assertEquals(stereo.toString(), CaptureFormat.choose(only(TestDevice.playing("mic", stereo, new byte[0], 1))).toString());
        AudioFormat f32 = new AudioFormat(AudioFormat.Encoding.PCM_FLOAT, 48_000, 32, 1, 4, 48_000, true);
        assertEquals(f32.toString(), CaptureFormat.choose(only(TestDevice.playing("mic", f32, new byte[0], 1))).toString());
    }

    @Test
    void aDeviceWithNoReadableFormatIsOneClearLine() {
        AudioFormat ulaw = new AudioFormat(AudioFormat.Encoding.ULAW, 8000, 8, 1, 1, 8000, false);
        QwenAsrException e = assertThrows(QwenAsrException.class,
                () -> CaptureFormat.choose(only(TestDevice.playing("Phone Line", ulaw, new byte[0], 1))));
        assertEquals("input device 0 'Phone Line' offers no format qwen-asr can read (it offers ulaw 8-bit; 1 ch; "
                + "8000 Hz; readable: integer PCM of 8 to 32 bits or float)", e.getMessage());
        assertTrue(!e.getMessage().contains("\n"));
    }
}
