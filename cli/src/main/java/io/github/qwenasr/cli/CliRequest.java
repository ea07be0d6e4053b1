package io.github.qwenasr.cli;

import io.github.qwenasr.ComputeMode;
import io.github.qwenasr.LoadOptions;
import io.github.qwenasr.Quantization;
import io.github.qwenasr.TranscribeOptions;
import io.github.qwenasr.format.OutputFormat;
import io.github.qwenasr.stream.StreamOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A validated command line: everything the run needs, nothing left to check except what only the
 * files themselves can tell.
 *
 * @param modelDir  the -d directory, or null for the default model in the cache
 * @param inputFile the -i file, or null when reading stdin
 * @param rawStdin  whether stdin is raw s16le 16 kHz mono (--raw) rather than WAV
 * @param threads   worker threads for the model (1..{@value QwenAsrCommand#MAX_THREADS}, at most the
 *                  available processors)
 * @param options   transcription options (language, prompt, token limit, encoder attention,
 *                  segmentation, past text, silence skipping)
 * @param verbosity stderr level
 * @param profile   whether to print the per-stage report
 * @param alignment  the transcript to align (alignment mode), or null to transcribe
 * @param timestamps whether to align the transcription (--timestamps)
 * @param alignerDir the --aligner directory, or null for the aligner in the cache
 * @param format     the output format
 * @param outputFile the -o file, or null for stdout
 * @param stream     streaming settings with --stream (docs/modes.md 6), else null
 * @param warnings   what the command line asked for but did not get (printed as "Warning: ..." lines)
 * @param offline    --offline: a model missing from the cache is an error instead of a download
 * @param capture    --live or --list-devices (docs/modes.md 7), else null
 * @param many       a run over many inputs (docs/modes.md 1.9), else null; {@code inputFile} is then null
 * @param quantization how the decoder's linear weights are held (--quantize)
 * @param compute    how the speech model's encoder and prefill matmuls run (--compute)
 */
record CliRequest(Path modelDir, Path inputFile, boolean rawStdin, int threads, TranscribeOptions options,
                  Verbosity verbosity, boolean profile, Alignment alignment, boolean timestamps, Path alignerDir,
                  OutputFormat format, Path outputFile, StreamOptions stream, List<String> warnings,
                  boolean offline, Capture capture, Quantization quantization, ComputeMode compute, Many many) {
    CliRequest {
        warnings = List.copyOf(warnings);
    }

    /** How the speech model is loaded: threads, quantization and compute mode. */
    LoadOptions loadOptions() {
        return new LoadOptions(threads, quantization, compute);
    }

    boolean readsStdin() {
        return inputFile == null && capture == null && many == null;
    }

    /** The files the run reads (the -i audio, the --align-file text), which -o must not name. */
    List<Path> inputs() {
        List<Path> files = new ArrayList<>();
        if (inputFile != null) files.add(inputFile);
        if (alignment != null && alignment.file() != null) files.add(alignment.file());
        return files;
    }

    /** Whether the forced aligner is needed. */
    boolean usesAligner() {
        return alignment != null || timestamps;
    }

    /**
     * Alignment mode (docs/modes.md 8): the transcript comes from the command line or a UTF-8 file.
     *
     * @param text     the --align text, or null when it is read from {@code file}
     * @param file     the --align-file file, or null
     * @param language the aligner language (canonical name)
     */
    record Alignment(String text, Path file, String language) {}

    /**
     * Audio from an input device (docs/modes.md 7.1).
     *
     * @param listDevices --list-devices: list the devices and exit
     * @param device      the --device number or name, or null for the default
     */
    record Capture(boolean listDevices, String device) {}

    /**
     * A run over many inputs (docs/modes.md 1.9): {@code -i} given more than once or naming a folder,
     * {@code --input-list}, or {@code --output-dir}.
     *
     * @param inputs    the -i paths in command-line order (files or folders)
     * @param inputList the --input-list file, or null
     * @param recursive --recursive: folders are searched in their sub-folders too
     * @param jobs      --jobs: transcriptions in flight, or null for the engine's choice
     * @param outputDir --output-dir: one file per input there, or null (JSON lines only)
     */
    record Many(List<Path> inputs, Path inputList, boolean recursive, Integer jobs, Path outputDir) {
        Many {
            inputs = List.copyOf(inputs);
        }
    }

    /** Whether the audio comes from an input device (--live). */
    boolean live() {
        return capture != null && !capture.listDevices();
    }
}
