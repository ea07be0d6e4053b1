package io.github.qwenasr.server;

import java.nio.file.Path;

/** The engine's own streaming transcript of a 16 kHz mono s16le clip, all pushed at once. */
final class StreamingTestReference {
    private StreamingTestReference() {
    }

    static String of(Path wav, double chunkSeconds) {
        Engine.Stream s = TestSupport.engine().openStream(null, "", chunkSeconds);
        s.push(StreamingTest.floats(TestSupport.wavData(wav)), 16000);
        return s.finish().committedText();
    }
}
