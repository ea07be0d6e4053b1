package io.github.qwenasr.spark;

import java.nio.file.Path;

/**
 * Everything a batch run needs besides the Spark session.
 *
 * @param input            a folder of WAV files or a list file ({@link InputListing})
 * @param output           the output folder ({@link OutputDir})
 * @param format           jsonl or parquet
 * @param engine           the models and engine threads each executor loads
 * @param request          language, prompt and token limit of every transcription
 * @param jobs             transcriptions in flight per task
 * @param partitionSeconds about how much audio one partition gets (bounds what a killed job redoes)
 */
public record BatchSettings(Path input, Path output, OutputFormat format, EngineKey engine, TranscribeRequest request,
                            int jobs, double partitionSeconds) {
    /** Default partition size: half an hour of audio. */
    public static final double DEFAULT_PARTITION_SECONDS = 1800;
    public static final int DEFAULT_JOBS = 2;

    public BatchSettings {
        if (jobs < 1) throw new IllegalArgumentException("jobs must be at least 1, got " + jobs);
        if (!(partitionSeconds > 0) || Double.isInfinite(partitionSeconds)) {
            throw new IllegalArgumentException("the partition size must be a positive number of seconds");
        }
    }

    JobManifest manifest() {
        Path model = engine.modelPath().toAbsolutePath().normalize().getFileName();
        Path aligner = engine.alignerPath() == null ? null : engine.alignerPath().toAbsolutePath().normalize().getFileName();
        return new JobManifest(model == null ? engine.modelDir() : model.toString(),
                aligner == null ? null : aligner.toString(), request.language(), request.prompt(),
                request.maxNewTokens(), format.label());
    }
}
