package io.github.qwenasr.audio;

import static io.github.qwenasr.audio.FfmpegFixtures.make;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.qwenasr.QwenAsr;
import io.github.qwenasr.TranscribeOptions;
import io.github.qwenasr.Transcription;
import io.github.qwenasr.equivalence.TestModels;
import io.github.qwenasr.tools.Preset;
import io.github.qwenasr.tools.SyntheticCheckpoint;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link QwenAsr#transcribe(Path, TranscribeOptions)} takes any format ffmpeg reads (tiny random model):
 * a FLAC of a 16 kHz WAV gives the WAV's tokens; a video's AAC track gives exactly the tokens of the
 * WAV that ffmpeg writes from that same track (the decode is the same, only the path into the engine
 * differs).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TranscribeAnyFormatTest {
    private static final TranscribeOptions OPTIONS = TranscribeOptions.defaults().withMaxNewTokens(12);

    @TempDir
    static Path dir;
    private QwenAsr asr;

    @BeforeAll
    void load() throws Exception {
        Path model = SyntheticCheckpoint.ensure(Preset.TINY, 7, dir.resolve("tiny"), 1, TestModels.shared());
        asr = QwenAsr.load(model, 2);
    }

    @AfterAll
    void close() {
        if (asr != null) asr.close();
    }

    @Test
    void flacGivesTheWavsTokens() throws Exception {
        Path wav = SharedAudio.clip("test_speech.wav");
        Path flac = make(dir.resolve("speech.flac"), "-i", wav.toString());
        Transcription expected = asr.transcribe(wav, OPTIONS);
        Transcription got = asr.transcribe(flac, OPTIONS);
        assertEquals(expected.tokens(), got.tokens());
        assertEquals(expected.text(), got.text());
    }

    @Test
    void aVideosAudioTrackGivesTheTokensOfItsOwnWavDecode() throws Exception {
        Path mp4 = make(dir.resolve("clip.mp4"), "-f", "lavfi", "-i", "testsrc=size=64x48:rate=5",
                "-i", SharedAudio.clip("jfk.wav").toString(), "-shortest", "-c:v", "mpeg4", "-c:a", "aac", "-ar", "44100");
        Path decoded = make(dir.resolve("clip.wav"), "-i", mp4.toString(), "-map", "0:a:0", "-ar", "16000",
                "-c:a", "pcm_f32le");
        assertEquals(asr.transcribe(decoded, OPTIONS).tokens(), asr.transcribe(mp4, OPTIONS).tokens());
    }
}
