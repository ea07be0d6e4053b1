package io.github.qwenasr.engine;

import io.github.qwenasr.TranscribeOptions;
import io.github.qwenasr.Transcription;
import io.github.qwenasr.audio.AudioSource;
import io.github.qwenasr.longform.TranscriptionPlan;
import java.util.Optional;

/**
 * Offline transcription on a {@link Model}: builds the {@link TranscriptionPlan} once and decodes
 * its parts in order through one {@link SegmentRun} (the official pieces, or the segments of
 * segmented mode or of voice activity detection, docs/modes.md 4, 7.5). Stateless beyond the model:
 * each call has its own decoding state.
 */
public final class OfflineTranscriber {
    /** Receives each part once its decode is final, with the samples it decoded (alignment uses them). */
    @FunctionalInterface
    public interface PartListener {
        void onPart(TranscriptionPlan plan, TranscriptionPlan.Part part, float[] samples16k, Transcription.Segment segment);
    }

    private final Model model;

    public OfflineTranscriber(Model model) {
        this.model = model;
    }

    /** The plan {@link #transcribe} decodes for this input and these options. */
    public TranscriptionPlan plan(AudioSource input, TranscribeOptions options) {
        return TranscriptionPlan.of(input, options, frames -> model.encoder().tokenCount(frames));
    }

    /** Transcribes 16 kHz mono audio; {@code parts} (may be null) sees every part as it is finished. */
    public Transcription transcribe(AudioSource input, TranscribeOptions options, PartListener parts) {
        TranscriptionPlan plan = plan(input, options);
        SegmentRun run = new SegmentRun(model, options, plan.segmented());
        for (TranscriptionPlan.Part part : plan.parts()) {
            float[] samples = plan.samples(part);
            Transcription.Segment segment = run.decode(samples, part.length(), part.startSeconds(), part.endSeconds());
            if (parts != null) parts.onPart(plan, part, samples, segment);
        }
        Optional<Transcription.SilenceSkip> skip = plan.silenceSkipped() || plan.utterances()
                ? Optional.of(new Transcription.SilenceSkip(plan.originalSamples(), plan.keptSamples()))
                : Optional.empty();
        return run.result(plan.originalSamples() / (double) TranscriptionPlan.SAMPLE_RATE, skip);
    }

    /** {@link SegmentRun#collapsed}. */
    public static boolean collapsed(String text, int textTokens, double seconds, CharSequence earlier) {
        return SegmentRun.collapsed(text, textTokens, seconds, earlier);
    }
}
