package io.github.qwenasr.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** What counts as a failed ffmpeg decode, from lines ffmpeg 5.1 printed for real damaged files. */
class FfmpegDiagnosticsTest {
    private static FfmpegDiagnostics tagged(String... lines) {
        FfmpegDiagnostics d = new FfmpegDiagnostics(true, "file:/data/in.mp4", "in.mp4", "MP4/M4A");
        for (String l : lines) d.accept(l);
        return d;
    }

    @Test
    void aCleanDecodeHasNoFailure() {
        assertNull(tagged().failure(0));
        // Harmless warnings do not fail a decode.
        assertNull(tagged("[mp3 @ 0x55d1] [warning] Estimating duration from bitrate, this may be inaccurate",
                "[warning] Guessed Channel Layout for Input Stream #0.0 : mono").failure(0));
    }

    @Test
    void anErrorAfterWhichFfmpegWentOnIsDamage() {
        assertEquals("in.mp4: damaged MP4/M4A audio, ffmpeg could not decode all of it (invalid residual); to transcribe "
                        + "what can be decoded, convert it first: ffmpeg -i IN -ar 16000 OUT.wav",
                tagged("[flac @ 0x562f04422e00] [error] invalid residual",
                        "[flac @ 0x562f04422e00] [error] decode_frame() failed").failure(0));
    }

    @Test
    void warningsThatMeanLostAudioAreDamage() {
        assertEquals("in.mp4: damaged MP4/M4A audio, ffmpeg could not decode all of it (filesize and duration do not match "
                        + "(growing file?)); to transcribe what can be decoded, convert it first: ffmpeg -i IN -ar 16000 OUT.wav",
                tagged("[mp3 @ 0x55fd1f386bc0] [warning] filesize and duration do not match (growing file?)").failure(0));
        String corrupt = tagged("[mov,mp4,m4a,3gp,3g2,mj2 @ 0x5638bf479bc0] [warning] Packet corrupt (stream = 1, dts = 163840).",
                "[warning] file:/data/in.mp4: corrupt input packet in stream 1").failure(0);
        assertEquals("in.mp4: damaged MP4/M4A audio, ffmpeg could not decode all of it (Packet corrupt (stream = 1, dts = 163840));"
                + " to transcribe what can be decoded, convert it first: ffmpeg -i IN -ar 16000 OUT.wav", corrupt);
    }

    @Test
    void aFailedRunNamesTheFirstErrorWithTheInputsOwnName() {
        assertEquals("in.mp4: ffmpeg cannot decode this MP4/M4A file: moov atom not found",
                tagged("[mov,mp4,m4a,3gp,3g2,mj2 @ 0x55d107c0bbc0] [error] moov atom not found",
                        "[error] file:/data/in.mp4: Invalid data found when processing input").failure(1));
        assertEquals("in.mp4: ffmpeg cannot decode this MP4/M4A file: Invalid data found when processing input",
                tagged("[error] file:/data/in.mp4: Invalid data found when processing input").failure(1));
    }

    @Test
    void noAudioStream() {
        assertEquals("in.mp4: no audio stream in it", tagged("[fatal] Stream map '0:a:0' matches no streams.",
                "[fatal] To ignore this, add a trailing '?' to the map.").failure(1));
    }

    @Test
    void aSilentNonZeroExit() {
        assertEquals("in.mp4: ffmpeg was stopped (exit status 137) before the audio was decoded", tagged().failure(137));
        assertEquals("in.mp4: ffmpeg was stopped (exit status 255) before the audio was decoded", tagged().failure(255));
        assertEquals("in.mp4: ffmpeg failed (exit status 1)", tagged().failure(1));
    }

    @Test
    void withoutLevelTagsEveryLineIsAnError() {
        FfmpegDiagnostics d = new FfmpegDiagnostics(false, "file:/data/in.mp4", "in.mp4", null);
        d.accept("[mp3float @ 0x555f91f5d940] invalid new backstep -1");
        assertEquals("in.mp4: damaged audio, ffmpeg could not decode all of it (invalid new backstep -1); to transcribe "
                + "what can be decoded, convert it first: ffmpeg -i IN -ar 16000 OUT.wav", d.failure(0));
    }

    @Test
    void longLinesAreCut() {
        String m = tagged("[error] " + "x".repeat(10_000)).failure(1);
        assertEquals("in.mp4: ffmpeg cannot decode this MP4/M4A file: ".length() + 303, m.length());
    }
}
