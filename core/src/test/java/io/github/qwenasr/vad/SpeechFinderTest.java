package io.github.qwenasr.vad;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.audio.AudioSource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Speech regions of audio that arrives in blocks (SpeechFinder) and utterances with their audio
 * (UtteranceFinder), against the whole-buffer rules and the silero-vad package's regions (golden/vad).
 */
class SpeechFinderTest {
    private static VadGolden golden;

    @BeforeAll
    static void loadGolden() throws IOException {
        golden = VadGolden.load();
    }

    /** Whole-buffer regions: the detector over the whole clip, then the segmenter over its probabilities. */
    private static List<SpeechRegion> wholeBuffer(float[] audio, VoiceActivity rules) {
        VoiceActivityDetector d = rules.newDetector();
        UtteranceSegmenter s = rules.newSegmenter();
        List<SpeechRegion> out = new ArrayList<>();
        for (float p : d.probabilities(audio, 16_000)) out.addAll(s.accept(p));
        out.addAll(s.finish(audio.length));
        return out;
    }

    /** Pushes {@code audio} in blocks of random sizes (0 to 3000 samples). */
    private static List<SpeechRegion> inBlocks(float[] audio, VoiceActivity rules, long seed) {
        SpeechFinder f = new SpeechFinder(rules);
        Random r = new Random(seed);
        List<SpeechRegion> out = new ArrayList<>();
        for (int pos = 0; pos < audio.length; ) {
            int n = Math.min(audio.length - pos, r.nextInt(3001));
            out.addAll(f.push(audio, pos, n));
            pos += n;
        }
        out.addAll(f.finish());
        assertEquals(audio.length, f.samples());
        return out;
    }

    @Test
    void blocksOfAnySizeGiveTheWholeBufferRegions() {
        for (VoiceActivity rules : List.of(VoiceActivity.silero(), VoiceActivity.energy())) {
            int withSpeech = 0;
            for (VadGolden.Clip clip : golden.clips) {
                List<SpeechRegion> whole = wholeBuffer(clip.audio(), rules);
                assertEquals(whole, inBlocks(clip.audio(), rules, clip.name().hashCode()), clip.name() + " / " + rules);
                assertEquals(whole, SpeechFinder.regions(AudioSource.of(clip.audio()), rules), clip.name() + " / " + rules);
                if (!whole.isEmpty()) withSpeech++;
            }
            assertTrue(withSpeech >= 9, rules + ": clips with speech " + withSpeech);
        }
    }

    /**
     * With Silero the regions are the package's get_speech_timestamps defaults (each boundary within
     * one 32 ms frame, as our probabilities differ by up to 1e-4): no golden region reaches the 30 s
     * limit, which is the one rule added to the package's. The clips with known pauses: the golden
     * lists them, e.g. jfk has 4 utterances and test_speech 2; silence and white noise have none.
     */
    @Test
    void sileroRegionsAreThePackagesOnClipsWithKnownPauses() {
        for (VadGolden.Clip clip : golden.clips) {
            List<SpeechRegion> expected = clip.regions().get("defaults");
            List<SpeechRegion> ours = SpeechFinder.regions(AudioSource.of(clip.audio()), VoiceActivity.silero());
            assertEquals(expected.size(), ours.size(), clip.name() + ": " + ours + " vs " + expected);
            for (int i = 0; i < ours.size(); i++) {
                assertTrue(Math.abs(ours.get(i).startSample() - expected.get(i).startSample()) <= 512
                        && Math.abs(ours.get(i).endSample() - expected.get(i).endSample()) <= 512,
                        clip.name() + " region " + i + ": " + ours.get(i) + " vs " + expected.get(i));
            }
        }
        assertEquals(4, golden.clip("jfk").regions().get("defaults").size());
        assertEquals(2, golden.clip("test_speech").regions().get("defaults").size());
        assertEquals(List.of(), golden.clip("silence_2s").regions().get("defaults"));
        assertEquals(List.of(), golden.clip("white_noise_5s").regions().get("defaults"));
    }

    @Test
    void silenceAndNoiseHoldNoUtterances() {
        float[] silence = golden.clip("silence_2s").audio();
        float[] noise = golden.clip("white_noise_5s").audio();
        assertEquals(List.of(), SpeechFinder.regions(AudioSource.of(silence), VoiceActivity.silero()));
        assertEquals(List.of(), SpeechFinder.regions(AudioSource.of(noise), VoiceActivity.silero()));
        assertEquals(List.of(), SpeechFinder.regions(AudioSource.of(silence), VoiceActivity.energy()));
        // The energy rule is a plain loudness threshold: noise at -12 dBFS is one long utterance to it.
        List<SpeechRegion> loud = SpeechFinder.regions(AudioSource.of(noise), VoiceActivity.energy());
        assertEquals(List.of(new SpeechRegion(0, noise.length)), loud);
    }

    /** Every utterance carries exactly the samples of its region, whatever the block sizes. */
    @Test
    void utterancesCarryTheirRegionsSamples() {
        float[] audio = golden.clip("notld_45s_right_through_the_billboard").audio();
        UtteranceFinder f = new UtteranceFinder(VoiceActivity.silero());
        Random r = new Random(7);
        List<UtteranceFinder.Utterance> got = new ArrayList<>();
        for (int pos = 0; pos < audio.length; ) {
            int n = Math.min(audio.length - pos, 1 + r.nextInt(5000));
            got.addAll(f.push(audio, pos, n));
            pos += n;
        }
        got.addAll(f.finish());
        List<SpeechRegion> expected = SpeechFinder.regions(AudioSource.of(audio), VoiceActivity.silero());
        assertEquals(expected, got.stream().map(UtteranceFinder.Utterance::region).toList());
        for (UtteranceFinder.Utterance u : got) {
            float[] want = Arrays.copyOfRange(audio, (int) u.region().startSample(), (int) u.region().endSample());
            assertArrayEquals(want, u.samples(), u.toString());
        }
    }

    /**
     * A source that never pauses still yields utterances of at most the longest length, and the
     * finder keeps only recent audio: ten minutes of loud noise through the energy rules give 20
     * utterances of 30 s, each with its own samples.
     */
    @Test
    void endlessSpeechIsCutAtTheLongestUtteranceWithBoundedMemory() {
        VoiceActivity rules = VoiceActivity.energy();
        UtteranceFinder f = new UtteranceFinder(rules);
        float[] block = new float[16_000];
        List<UtteranceFinder.Utterance> got = new ArrayList<>();
        for (int second = 0; second < 600; second++) {
            for (int i = 0; i < block.length; i++) block[i] = (float) Math.sin(0.1 * (second * 16_000L + i)) * 0.2f;
            got.addAll(f.push(block));
        }
        got.addAll(f.finish());
        assertEquals(20, got.size());
        for (int k = 0; k < got.size(); k++) {
            UtteranceFinder.Utterance u = got.get(k);
            assertEquals(new SpeechRegion(k * 480_000L, (k + 1) * 480_000L), u.region());
            float[] s = u.samples();
            assertEquals((float) Math.sin(0.1 * (k * 480_000L)) * 0.2f, s[0]);
            assertEquals((float) Math.sin(0.1 * ((k + 1) * 480_000L - 1)) * 0.2f, s[s.length - 1]);
        }
        // Silero's rules cut at the longest pause before 30 s, or at 30 s when there is none.
        assertEquals(30, VoiceActivity.silero().maxUtteranceSeconds());
        assertEquals(30.0, ((SpeechSegmenter) VoiceActivity.silero().newSegmenter()).options().maxSpeechSeconds());
    }

    @Test
    void misuseIsAClearError() {
        assertThrows(QwenAsrException.class, () -> VoiceActivity.silero().withMaxUtteranceSeconds(0.5));
        assertThrows(QwenAsrException.class, () -> VoiceActivity.silero().withMaxUtteranceSeconds(601));
        assertThrows(QwenAsrException.class, () -> new SpeechFinder(new EnergyVad(), new SpeechSegmenter()));
        SpeechFinder f = new SpeechFinder(VoiceActivity.silero());
        float[] bad = new float[600];
        bad[300] = Float.NaN;
        assertThrows(QwenAsrException.class, () -> f.push(bad));
        SpeechFinder done = new SpeechFinder(VoiceActivity.energy());
        assertEquals(List.of(), done.finish());
        assertThrows(QwenAsrException.class, () -> done.push(new float[10]));
        assertEquals("silero", VoiceActivity.Detector.SILERO.label());
    }
}
