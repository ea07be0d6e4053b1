package io.github.qwenasr.eval;

import java.util.List;
import java.util.Objects;

/**
 * What an evaluation found.
 *
 * @param dataset    what was transcribed
 * @param primary    the error rate to lead with for this data set
 * @param modes      one report per mode, in the order run
 * @param utterances every utterance in every mode: the modes in order, each in data set order
 */
public record EvalResult(Dataset dataset, PrimaryMetric primary, List<ModeReport> modes, List<UtteranceResult> utterances) {
    public EvalResult {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(primary, "primary");
        modes = List.copyOf(modes);
        utterances = List.copyOf(utterances);
    }
}
