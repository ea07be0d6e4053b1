package io.github.qwenasr.format;

import io.github.qwenasr.QwenAsrException;
import java.io.IOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes an output file all at once or not at all: the content goes to a temporary file in the
 * target's directory, is flushed to disk, then renamed over the target (atomically where the file
 * system allows). On any failure the temporary file is deleted and the target is left as it was.
 *
 * <p>Only regular files are replaced. The target must be absent or a regular file; a symbolic link
 * is followed and the file it names is replaced (the link stays a link); anything else (a folder,
 * a FIFO, a device, a socket) is refused before a byte is written, since renaming over it would
 * destroy it (and leave a reader of a FIFO waiting forever). A replaced file keeps its permission
 * bits and, where the process may set them, its owner and group; a new file gets the usual default
 * permissions (umask). A file that is not writable is refused rather than replaced. Other hard links
 * to a replaced file keep the old content, as with any atomic replacement.
 */
public final class AtomicFileWriter {
    /** Longest part of the target's name reused in the temporary name (names are at most 255 bytes). */
    private static final int MAX_TEMP_NAME_STEM = 100;

    private AtomicFileWriter() {
    }

    /** Something that writes the content; it may fail halfway. */
    @FunctionalInterface
    public interface Content {
        void writeTo(Writer out) throws IOException;
    }

    /**
     * Checks everything that can be checked before the content exists, so that a long computation
     * whose result could not be written fails at once instead: the target's kind (see the class
     * comment) and whether a file can be created in its directory (tried for real, with a temporary
     * file deleted at once, since only that answers for read-only mounts, ACLs and privileged users).
     *
     * @return the file that {@link #write} will replace or create: {@code target} with symbolic links
     *         followed, absolute
     * @throws QwenAsrException a one-line reason naming {@code target}
     */
    public static Path checkTarget(Path target) {
        Path file = resolve(target);
        Path temp = createTemp(file, target, null);
        deleteQuietly(temp);
        return file;
    }

    /** Writes {@code content} as UTF-8 to {@code target}. */
    public static void write(Path target, String content) {
        write(target, out -> out.write(content));
    }

    /** Writes what {@code content} produces, as UTF-8, to {@code target}. */
    public static void write(Path target, Content content) {
        Path file = resolve(target);
        PosixFileAttributes existing = posixAttributes(file);
        Path temp = createTemp(file, target, existing == null ? null : existing.permissions());
        boolean done = false;
        try {
            if (existing != null) keepOwnership(temp, existing);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                // Replacement instead of an error for unpaired surrogates: a stray character must not lose the output.
                Writer out = Channels.newWriter(channel, StandardCharsets.UTF_8.newEncoder()
                        .onMalformedInput(CodingErrorAction.REPLACE)
                        .onUnmappableCharacter(CodingErrorAction.REPLACE), -1);
                content.writeTo(out);
                out.flush();
                channel.force(true);
            }
            // Again just before the rename: something else may have appeared there while we computed.
            resolve(target);
            move(temp, file);
            done = true;
        } catch (IOException e) {
            throw new QwenAsrException("cannot write " + target + ": " + describe(e), e);
        } finally {
            if (!done) deleteQuietly(temp);
        }
        syncDirectory(file.getParent());
    }

    /**
     * The file to replace or create for {@code target}: symbolic links followed; refused unless it is
     * a regular, writable file or absent in an existing directory.
     */
    private static Path resolve(Path target) {
        Path absolute = target.toAbsolutePath();
        if (absolute.getParent() == null || absolute.getFileName() == null) {
            throw new QwenAsrException("not a file path for the output: " + target);
        }
        Path file = absolute;
        if (Files.exists(absolute, LinkOption.NOFOLLOW_LINKS)) {
            try {
                file = absolute.toRealPath();
            } catch (NoSuchFileException e) {
                throw new QwenAsrException("cannot write " + target + ": it is a symbolic link to a missing file");
            } catch (IOException e) {
                throw new QwenAsrException("cannot write " + target + ": " + describe(e), e);
            }
            String kind = kindOfNonRegular(file);
            if (kind != null) {
                throw new QwenAsrException("cannot write " + target + ": it is " + kind
                        + ", not a regular file (give a new file name or a regular file)");
            }
            if (!Files.isWritable(file)) {
                throw new QwenAsrException("cannot write " + target + ": the file is not writable");
            }
        }
        Path dir = file.getParent();
        if (!Files.exists(dir)) throw new QwenAsrException("cannot write " + target + ": folder " + dir + " does not exist");
        if (!Files.isDirectory(dir)) throw new QwenAsrException("cannot write " + target + ": " + dir + " is not a directory");
        return file;
    }

    /** Null for a regular file, else what it is ("a directory", "a FIFO (named pipe)", ...). */
    private static String kindOfNonRegular(Path file) {
        if (Files.isRegularFile(file)) return null;
        if (Files.isDirectory(file)) return "a directory";
        try {
            // The unix view gives the file type bits (S_IFMT) where the platform has it.
            int type = (Integer) Files.getAttribute(file, "unix:mode") & 0170000;
            return switch (type) {
                case 0010000 -> "a FIFO (named pipe)";
                case 0020000 -> "a character device";
                case 0060000 -> "a block device";
                case 0140000 -> "a socket";
                default -> "not a regular file";
            };
        } catch (IOException | RuntimeException e) {
            return "a special file";
        }
    }

    /**
     * Creates an empty temporary file next to {@code file}: with exactly {@code permissions} when
     * given (created with them, so it is never more open than the file it replaces), else with the
     * default ones.
     */
    private static Path createTemp(Path file, Path target, Set<PosixFilePermission> permissions) {
        Path dir = file.getParent();
        String name = file.getFileName().toString();
        if (name.length() > MAX_TEMP_NAME_STEM) name = name.substring(0, MAX_TEMP_NAME_STEM);
        for (int attempt = 0; ; attempt++) {
            String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
            Path temp = dir.resolve("." + name + "." + suffix + ".tmp");
            try {
                if (permissions == null) return Files.createFile(temp);
                Files.createFile(temp, PosixFilePermissions.asFileAttribute(permissions));
                try {
                    Files.setPosixFilePermissions(temp, permissions); // the umask may have removed some bits
                } catch (IOException | RuntimeException e) {
                    deleteQuietly(temp);
                    throw e;
                }
                return temp;
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 10) throw new QwenAsrException("cannot create a temporary file next to " + target, e);
            } catch (IOException e) {
                throw new QwenAsrException("cannot write " + target + ": cannot create a file in the folder " + dir
                        + ": " + describe(e), e);
            }
        }
    }

    /** The POSIX attributes of an existing file, or null when it is absent or the platform has none. */
    private static PosixFileAttributes posixAttributes(Path file) {
        if (!Files.exists(file)) return null;
        try {
            return Files.readAttributes(file, PosixFileAttributes.class);
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    /** Gives the temporary file the replaced file's owner and group, where allowed (best effort). */
    private static void keepOwnership(Path temp, PosixFileAttributes existing) {
        PosixFileAttributeView view = Files.getFileAttributeView(temp, PosixFileAttributeView.class);
        if (view == null) return;
        try {
            PosixFileAttributes now = view.readAttributes();
            if (!now.group().equals(existing.group())) view.setGroup(existing.group());
            if (!now.owner().equals(existing.owner())) view.setOwner(existing.owner());
        } catch (IOException | RuntimeException ignored) {
            // Only a privileged process may give a file away; the content matters more.
        }
    }

    private static void move(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Makes the rename durable where the platform allows opening a directory; best effort. */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | RuntimeException ignored) {
            // Not supported everywhere (Windows); the file itself is already on disk.
        }
    }

    private static void deleteQuietly(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // Nothing more to do; the original failure is the one to report.
        }
    }

    private static String describe(IOException e) {
        // The operating system's reason ("Read-only file system") rather than the temporary file's name.
        if (e instanceof AccessDeniedException) return "permission denied";
        if (e instanceof FileSystemException f && f.getReason() != null) return f.getReason();
        String kind = e.getClass().getSimpleName();
        String msg = e.getMessage();
        return msg == null ? kind : kind + " (" + msg.replace('\n', ' ') + ")";
    }
}
