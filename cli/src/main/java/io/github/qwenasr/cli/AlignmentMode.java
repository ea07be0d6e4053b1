package io.github.qwenasr.cli;

import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.align.AlignmentResult;
import io.github.qwenasr.align.ForcedAligner;
import io.github.qwenasr.audio.AudioLoader;
import io.github.qwenasr.audio.AudioSource;
import io.github.qwenasr.format.TimedItem;
import io.github.qwenasr.format.TranscriptDocument;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Alignment mode (docs/modes.md 8, docs/model.md 7): times the words of a given transcript in the whole audio
 * with the forced aligner; no speech recognition model is involved. The audio must fit the
 * aligner's limit ({@link ForcedAligner#maxSeconds()}); it is not split, since a split would need
 * to know which words fall into which piece.
 */
final class AlignmentMode {
    private final CliRequest request;
    private final Path alignerDir;
    private final Log log;
    private final TranscriptOutput output;

    AlignmentMode(CliRequest request, Path alignerDir, Log log, TranscriptOutput output) {
        this.request = request;
        this.alignerDir = alignerDir;
        this.log = log;
        this.output = output;
    }

    /** Aligns the whole input, which is read only once the aligner has accepted its length. */
    void run(AudioSource audio) {
        CliRequest.Alignment a = request.alignment();
        String text = a.text() != null ? a.text() : readText(a.file());
        if (text.isBlank()) throw new QwenAsrException("the text to align is empty");
        log.info("Loading aligner from " + alignerDir);
        long start = System.nanoTime();
        try (ForcedAligner aligner = ForcedAligner.load(alignerDir, request.threads())) {
            log.info(String.format(Locale.ROOT, "Aligner loaded in %.0f ms", (System.nanoTime() - start) / 1e6));
            aligner.checkLength(audio.length());
            float[] samples = audio.readAll();
            long t0 = System.nanoTime();
            AlignmentResult r = aligner.align(samples, text, a.language());
            log.info(String.format(Locale.ROOT, "Alignment: %d words in %.0f ms", r.items().size(),
                    (System.nanoTime() - t0) / 1e6));
            output.write(new TranscriptDocument(a.language(), text.strip(), TimedItem.fromAligned(r.items())),
                    samples.length / (double) AudioLoader.SAMPLE_RATE);
        }
    }

    /** The --align-file text: strict UTF-8, so a file in another encoding fails rather than aligning garbage. */
    private static String readText(Path file) {
        if (Files.isDirectory(file)) throw new QwenAsrException("--align-file " + file + " is a directory, not a text file");
        if (!Files.exists(file)) throw new QwenAsrException("text file not found: " + file);
        if (!Files.isRegularFile(file)) throw new QwenAsrException("--align-file " + file + " is not a regular file");
        try {
            byte[] bytes = Files.readAllBytes(file);
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
            // A byte order mark is not part of the text.
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            throw new QwenAsrException("text file is not valid UTF-8: " + file);
        } catch (IOException e) {
            throw new QwenAsrException("cannot read text file " + file + ": " + e.getMessage());
        }
    }
}
