/** The qwen-asr command line: picocli commands over the engine's exported API only. */
module io.github.qwenasr.cli {
    requires io.github.qwenasr;
    requires io.github.qwenasr.capture;
    requires io.github.qwenasr.eval;
    requires info.picocli;
    requires jdk.unsupported;

    // picocli reads and sets the annotated option fields reflectively.
    opens io.github.qwenasr.cli to info.picocli;
}
