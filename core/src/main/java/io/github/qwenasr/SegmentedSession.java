package io.github.qwenasr;

import io.github.qwenasr.audio.AudioLoader;
import io.github.qwenasr.audio.AudioSource;
import io.github.qwenasr.audio.StreamingResampler;
import io.github.qwenasr.engine.Model;
import io.github.qwenasr.engine.SegmentRun;
import io.github.qwenasr.longform.AudioSplitter;
import io.github.qwenasr.longform.QuietPointCutter;
import io.github.qwenasr.longform.Segmenter;
import io.github.qwenasr.vad.UtteranceFinder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Segmented transcription of audio that arrives over time, such as a microphone (docs/modes.md 7.2,
 * 7.3): the audio is cut into parts, and each part is transcribed as a unit as soon as it is
 * complete, exactly as {@link QwenAsr#transcribe16k(float[], TranscribeOptions)} transcribes the same
 * audio from a file with the same options, so pushing a recording in any pieces gives the text,
 * parts and times of the file (audio too short for a file, under 201 samples, is zero-padded to
 * 0.5 s here).
 *
 * <ul>
 *   <li>With {@link TranscribeOptions#voiceActivity()}: the parts are the utterances the detector
 *       finds, each decoded once it has ended, conditioned on the text so far (the last
 *       {@value TranscribeOptions#PAST_TEXT_TOKENS} tokens) unless past text is {@link PastText#NO}.</li>
 *   <li>Otherwise, with a segment length ({@link TranscribeOptions#segmentSeconds()} &gt; 0): segments
 *       cut at the quietest point near every multiple of it (docs/modes.md 4.2), each decoded once the
 *       audio reaches past its cut's search window.</li>
 * </ul>
 *
 * <p>Memory is bounded: the audio since the last cut, or the recent audio an utterance can still use
 * (twice the longest utterance), the text so far and the parts' records. Opened with
 * {@link QwenAsr#openSegmented}; one thread at a time (an overlapping call fails with an
 * {@link IllegalStateException}); {@link #cancel()} from any thread.
 */
public final class SegmentedSession implements AutoCloseable {
    private static final int RATE = AudioSplitter.SAMPLE_RATE;

    private final TranscribeOptions options;
    private final SegmentRun run;
    private final AtomicBoolean inCall = new AtomicBoolean();
    private volatile boolean cancelled;
    private StreamingResampler resampler;
    private int sampleRate;
    private QuietPointCutter cutter;
    private UtteranceFinder utterances;
    /** Where the current cutter's or finder's first sample lies on the session's time line (16 kHz samples). */
    private long base;
    /** Samples the current cutter or finder has taken. */
    private long received;
    /** Samples the current cutter has handed out as segments. */
    private long cutOffset;
    private long kept;
    private boolean finished;

    SegmentedSession(Model model, TranscribeOptions options) {
        if (options.skipSilence()) {
            throw new QwenAsrException("silence skipping needs the whole recording; a segmented session cannot do it");
        }
        if (options.voiceActivity() == null && !(options.segmentSeconds() > 0)) {
            throw new QwenAsrException("a segmented session needs a segment length or voice activity detection");
        }
        BooleanSupplier outer = options.cancellation();
        this.options = options.withCancellation(() -> cancelled || (outer != null && outer.getAsBoolean()));
        this.run = new SegmentRun(model, this.options, true);
        startParts();
        if (cutter != null && cutter.maxSegmentSamples() > options.maxPieceSeconds() * RATE) {
            throw new QwenAsrException("a segment of up to " + cutter.maxSegmentSamples() / (double) RATE
                    + " s exceeds the " + options.maxPieceSeconds() + " s piece limit; use a smaller segment length");
        }
    }

    private void startParts() {
        if (options.voiceActivity() != null) {
            utterances = new UtteranceFinder(options.voiceActivity());
        } else {
            cutter = new QuietPointCutter(options.segmentSeconds(), options.searchSeconds());
        }
    }

    /**
     * Takes the next samples (mono, any rate, the same for the whole session; resampled statefully to
     * 16 kHz) and transcribes every part they complete.
     *
     * @return the parts transcribed now (usually none), in order, with times on the session's time line
     * @throws QwenAsrException for NaN or infinite samples, a changed or unusable sample rate, or after {@link #finish()}
     * @throws CancellationException when {@link #cancel()} stopped it
     */
    public List<Transcription.Segment> push(float[] pcm, int offset, int length, int sampleRate) {
        enter();
        try {
            checkOpen();
            java.util.Objects.checkFromIndexSize(offset, length, pcm.length);
            for (int i = offset; i < offset + length; i++) {
                if (!Float.isFinite(pcm[i])) throw new QwenAsrException("audio contains NaN or infinite samples");
            }
            if (resampler == null) {
                if (sampleRate < AudioLoader.MIN_SAMPLE_RATE
                        || sampleRate > AudioLoader.MAX_SAMPLE_RATE) {
                    throw new QwenAsrException("unsupported sample rate " + sampleRate + " Hz");
                }
                resampler = StreamingResampler.to16k(sampleRate);
                this.sampleRate = sampleRate;
            } else if (sampleRate != this.sampleRate) {
                throw new QwenAsrException("the sample rate changed within the session: " + this.sampleRate + " Hz, then "
                        + sampleRate + " Hz");
            }
            return take(resampler.push(pcm, offset, length));
        } finally {
            inCall.set(false);
        }
    }

    /** {@link #push(float[], int, int, int)} of a whole array. */
    public List<Transcription.Segment> push(float[] pcm, int sampleRate) {
        return push(pcm, 0, pcm.length, sampleRate);
    }

    /**
     * Marks {@code seconds} of audio as lost (a capture that fell behind dropped them): the part in
     * progress ends where the audio stopped and is transcribed, and the time line moves on by the
     * lost audio, so later parts keep their times and nothing is joined across the hole.
     *
     * @return the parts transcribed now
     */
    public List<Transcription.Segment> skip(double seconds) {
        enter();
        try {
            checkOpen();
            if (!(seconds >= 0) || Double.isInfinite(seconds)) throw new QwenAsrException("cannot skip " + seconds + " s");
            List<Transcription.Segment> out = new ArrayList<>(flushParts());
            base += Math.round(seconds * RATE);
            startParts();
            return out;
        } finally {
            inCall.set(false);
        }
    }

    /**
     * Ends the audio: transcribes what is left (the last segment, or an utterance still open) and
     * closes the session to more audio.
     *
     * @return the parts transcribed now
     */
    public List<Transcription.Segment> finish() {
        enter();
        try {
            checkOpen();
            List<Transcription.Segment> out = new ArrayList<>();
            if (resampler != null) out.addAll(take(resampler.finish()));
            out.addAll(flushParts());
            finished = true;
            return out;
        } finally {
            inCall.set(false);
        }
    }

    /** The text so far, parts joined as segments are. */
    public String text() {
        return run.text();
    }

    /** The parts transcribed so far. */
    public List<Transcription.Segment> segments() {
        return run.segments();
    }

    /** Seconds of audio on the session's time line so far (received at 16 kHz, and skipped). */
    public double seconds() {
        return (base + received) / (double) RATE;
    }

    /** Seconds of audio that went into parts (with voice activity detection: the utterances' length). */
    public double transcribedSeconds() {
        return kept / (double) RATE;
    }

    /**
     * The transcription so far (after {@link #finish()}: the whole): text, language, parts, statistics
     * over the audio received.
     */
    public Transcription result() {
        return run.result(seconds(), Optional.empty());
    }

    /** Stops a push or finish running on another thread at its next decoding step; later calls fail. */
    public void cancel() {
        cancelled = true;
    }

    /** Ends the session; a part not yet transcribed is dropped. A second call does nothing. */
    @Override
    public void close() {
        finished = true;
    }

    // ---- parts ----

    private List<Transcription.Segment> take(float[] samples16k) {
        if (samples16k.length == 0) return List.of();
        received += samples16k.length;
        List<Transcription.Segment> out = new ArrayList<>();
        if (utterances != null) {
            for (UtteranceFinder.Utterance u : utterances.push(samples16k)) out.addAll(utterance(u));
        } else {
            for (float[] segment : cutter.push(samples16k, 0, samples16k.length)) {
                out.add(decode(segment, segment.length, base + cutOffset, true));
                cutOffset += segment.length;
            }
        }
        return out;
    }

    private List<Transcription.Segment> flushParts() {
        List<Transcription.Segment> out = new ArrayList<>();
        if (utterances != null) {
            for (UtteranceFinder.Utterance u : utterances.finish()) out.addAll(utterance(u));
        } else {
            // Audio never cut is one piece, decoded as it is (a file's lone piece is not padded), unless it
            // is too short for features at all, which a file refuses and a session pads.
            float[] rest = cutter.finish();
            boolean lone = !cutter.cutAny() && run.segments().isEmpty() && rest.length >= AudioLoader.MIN_SAMPLES;
            if (rest.length > 0) out.add(decode(rest, rest.length, base + cutOffset, !lone));
        }
        base += received;
        received = 0;
        cutOffset = 0;
        return out;
    }

    /** An utterance as one part, or as pieces when it is longer than the piece limit (as a file's would be). */
    private List<Transcription.Segment> utterance(UtteranceFinder.Utterance u) {
        float[] s = u.samples();
        long start = base + u.region().startSample();
        if (s.length <= options.maxPieceSeconds() * RATE) return List.of(decode(s, s.length, start, true));
        List<Transcription.Segment> out = new ArrayList<>();
        for (Segmenter.Range r : AudioSplitter.ranges(AudioSource.of(s), options.maxPieceSeconds())) {
            out.add(decode(Arrays.copyOfRange(s, r.start(), r.end()), r.length(), start + r.start(), true));
        }
        return out;
    }

    private Transcription.Segment decode(float[] samples, int length, long start, boolean pad) {
        float[] decoded = pad && samples.length < Segmenter.MIN_DECODE_SAMPLES
                ? Arrays.copyOf(samples, Segmenter.MIN_DECODE_SAMPLES) : samples;
        kept += length;
        return run.decode(decoded, length, start / (double) RATE, (start + length) / (double) RATE);
    }

    private void checkOpen() {
        if (cancelled) throw new CancellationException("the segmented session was cancelled");
        if (finished) throw new QwenAsrException("the segmented session is finished");
    }

    private void enter() {
        if (!inCall.compareAndSet(false, true)) {
            throw new IllegalStateException("a segmented session is used by one thread at a time; another call on it is running");
        }
    }
}
