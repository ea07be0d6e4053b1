package io.github.qwenasr.audio;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a file or stream looks like, judged from its first {@value #SNIFF_BYTES} bytes: WAV (the
 * one format the engine decodes itself), another well-known audio or video container (which
 * {@link AudioInput} hands to ffmpeg), or something that is not audio at all, which is refused with
 * what it looks like rather than decoded as noise.
 *
 * <p>Raw PCM has no signature, so it is never recognised here: it sniffs as whatever its first
 * bytes resemble, usually {@link #UNKNOWN}. {@link #certain()} tells the formats whose signature is
 * long enough (4 bytes or more, or a structure) that PCM samples practically never begin with it.
 */
public enum InputFormat {
    /** "RIFF" or "RF64": decoded by {@link WavDecoder}, which judges the rest of the header. */
    WAV("WAV", true, true),
    /** "RIFX": big-endian WAV, which the decoders refuse with their own message. */
    WAV_BIG_ENDIAN("big-endian WAV (RIFX)", true, true),
    /** An ID3 tag, or an MPEG audio frame header (11 sync bits, a valid layer and bitrate). */
    MP3("MP3", true, false),
    /** An AAC stream with ADTS frame headers (12 sync bits, layer 0). */
    AAC("AAC (ADTS)", true, false),
    FLAC("FLAC", true, true),
    OGG("Ogg", true, true),
    MP4("MP4/M4A", true, true),
    AIFF("AIFF", true, true),
    WEBM("WebM/Matroska", true, true),
    /** "RIFF" with form type "AVI ". */
    AVI("AVI", true, true),
    /** The ASF header GUID (WMA, WMV). */
    ASF("ASF/WMA", true, true),
    AMR("AMR", true, true),
    CAF("CAF", true, true),
    /** Sun/NeXT ".snd". */
    AU("AU", true, true),
    PNG("a PNG image", false, true),
    /** "RIFF" with form type "WEBP". */
    WEBP("a WebP image", false, true),
    JPEG("a JPEG image", false, true),
    GIF("a GIF image", false, true),
    PDF("a PDF document", false, true),
    ZIP("a ZIP archive", false, true),
    GZIP("gzip-compressed data", false, true),
    /** Only printable ASCII and line breaks among the sniffed bytes. */
    TEXT("text", false, false),
    /** None of the above (raw PCM usually lands here). */
    UNKNOWN("an unknown format", false, false);

    /** Bytes looked at; fewer are fine (a short input is judged on what there is). */
    public static final int SNIFF_BYTES = 12;

    private final String label;
    private final boolean audio;
    private final boolean certain;

    InputFormat(String label, boolean audio, boolean certain) {
        this.label = label;
        this.audio = audio;
        this.certain = certain;
    }

    /** How a message names it, e.g. "MP3" or "a PNG image" (fits "looks like ..."). */
    public String label() {
        return label;
    }

    /** Whether it is an audio format (WAV included), so converting it to WAV makes sense. */
    public boolean isAudio() {
        return audio;
    }

    /** Whether the signature rules out raw PCM that happens to start with the same bytes. */
    public boolean certain() {
        return certain;
    }

    /** Whether the decoders take it as WAV (they may still refuse its encoding). */
    public boolean isWav() {
        return this == WAV;
    }

    /** Judges the first {@code length} bytes of {@code head} (at most {@value #SNIFF_BYTES} are used). */
    public static InputFormat sniff(byte[] head, int length) {
        int n = Math.min(Math.min(length, head.length), SNIFF_BYTES);
        String s = new String(head, 0, n, StandardCharsets.ISO_8859_1);
        if (s.startsWith("RIFF") && n >= 12 && s.startsWith("AVI ", 8)) return AVI;
        if (s.startsWith("RIFF") && n >= 12 && s.startsWith("WEBP", 8)) return WEBP;
        if (s.startsWith("RIFF") || s.startsWith("RF64")) return WAV;
        if (s.startsWith("RIFX")) return WAV_BIG_ENDIAN;
        if (s.startsWith("fLaC")) return FLAC;
        if (s.startsWith("OggS")) return OGG;
        if (n >= 8 && s.startsWith("ftyp", 4)) return MP4;
        if (s.startsWith("FORM") && n >= 12 && (s.startsWith("AIFF", 8) || s.startsWith("AIFC", 8))) return AIFF;
        if (startsWith(head, n, 0x1A, 0x45, 0xDF, 0xA3)) return WEBM;
        if (startsWith(head, n, 0x30, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11)) return ASF;
        if (s.startsWith("#!AMR")) return AMR;
        if (s.startsWith("caff")) return CAF;
        if (s.startsWith(".snd")) return AU;
        if (startsWith(head, n, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) return PNG;
        if (startsWith(head, n, 0xFF, 0xD8, 0xFF)) return JPEG;
        if (s.startsWith("GIF87a") || s.startsWith("GIF89a")) return GIF;
        if (s.startsWith("%PDF-")) return PDF;
        if (startsWith(head, n, 'P', 'K', 3, 4)) return ZIP;
        if (startsWith(head, n, 0x1F, 0x8B, 0x08)) return GZIP;
        if (s.startsWith("ID3") || mpegAudioFrame(head, n)) return MP3;
        if (adtsFrame(head, n)) return AAC;
        if (n >= 4 && printable(head, n)) return TEXT;
        return UNKNOWN;
    }

    /**
     * Judges the start of a file, or returns null when it cannot be read (the caller's decoder then
     * reports why).
     */
    public static InputFormat sniff(Path file) {
        byte[] head = new byte[SNIFF_BYTES];
        try (InputStream in = Files.newInputStream(file)) {
            return sniff(head, in.readNBytes(head, 0, head.length));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static boolean startsWith(byte[] b, int n, int... magic) {
        if (n < magic.length) return false;
        for (int i = 0; i < magic.length; i++) {
            if ((b[i] & 0xFF) != magic[i]) return false;
        }
        return true;
    }

    /** MPEG audio frame header: sync, a layer other than the reserved 00, a bitrate index other than 1111. */
    private static boolean mpegAudioFrame(byte[] b, int n) {
        return n >= 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xE0) == 0xE0 && (b[1] & 0x06) != 0
                && (b[2] & 0xF0) != 0xF0;
    }

    /** ADTS header: 12 sync bits, layer 00. */
    private static boolean adtsFrame(byte[] b, int n) {
        return n >= 2 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xF6) == 0xF0;
    }

    private static boolean printable(byte[] b, int n) {
        for (int i = 0; i < n; i++) {
            int c = b[i] & 0xFF;
            if (!(c >= 0x20 && c < 0x7F || c == '\t' || c == '\n' || c == '\r')) return false;
        }
        return true;
    }
}
