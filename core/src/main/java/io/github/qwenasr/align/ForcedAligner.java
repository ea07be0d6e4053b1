package io.github.qwenasr.align;

import io.github.qwenasr.ModelInfo;
import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.config.ModelConfig;
import io.github.qwenasr.decoder.KvCache;
import io.github.qwenasr.decoder.TextDecoder;
import io.github.qwenasr.EncoderAttention;
import io.github.qwenasr.engine.EncodedAudio;
import io.github.qwenasr.engine.Model;
import io.github.qwenasr.mel.LogMel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A loaded Qwen3-ForcedAligner (docs/model.md 7): times every unit of a known transcript in 16 kHz audio.
 *
 * <pre>
 * units = AlignmentUnits.split(text, language)                         7.2
 * ids   = audio_start, A x audio_pad, audio_end, u1 ts ts u2 ts ts ...  7.3
 * one causal forward pass; argmax of the class head at every ts        7.4
 * class x timestamp_segment_time ms, monotonic repair, seconds         7.5-7.6
 * </pre>
 *
 * <p>Encoder attention defaults to {@link EncoderAttention#FULL}: the official aligner only runs
 * through the transformers model, whose SDPA/eager encoder attends over the whole clip (there is no
 * vLLM path for the aligner), so FULL is what the official package computes on CPU (and on GPU
 * without FlashAttention-2). Immutable and thread-safe like {@code QwenAsr}.
 */
public final class ForcedAligner implements AutoCloseable {
    private final Model model;
    private final ModelConfig config;

    private ForcedAligner(Model model) {
        this.model = model;
        this.config = model.config();
    }

    /** Loads an aligner model directory (docs/model.md 1.1, 1.4) with the given number of worker threads. */
    public static ForcedAligner load(Path dir, int threads) {
        if (!Files.isDirectory(dir)) throw new QwenAsrException("aligner model directory not found: " + dir);
        ModelConfig config = ModelConfig.load(dir);
        if (!config.aligner()) {
            throw new QwenAsrException(dir + " holds a speech recognition model (" + config.variantName()
                    + "), not a forced aligner");
        }
        if (config.classifyNum() <= 0) throw new QwenAsrException("config.json: the aligner has no classify_num");
        if (config.timestampTokenId() < 0) throw new QwenAsrException("config.json: the aligner has no timestamp_token_id");
        if (config.timestampSegmentMs() <= 0) throw new QwenAsrException("config.json: timestamp_segment_time must be positive");
        return new ForcedAligner(Model.open(dir, config, threads));
    }

    /**
     * The longest audio the model can time: {@code classify_num} classes of {@code timestamp_segment_time}
     * each (400 s for the published model, docs/model.md 7.1). The official {@code transcribe} cuts audio into pieces
     * of at most 180 s before aligning; callers with longer audio must split it first.
     */
    public double maxSeconds() {
        return config.classifyNum() * (double) config.timestampSegmentMs() / 1000.0;
    }

    /**
     * Refuses audio of this many 16 kHz samples when it is longer than {@link #maxSeconds()}: callers
     * that read audio from a file can check before reading it.
     */
    public void checkLength(long samples16k) {
        double seconds = samples16k / 16000.0;
        if (seconds > maxSeconds()) {
            throw new QwenAsrException(String.format(java.util.Locale.ROOT,
                    "audio of %.2f s is longer than the forced aligner can time (%.2f s); split it first",
                    seconds, maxSeconds()));
        }
    }

    /** Aligns with the official encoder attention (FULL, see the class comment). */
    public AlignmentResult align(float[] samples16k, String text, String language) {
        return align(samples16k, text, language, EncoderAttention.FULL);
    }

    /** Aligns {@code text} to 16 kHz mono samples; {@code language} picks the unit rule (7.2). */
    public AlignmentResult align(float[] samples16k, String text, String language, EncoderAttention attention) {
        if (samples16k.length == 0) throw new QwenAsrException("audio is empty");
        if (samples16k.length < LogMel.MIN_SAMPLES) {
            throw new QwenAsrException("audio is too short to align (" + samples16k.length + " samples, at least "
                    + LogMel.MIN_SAMPLES + " needed)");
        }
        checkLength(samples16k.length);
        if (text == null) throw new QwenAsrException("no transcript given to align");
        List<String> units = AlignmentUnits.split(text, language);

        EncodedAudio audio = model.encode(samples16k, attention, false);
        int[] ids = AlignerInput.ids(model.tokenizer(), units, audio.count());
        int[] classes = classesAtTimestamps(ids, audio);
        if (classes.length != 2 * units.size() + (units.isEmpty() ? 2 : 0)) {
            throw new IllegalStateException("found " + classes.length + " <timestamp> positions for " + units.size() + " units");
        }

        double[] ms = new double[classes.length];
        for (int i = 0; i < ms.length; i++) ms[i] = classes[i] * (double) config.timestampSegmentMs();
        long[] fixed = TimestampRepair.repair(ms);
        List<AlignedItem> items = new ArrayList<>(units.size());
        for (int i = 0; i < units.size(); i++) {
            // Whole milliseconds / 1000 is already the double nearest to its 3-decimal rounding.
            items.add(new AlignedItem(units.get(i), fixed[2 * i] / 1000.0, fixed[2 * i + 1] / 1000.0));
        }
        return new AlignmentResult(items, Arrays.stream(classes).boxed().toList());
    }

    /** One forward pass; the argmax class (first on ties) at every timestamp position, in order (7.4). */
    private int[] classesAtTimestamps(int[] ids, EncodedAudio audio) {
        float[] hidden = forwardHidden(ids, audio);
        int h = config.text().hidden();
        int ts = config.timestampTokenId();
        int count = 0;
        for (int id : ids) if (id == ts) count++;
        float[] rows = new float[count * h];
        int r = 0;
        for (int p = 0; p < ids.length; p++) {
            if (ids[p] == ts) System.arraycopy(hidden, p * h, rows, (r++) * h, h);
        }
        float[] logits = model.decoder().logits(model.pool(), rows, count);
        int classesN = model.decoder().headRows();
        int[] out = new int[count];
        for (int k = 0; k < count; k++) {
            int base = k * classesN;
            int best = 0;
            for (int c = 1; c < classesN; c++) {
                if (logits[base + c] > logits[base + best]) best = c;
            }
            out[k] = best;
        }
        return out;
    }

    /** One causal pass over the whole input; the final hidden state of every position. */
    private float[] forwardHidden(int[] ids, EncodedAudio audio) {
        TextDecoder decoder = model.decoder();
        float[] x = decoder.embed(ids, model.tokens().audioPad(), audio.rows(), audio.count());
        KvCache cache = decoder.newCache(ids.length);
        return decoder.forward(model.pool(), x, ids.length, cache, false);
    }

    /**
     * Head logits ({@code classify_num} per row) at the given positions of the input built for
     * {@code text}, for the equivalence tests (which reach it from this package).
     */
    float[] logitsAt(float[] samples16k, String text, String language, EncoderAttention attention, int[] positions) {
        List<String> units = AlignmentUnits.split(text, language);
        EncodedAudio audio = model.encode(samples16k, attention, false);
        int[] ids = AlignerInput.ids(model.tokenizer(), units, audio.count());
        float[] hidden = forwardHidden(ids, audio);
        int h = config.text().hidden();
        float[] rows = new float[positions.length * h];
        for (int k = 0; k < positions.length; k++) System.arraycopy(hidden, positions[k] * h, rows, k * h, h);
        return model.decoder().logits(model.pool(), rows, positions.length);
    }

    /** The input ids {@code align} builds for this audio length and transcript (7.3). */
    int[] inputIds(int samples16k, String text, String language) {
        return AlignerInput.ids(model.tokenizer(), AlignmentUnits.split(text, language), model.audioTokens(samples16k));
    }

    /** What was loaded: variant, sizes, directory, and the 11 languages it can time (docs/model.md 7.6). */
    public ModelInfo info() {
        return model.info(TimestampedTranscriber.supportedLanguages());
    }

    /** Stops the worker threads and unmaps the weights; a second call does nothing. */
    @Override
    public void close() {
        model.close();
    }
}
