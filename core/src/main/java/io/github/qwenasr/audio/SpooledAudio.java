package io.github.qwenasr.audio;

import io.github.qwenasr.QwenAsrException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Audio arriving on a stream (stdin) for an offline run: copied to a temporary file, then read in
 * pieces like any file, so an hour piped in costs disk, not memory. The caller says what the bytes
 * are: {@link #wav WAV} (anything else fails, naming what it looks like, {@link InputFormat}),
 * {@link #rawS16le raw} signed 16-bit little-endian 16 kHz mono (bytes are never guessed to be raw),
 * or {@link #anyFormat any format}, where what is not WAV is decoded from the copy by ffmpeg
 * ({@link FfmpegFileSource}, docs/modes.md 2.6): the copy holds the compressed bytes, so it is as
 * small as the input, and a container whose index comes last (MP4) works as it does from a file.
 *
 * <p>The copy lives in {@code java.io.tmpdir} (read at each call; the {@code qwen-asr} launcher sets
 * it from {@code TMPDIR}), is readable by its owner only, and is deleted on close (and at exit,
 * should the process end first). Its name carries the process id, {@code qwen-asr-stdin-<pid>-*.spool},
 * so that a copy left behind by a killed process is recognised and deleted by a later one.
 */
public final class SpooledAudio implements AudioSource {
    static final String PREFIX = "qwen-asr-stdin-";
    static final String SUFFIX = ".spool";

    private final Path copy;
    private final AudioSource source;

    private SpooledAudio(Path copy, AudioSource source) {
        this.copy = copy;
        this.source = source;
    }

    /**
     * Reads {@code in} to its end into a temporary file and opens it as WAV (any encoding
     * {@link WavDecoder} accepts); errors call the input {@code name}.
     *
     * @throws QwenAsrException when the bytes are not WAV ("name: not WAV audio (looks like MP3)") or
     *                          cannot be decoded
     */
    public static SpooledAudio wav(InputStream in, String name) {
        return spool(in, name, Kind.WAV, null, spoolDirectory());
    }

    /**
     * Reads {@code in} to its end into a temporary file and opens it as {@link AudioInput} opens a file:
     * WAV with the Java decoder, any other audio through {@code ffmpeg}. Whether ffmpeg is needed is
     * judged from the first bytes, before anything is copied, so a missing ffmpeg fails at once.
     *
     * @throws QwenAsrException when the bytes are not audio, need the missing ffmpeg, or cannot be decoded
     */
    public static SpooledAudio anyFormat(InputStream in, String name, Ffmpeg ffmpeg) {
        return spool(in, name, Kind.ANY, ffmpeg, spoolDirectory());
    }

    /**
     * Reads {@code in} to its end into a temporary file and opens it as headerless signed 16-bit
     * little-endian mono PCM at 16 kHz (a trailing odd byte is ignored), whatever the bytes are.
     */
    public static SpooledAudio rawS16le(InputStream in, String name) {
        return spool(in, name, Kind.RAW, null, spoolDirectory());
    }

    /** What the caller says the bytes are. */
    enum Kind { WAV, RAW, ANY }

    /** {@link #wav} or {@link #rawS16le} with the copy in {@code dir} (for tests). */
    static SpooledAudio spool(InputStream in, String name, boolean raw, Path dir) {
        return spool(in, name, raw ? Kind.RAW : Kind.WAV, null, dir);
    }

    /** {@link #wav}, {@link #rawS16le} or {@link #anyFormat} with the copy in {@code dir} (for tests). */
    static SpooledAudio spool(InputStream in, String name, Kind kind, Ffmpeg ffmpeg, Path dir) {
        InputFormat format = null;
        if (kind == Kind.ANY) {
            PushbackInputStream peek = new PushbackInputStream(in, InputFormat.SNIFF_BYTES);
            byte[] head;
            try {
                head = peek.readNBytes(InputFormat.SNIFF_BYTES);
                peek.unread(head);
            } catch (IOException e) {
                throw new QwenAsrException("cannot read audio from " + name + ": " + WavDecoder.describe(e), e);
            }
            format = InputFormat.sniff(head, head.length);
            if (head.length >= 4 && AudioInput.viaFfmpeg(format)) ffmpeg.require(name + ": " + AudioInput.describe(format));
            in = peek;
        }
        removeStaleCopies(dir);
        Path copy;
        try {
            copy = createOwnerOnly(dir);
        } catch (IOException | UnsupportedOperationException e) {
            throw new QwenAsrException("cannot create a temporary file for the audio on " + name + " in " + dir
                    + ": " + WavDecoder.describe(e), e);
        }
        copy.toFile().deleteOnExit();
        try {
            long size;
            // Written into the file just created (not replaced by a new one), so it keeps its permissions.
            try (OutputStream out = Files.newOutputStream(copy, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                size = in.transferTo(out);
            } catch (IOException e) {
                throw new QwenAsrException("cannot read audio from " + name + ": " + WavDecoder.describe(e), e);
            }
            if (size < 4) throw new QwenAsrException("no audio data on " + name);
            if (format != null && AudioInput.viaFfmpeg(format)) {
                return new SpooledAudio(copy, FfmpegFileSource.open(copy, name, format, ffmpeg));
            }
            if (kind != Kind.RAW) requireWav(copy, name);
            return new SpooledAudio(copy, openWav(copy, name, kind, ffmpeg));
        } catch (RuntimeException e) {
            delete(copy);
            throw e;
        }
    }

    /** The Java decoder, or with {@link Kind#ANY} ffmpeg for a WAV encoding the Java decoder lacks. */
    private static AudioSource openWav(Path copy, String name, Kind kind, Ffmpeg ffmpeg) {
        try {
            return WavFileSource.open(copy, name, kind == Kind.RAW);
        } catch (QwenAsrException e) {
            if (kind != Kind.ANY || !(e.getCause() instanceof UnsupportedWavException) || !ffmpeg.available()) throw e;
            return FfmpegFileSource.open(copy, name, InputFormat.WAV, ffmpeg);
        }
    }

    /** {@code java.io.tmpdir} as it is now (Files.createTempFile would use the value at JVM start). */
    private static Path spoolDirectory() {
        String dir = System.getProperty("java.io.tmpdir");
        if (dir == null || dir.isBlank()) throw new QwenAsrException("java.io.tmpdir is not set: nowhere to copy stdin to");
        return Path.of(dir);
    }

    private static Path createOwnerOnly(Path dir) throws IOException {
        String prefix = PREFIX + ProcessHandle.current().pid() + "-";
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return Files.createTempFile(dir, prefix, SUFFIX,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        return Files.createTempFile(dir, prefix, SUFFIX);
    }

    /**
     * Deletes copies whose process has ended without deleting them (killed with SIGKILL, power
     * loss); copies of running processes, and anything that is not a regular file, are left alone.
     * Best effort: a copy that cannot be deleted (another user's) is skipped.
     */
    static void removeStaleCopies(Path dir) {
        try (DirectoryStream<Path> copies = Files.newDirectoryStream(dir, PREFIX + "*" + SUFFIX)) {
            for (Path p : copies) {
                long pid = ownerPid(p.getFileName().toString());
                if (pid < 0 || ProcessHandle.of(pid).isPresent()) continue;
                if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) continue;
                delete(p);
            }
        } catch (IOException | RuntimeException ignored) {
            // An unreadable temporary directory fails clearly when the copy is created.
        }
    }

    /** The process id in a copy's name, or -1 when the name does not carry one. */
    static long ownerPid(String fileName) {
        int end = fileName.indexOf('-', PREFIX.length());
        if (!fileName.startsWith(PREFIX) || end <= PREFIX.length()) return -1;
        try {
            return Long.parseLong(fileName.substring(PREFIX.length(), end));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void requireWav(Path copy, String name) {
        byte[] head = new byte[InputFormat.SNIFF_BYTES];
        int n;
        try (InputStream in = Files.newInputStream(copy)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw new QwenAsrException("cannot read the temporary copy of the audio: " + WavDecoder.describe(e), e);
        }
        InputFormat kind = InputFormat.sniff(head, n);
        // RIFX is left to the decoder, which names it.
        if (!kind.isWav() && kind != InputFormat.WAV_BIG_ENDIAN) {
            throw new QwenAsrException(name + ": not WAV audio (looks like " + kind.label() + ")");
        }
    }

    /** The ffmpeg decoder of the copy, or null when the engine decodes it itself (WAV, raw). */
    FfmpegFileSource ffmpegSource() {
        return source instanceof FfmpegFileSource f ? f : null;
    }

    /** The temporary copy (for tests). */
    Path copy() {
        return copy;
    }

    @Override
    public int length() {
        return source.length();
    }

    @Override
    public void read(int start, float[] dst, int offset, int count) {
        source.read(start, dst, offset, count);
    }

    @Override
    public void close() {
        source.close();
        delete(copy);
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // deleteOnExit still removes it when the process ends.
        }
    }
}
