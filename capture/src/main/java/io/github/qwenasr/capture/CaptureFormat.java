package io.github.qwenasr.capture;

import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.audio.AudioLoader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.Mixer;
import javax.sound.sampled.TargetDataLine;

/**
 * Which format a device is read in (docs/modes.md 7.1). The engine takes any rate and channel count
 * (channels averaged, the rate converted to 16 kHz by a stateful resampler), so the choice only
 * saves work: 16 kHz mono 16-bit when the device offers it, else the lowest rate from 16 kHz up
 * (then the highest below), fewer channels, 16-bit before other sizes. Readable encodings: signed
 * integer PCM of 8, 16, 24 or 32 bits, unsigned 8-bit PCM and float of 32 or 64 bits, either byte
 * order; A-law, µ-law and compressed formats are not.
 */
public final class CaptureFormat {
    /** Rates tried, in this order of preference, where a device leaves the rate open. */
    private static final int[] OPEN_RATES = {16_000, 48_000, 44_100, 32_000, 22_050, 24_000, 96_000, 8_000, 11_025};

    private CaptureFormat() {
    }

    /**
     * The format to open {@code device}'s line in.
     *
     * @throws QwenAsrException when the device offers no format the engine can read (one line listing what it offers)
     */
    public static AudioFormat choose(InputDevice device) {
        Mixer mixer = AudioSystem.getMixer(device.mixer());
        List<AudioFormat> candidates = new ArrayList<>();
        for (AudioFormat offered : device.formats()) {
            if (!readable(offered)) continue;
            for (int channels : offered.getChannels() == AudioSystem.NOT_SPECIFIED ? new int[] {1, 2} : new int[] {offered.getChannels()}) {
                for (float rate : rates(offered)) {
                    AudioFormat f = concrete(offered, rate, channels);
                    if (mixer.isLineSupported(new DataLine.Info(TargetDataLine.class, f))) candidates.add(f);
                }
            }
        }
        return candidates.stream().min(PREFERENCE).orElseThrow(() -> new QwenAsrException("input device "
                + device.label() + " offers no format qwen-asr can read (it offers " + summarize(device.formats())
                + "; readable: integer PCM of 8 to 32 bits or float)"));
    }

    private static final Comparator<AudioFormat> PREFERENCE = Comparator
            .comparing((AudioFormat f) -> f.getSampleRate() != AudioLoader.SAMPLE_RATE)
            .thenComparing(f -> f.getSampleRate() < AudioLoader.SAMPLE_RATE)
            // From 16 kHz up the lowest rate (least to resample), below it the highest.
            .thenComparingDouble(f -> f.getSampleRate() >= AudioLoader.SAMPLE_RATE ? f.getSampleRate() : -f.getSampleRate())
            .thenComparingInt(AudioFormat::getChannels)
            .thenComparingInt(f -> f.getSampleSizeInBits() == 16 && f.getEncoding().equals(AudioFormat.Encoding.PCM_SIGNED) ? 0 : 1)
            .thenComparing(AudioFormat::isBigEndian);

    /** Whether the engine can read samples of this encoding and size (its rate and channels are checked later). */
    static boolean readable(AudioFormat f) {
        int bits = f.getSampleSizeInBits();
        AudioFormat.Encoding e = f.getEncoding();
        if (e.equals(AudioFormat.Encoding.PCM_SIGNED)) return bits == 8 || bits == 16 || bits == 24 || bits == 32;
        if (e.equals(AudioFormat.Encoding.PCM_UNSIGNED)) return bits == 8;
        if (e.equals(AudioFormat.Encoding.PCM_FLOAT)) return bits == 32 || bits == 64;
        return false;
    }

    private static float[] rates(AudioFormat offered) {
        float rate = offered.getSampleRate();
        if (rate != AudioSystem.NOT_SPECIFIED) {
            return rate >= AudioLoader.MIN_SAMPLE_RATE && rate <= AudioLoader.MAX_SAMPLE_RATE ? new float[] {rate} : new float[0];
        }
        float[] out = new float[OPEN_RATES.length];
        for (int i = 0; i < out.length; i++) out[i] = OPEN_RATES[i];
        return out;
    }

    private static AudioFormat concrete(AudioFormat offered, float rate, int channels) {
        int bits = offered.getSampleSizeInBits();
        int frameBytes = channels * ((bits + 7) / 8);
        return new AudioFormat(offered.getEncoding(), rate, bits, channels, frameBytes, rate, offered.isBigEndian());
    }

    /** A format as one short phrase, e.g. "16000 Hz, 1 ch, s16le". */
    public static String describe(AudioFormat f) {
        String rate = f.getSampleRate() == AudioSystem.NOT_SPECIFIED ? "any rate" : Math.round(f.getSampleRate()) + " Hz";
        String channels = f.getChannels() == AudioSystem.NOT_SPECIFIED ? "any ch" : f.getChannels() + " ch";
        return rate + ", " + channels + ", " + sampleName(f);
    }

    /**
     * The offered formats in a few words for a device listing, e.g. "s16le, s16be, u8; 1-2 ch; any rate".
     */
    public static String summarize(List<AudioFormat> formats) {
        if (formats.isEmpty()) return "no formats";
        Set<String> samples = new LinkedHashSet<>();
        Set<Integer> channels = new TreeSet<>();
        Set<Integer> rates = new TreeSet<>();
        boolean anyChannels = false;
        boolean anyRate = false;
        for (AudioFormat f : formats) {
            samples.add(sampleName(f));
            if (f.getChannels() == AudioSystem.NOT_SPECIFIED) anyChannels = true;
            else channels.add(f.getChannels());
            if (f.getSampleRate() == AudioSystem.NOT_SPECIFIED) anyRate = true;
            else rates.add(Math.round(f.getSampleRate()));
        }
        String ch = anyChannels || channels.isEmpty() ? "any channels" : range(channels) + " ch";
        String hz = anyRate || rates.isEmpty() ? "any rate"
                : rates.stream().map(String::valueOf).collect(Collectors.joining("/")) + " Hz";
        return String.join(", ", samples) + "; " + ch + "; " + hz;
    }

    private static String range(Set<Integer> values) {
        int lo = ((TreeSet<Integer>) values).first();
        int hi = ((TreeSet<Integer>) values).last();
        return lo == hi ? String.valueOf(lo) : values.size() == hi - lo + 1 ? lo + "-" + hi
                : values.stream().map(String::valueOf).collect(Collectors.joining("/"));
    }

    /** Short sample name as ffmpeg spells it: s16le, u8, f32le; other encodings by their own name. */
    static String sampleName(AudioFormat f) {
        AudioFormat.Encoding e = f.getEncoding();
        int bits = f.getSampleSizeInBits();
        String order = bits > 8 ? (f.isBigEndian() ? "be" : "le") : "";
        if (e.equals(AudioFormat.Encoding.PCM_SIGNED)) return "s" + bits + order;
        if (e.equals(AudioFormat.Encoding.PCM_UNSIGNED)) return "u" + bits + order;
        if (e.equals(AudioFormat.Encoding.PCM_FLOAT)) return "f" + bits + order;
        return e.toString().toLowerCase(Locale.ROOT).replace(' ', '_') + (bits > 0 ? " " + bits + "-bit" : "");
    }
}
