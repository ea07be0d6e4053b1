package io.github.qwenasr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.audio.AudioLoader;
import io.github.qwenasr.audio.AudioSource;
import io.github.qwenasr.audio.Resampler;
import io.github.qwenasr.audio.WavFileSource;
import io.github.qwenasr.equivalence.TestModels;
import io.github.qwenasr.longform.AudioSplitter;
import io.github.qwenasr.longform.Segmenter;
import io.github.qwenasr.longform.SilenceCompactor;
import io.github.qwenasr.tools.Preset;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Long recordings are read in pieces (issue: memory must not grow with the input's length): the
 * split reads only the search window around each cut, decoding reads one piece or segment at a
 * time, and the result is exactly what decoding each piece on its own gives.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LongAudioTest {
    private static final int RATE = 16000;
    private QwenAsr asr;
    private float[] clip;

    @TempDir
    Path dir;

    @BeforeAll
    void load() throws IOException {
        asr = QwenAsr.load(TestModels.model(Preset.TINY, 1234, null), 2);
        Path wav = TestModels.shared().resolve("data/audio/notld_45s_right_through_the_billboard.wav");
        assertTrue(Files.isRegularFile(wav), "missing fixture " + wav);
        clip = AudioLoader.load16k(wav);
    }

    @AfterAll
    void close() {
        asr.close();
    }

    /** Wraps a source and records the largest single read and the total read. */
    static final class CountingSource implements AudioSource {
        private final AudioSource inner;
        int largestRead;
        long totalRead;

        CountingSource(AudioSource inner) {
            this.inner = inner;
        }

        @Override
        public int length() {
            return inner.length();
        }

        @Override
        public synchronized void read(int start, float[] dst, int offset, int count) {
            largestRead = Math.max(largestRead, count);
            totalRead += count;
            inner.read(start, dst, offset, count);
        }
    }

    /**
     * Three hours of loud noise, computed on demand (nothing is held), with 0.3 s of digital
     * silence 1 s after every multiple of 1200 s.
     */
    private static AudioSource threeHoursWithGaps() {
        int length = 3 * 3600 * RATE;
        return new AudioSource() {
            @Override
            public int length() {
                return length;
            }

            @Override
            public void read(int start, float[] dst, int offset, int count) {
                for (int i = 0; i < count; i++) {
                    int s = start + i;
                    int intoPeriod = s % (1200 * RATE);
                    boolean gap = s >= 1200 * RATE && intoPeriod >= RATE && intoPeriod < RATE + RATE * 3 / 10;
                    long h = (s * 0x9E3779B97F4A7C15L) >>> 40;
                    float magnitude = 0.1f + 0.4f * (h & 0xFFFF) / 65535f;
                    dst[offset + i] = gap ? 0f : ((h >>> 16) % 2 == 0 ? magnitude : -magnitude);
                }
            }
        };
    }

    @Test
    void splittingThreeHoursReadsOnlyTheSearchWindows() {
        CountingSource source = new CountingSource(threeHoursWithGaps());
        List<Segmenter.Range> pieces = AudioSplitter.ranges(source, 1200);
        // The quietest 100 ms window within +-5 s of each cut lies wholly in the planted gap, and
        // its quietest sample is the gap's first: every piece after the first starts there.
        assertEquals(9, pieces.size(), pieces.toString());
        assertEquals(0, pieces.get(0).start());
        for (int k = 1; k < pieces.size(); k++) {
            assertEquals(k * 1200 * RATE + RATE, pieces.get(k).start(), "piece " + k);
            assertEquals(pieces.get(k - 1).end(), pieces.get(k).start(), "contiguous");
        }
        assertEquals(source.length(), pieces.get(pieces.size() - 1).end());
        assertTrue(source.largestRead <= 10 * RATE, "largest read " + source.largestRead);
        assertTrue(source.totalRead <= 8L * 10 * RATE, "total read " + source.totalRead);
    }

    /** The 45 s clip at 44.1 kHz, as float32 stereo (both channels equal), so reading it resamples. */
    private Path clipAt44k() throws IOException {
        float[] x = Resampler.resample(clip, RATE, 44100);
        ByteBuffer data = ByteBuffer.allocate(x.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : x) data.putFloat(v * 0.9f).putFloat(v * 0.9f);
        ByteBuffer wav = ByteBuffer.allocate(44 + data.capacity()).order(ByteOrder.LITTLE_ENDIAN);
        wav.put("RIFF".getBytes()).putInt(36 + data.capacity()).put("WAVEfmt ".getBytes()).putInt(16)
                .putShort((short) 3).putShort((short) 2).putInt(44100).putInt(44100 * 8).putShort((short) 8)
                .putShort((short) 32).put("data".getBytes()).putInt(data.capacity()).put(data.array());
        Path f = dir.resolve("clip44k.wav");
        Files.write(f, wav.array());
        return f;
    }

    @Test
    void fileDecodedPieceByPieceEqualsEachPieceOnItsOwn() throws IOException {
        Path file = clipAt44k();
        float[] whole = AudioLoader.load16k(Files.readAllBytes(file)); // in-memory decode and one-shot resampling
        TranscribeOptions tenSecondPieces = TranscribeOptions.defaults().withMaxPieceSeconds(10).withMaxNewTokens(5);

        List<Segmenter.Range> ranges = AudioSplitter.ranges(AudioSource.of(whole), 10);
        assertTrue(ranges.size() >= 5, "pieces: " + ranges.size());
        StringBuilder text = new StringBuilder();
        List<Integer> tokens = new ArrayList<>();
        for (Segmenter.Range r : ranges) {
            float[] piece = Arrays.copyOfRange(whole, r.start(), r.end());
            if (piece.length < RATE / 2) piece = Arrays.copyOf(piece, RATE / 2);
            Transcription t = asr.transcribe16k(piece, TranscribeOptions.defaults().withMaxNewTokens(5));
            text.append(t.text());
            tokens.addAll(t.tokens());
        }

        Transcription fromPath = asr.transcribe(file, tenSecondPieces);
        assertEquals(ranges.size(), fromPath.stats().decoderRuns());
        assertEquals(tokens, fromPath.tokens());
        assertEquals(text.toString(), fromPath.text());
        assertEquals(whole.length / (double) RATE, fromPath.stats().audioSeconds(), 1e-9);

        try (CountingSource source = new CountingSource(WavFileSource.open(file))) {
            Transcription counted = asr.transcribe16k(source, tenSecondPieces);
            assertEquals(tokens, counted.tokens());
            // A piece ends at the quietest point within +-5 s of its 10 s mark: at most 15 s.
            assertTrue(source.largestRead <= 15 * RATE, "largest read " + source.largestRead);
        }
    }

    @Test
    void segmentedAndSilenceSkippingRunsReadOneSegmentAtATime() throws IOException {
        float[] withPause = new float[clip.length + 8 * RATE];
        System.arraycopy(clip, 0, withPause, 0, 20 * RATE);
        System.arraycopy(clip, 20 * RATE, withPause, 28 * RATE, clip.length - 20 * RATE);
        TranscribeOptions segmented = TranscribeOptions.defaults().withSegmentSeconds(8).withMaxNewTokens(4);
        for (TranscribeOptions o : List.of(segmented, segmented.withSkipSilence(true))) {
            Transcription expected = asr.transcribe16k(withPause.clone(), o);
            CountingSource source = new CountingSource(AudioSource.of(withPause));
            Transcription actual = asr.transcribe16k(source, o);
            assertEquals(expected.tokens(), actual.tokens());
            assertEquals(expected.segments(), actual.segments());
            assertEquals(expected.stats().decoderRuns(), actual.stats().decoderRuns());
            assertTrue(actual.stats().decoderRuns() >= 3, "segments: " + actual.stats().decoderRuns());
            // Segments are at most 8 + 4 s (search margin min(W, S/2)); the silence pass reads 10 s blocks.
            assertTrue(source.largestRead <= 12 * RATE, "largest read " + source.largestRead);
        }
    }

    @Test
    void compactedViewReadsTheSamplesItsMapNames() {
        float[] withPause = new float[clip.length + 8 * RATE];
        System.arraycopy(clip, 0, withPause, 0, 20 * RATE);
        System.arraycopy(clip, 20 * RATE, withPause, 28 * RATE, clip.length - 20 * RATE);
        SilenceCompactor.Compacted view = SilenceCompactor.compact(AudioSource.of(withPause));
        // The kept samples gathered one by one through the time map, for comparison with the view's reads.
        float[] copy = new float[view.audio().length()];
        for (int i = 0; i < copy.length; i++) copy[i] = withPause[(int) view.map().toOriginalSample(i)];
        assertTrue(copy.length < withPause.length - 6 * RATE, "the pause is dropped");
        assertTrue(view.map().pieces() >= 2);
        assertArrayEquals(copy, view.audio().readAll());
        Random r = new Random(5);
        for (int k = 0; k < 50; k++) {
            int start = r.nextInt(copy.length);
            int count = r.nextInt(copy.length - start + 1);
            assertArrayEquals(Arrays.copyOfRange(copy, start, start + count), view.audio().read(start, count));
        }
    }
}
