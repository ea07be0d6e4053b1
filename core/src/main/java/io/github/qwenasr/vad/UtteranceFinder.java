package io.github.qwenasr.vad;

import java.util.ArrayList;
import java.util.List;

/**
 * Utterances of a live 16 kHz source, with their audio: a {@link SpeechFinder} whose regions come
 * out with the samples they cover, so each can be transcribed as a unit as soon as it has ended
 * (docs/modes.md 7.3). Only the recent audio is kept: twice the longest utterance and 2 s, enough for
 * any region the rules can still release (a region is at most that long and is released at most one
 * region later), so memory stays bounded however long the source runs. Not thread-safe.
 */
public final class UtteranceFinder {
    /** One utterance: where it is and its samples (copied on each read). */
    public static final class Utterance {
        private final SpeechRegion region;
        private final float[] samples;

        Utterance(SpeechRegion region, float[] samples) {
            this.region = region;
            this.samples = samples;
        }

        /** Where it is, in samples since the first one pushed. */
        public SpeechRegion region() {
            return region;
        }

        /** Its 16 kHz samples (a copy). */
        public float[] samples() {
            return samples.clone();
        }

        /** Its length in samples. */
        public int length() {
            return samples.length;
        }

        @Override
        public String toString() {
            return "Utterance" + region;
        }
    }

    private final SpeechFinder finder;
    private final float[] history;
    private long pushed;

    /** A finder by {@code rules}. */
    public UtteranceFinder(VoiceActivity rules) {
        this.finder = new SpeechFinder(rules);
        this.history = new float[(int) Math.ceil((2 * rules.maxUtteranceSeconds() + 2) * VoiceActivityDetector.SAMPLE_RATE)];
    }

    /** Takes the next samples and returns the utterances that ended (usually none), in order. */
    public List<Utterance> push(float[] samples16k, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, samples16k.length);
        // Into the history first: a region released now may end in these samples.
        for (int i = 0; i < length; ) {
            int at = (int) ((pushed + i) % history.length);
            int n = Math.min(length - i, history.length - at);
            System.arraycopy(samples16k, offset + i, history, at, n);
            i += n;
        }
        pushed += length;
        return withAudio(finder.push(samples16k, offset, length));
    }

    /** {@link #push(float[], int, int)} of a whole array. */
    public List<Utterance> push(float[] samples16k) {
        return push(samples16k, 0, samples16k.length);
    }

    /** Ends the source and returns the utterances still open or pending. */
    public List<Utterance> finish() {
        return withAudio(finder.finish());
    }

    /** Samples pushed so far. */
    public long samples() {
        return pushed;
    }

    /** Whether speech is going on at the last complete frame. */
    public boolean inSpeech() {
        return finder.inSpeech();
    }

    private List<Utterance> withAudio(List<SpeechRegion> regions) {
        if (regions.isEmpty()) return List.of();
        List<Utterance> out = new ArrayList<>(regions.size());
        for (SpeechRegion r : regions) {
            if (r.endSample() > pushed || r.startSample() < pushed - history.length) {
                throw new IllegalStateException("region " + r + " lies outside the kept audio (" + pushed + " samples pushed)");
            }
            float[] s = new float[Math.toIntExact(r.samples())];
            for (int i = 0; i < s.length; ) {
                int at = (int) ((r.startSample() + i) % history.length);
                int n = Math.min(s.length - i, history.length - at);
                System.arraycopy(history, at, s, i, n);
                i += n;
            }
            out.add(new Utterance(r, s));
        }
        return out;
    }
}
