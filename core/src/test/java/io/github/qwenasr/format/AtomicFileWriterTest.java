package io.github.qwenasr.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.qwenasr.QwenAsrException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileWriterTest {
    @TempDir
    Path dir;

    private List<Path> listing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void writesAndReplacesUtf8Content() throws IOException {
        Path target = dir.resolve("out.txt");
        AtomicFileWriter.write(target, "première 😀 你好\n");
        assertEquals("première 😀 你好\n", Files.readString(target, StandardCharsets.UTF_8));
        AtomicFileWriter.write(target, "second");
        assertEquals("second", Files.readString(target));
        assertEquals(List.of(target), listing());
    }

    @Test
    void failingContentLeavesTheTargetAndNoTemporaryFile() throws IOException {
        Path target = dir.resolve("out.srt");
        Files.writeString(target, "old content");
        IOException cause = new IOException("disk on fire");
        QwenAsrException e = assertThrows(QwenAsrException.class, () -> AtomicFileWriter.write(target, out -> {
            out.write("half of the new conte");
            out.flush();
            throw cause;
        }));
        assertTrue(e.getMessage().contains("disk on fire"), e.getMessage());
        assertEquals("old content", Files.readString(target));
        assertEquals(List.of(target), listing());

        assertThrows(UncheckedIOException.class, () -> AtomicFileWriter.write(target, out -> {
            out.write("partial");
            throw new UncheckedIOException(cause);
        }));
        assertEquals("old content", Files.readString(target));
        assertEquals(List.of(target), listing());
    }

    @Test
    void parentThatIsAFileIsReported() throws IOException {
        Path file = dir.resolve("plain");
        Files.writeString(file, "x");
        QwenAsrException e = assertThrows(QwenAsrException.class,
                () -> AtomicFileWriter.write(file.resolve("out.json"), "{}"));
        assertTrue(e.getMessage().contains("not a directory"), e.getMessage());
        assertEquals("x", Files.readString(file));
        assertEquals(List.of(file), listing());
    }

    @Test
    void missingDirectoryAndDirectoryTargetAreReported() throws IOException {
        QwenAsrException missing = assertThrows(QwenAsrException.class,
                () -> AtomicFileWriter.write(dir.resolve("nope").resolve("out.txt"), "x"));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        Path sub = Files.createDirectory(dir.resolve("sub"));
        QwenAsrException isDir = assertThrows(QwenAsrException.class, () -> AtomicFileWriter.write(sub, "x"));
        assertTrue(isDir.getMessage().contains("is a directory"), isDir.getMessage());
        assertEquals(List.of(sub), listing());
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void fifoIsRefusedAndStaysAFifo() throws Exception {
        Path fifo = SpecialFiles.fifo(dir.resolve("pipe"));
        for (ThrowingCall call : List.<ThrowingCall>of(() -> AtomicFileWriter.checkTarget(fifo),
                () -> AtomicFileWriter.write(fifo, "text"))) {
            QwenAsrException e = assertThrows(QwenAsrException.class, call::run);
            assertEquals("cannot write " + fifo + ": it is a FIFO (named pipe), not a regular file "
                    + "(give a new file name or a regular file)", e.getMessage());
        }
        assertEquals(010000, (Integer) Files.getAttribute(fifo, "unix:mode") & 0170000, "still a FIFO");
        assertEquals(List.of(fifo), listing());
    }

    @Test
    void socketIsRefused() throws IOException {
        Path socket = dir.resolve("sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            QwenAsrException e = assertThrows(QwenAsrException.class, () -> AtomicFileWriter.write(socket, "x"));
            assertTrue(e.getMessage().contains("it is a socket"), e.getMessage());
            assertFalse(Files.isRegularFile(socket));
        }
    }

    @Test
    void deviceNodeIsRefusedAndStaysADevice() throws Exception {
        // Only root may make device nodes; the node (null's numbers) lives in this test's own folder.
        assumeTrue(SpecialFiles.isRoot(), "mknod needs root");
        Path device = dir.resolve("null-device");
        SpecialFiles.run("mknod", device.toString(), "c", "1", "3");
        QwenAsrException e = assertThrows(QwenAsrException.class, () -> AtomicFileWriter.write(device, "x"));
        assertTrue(e.getMessage().contains("it is a character device"), e.getMessage());
        assertEquals(020000, (Integer) Files.getAttribute(device, "unix:mode") & 0170000, "still a character device");
        assertEquals(List.of(device), listing());
    }

    @Test
    void symbolicLinkIsWrittenThroughAndStaysALink() throws IOException {
        Path real = Files.writeString(Files.createDirectory(dir.resolve("real")).resolve("out.txt"), "old");
        Path link = Files.createSymbolicLink(dir.resolve("link.txt"), real);
        Path chain = Files.createSymbolicLink(dir.resolve("chain.txt"), dir.relativize(link));
        assertEquals(real.toRealPath(), AtomicFileWriter.checkTarget(chain));
        AtomicFileWriter.write(chain, "new");
        assertTrue(Files.isSymbolicLink(link) && Files.isSymbolicLink(chain), "links stay links");
        assertEquals("new", Files.readString(real));
        try (Stream<Path> s = Files.list(real.getParent())) {
            assertEquals(List.of(real), s.toList(), "the temporary file was made beside the real file");
        }
    }

    @Test
    void danglingLinkIsRefused() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("out.txt"), dir.resolve("missing.txt"));
        QwenAsrException e = assertThrows(QwenAsrException.class, () -> AtomicFileWriter.write(link, "x"));
        assertTrue(e.getMessage().contains("symbolic link to a missing file"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("missing.txt")));
    }

    @Test
    void replacedFileKeepsItsMode() throws IOException {
        for (String mode : List.of("rw-------", "rw-rw-r--", "rw-r-----")) {
            Path target = Files.writeString(dir.resolve("out-" + mode.replace('-', '_') + ".txt"), "old");
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(mode));
            AtomicFileWriter.write(target, "new");
            assertEquals("new", Files.readString(target));
            assertEquals(mode, PosixFilePermissions.toString(Files.getPosixFilePermissions(target)), "mode kept");
        }
    }

    @Test
    void newFileGetsTheDefaultMode() throws IOException {
        Path reference = Files.createFile(dir.resolve("reference"));
        Path target = dir.resolve("new.txt");
        AtomicFileWriter.write(target, "x");
        assertEquals(Files.getPosixFilePermissions(reference), Files.getPosixFilePermissions(target));
    }

    @Test
    void readOnlyFileIsRefusedForOrdinaryUsers() throws Exception {
        Path target = Files.writeString(dir.resolve("locked.txt"), "old");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("r--r--r--"));
        if (SpecialFiles.isRoot()) {
            // Root may write any file, so the file is replaced and keeps its mode.
            AtomicFileWriter.write(target, "new");
            assertEquals("new", Files.readString(target));
            assertEquals("r--r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
        } else {
            QwenAsrException e = assertThrows(QwenAsrException.class, () -> AtomicFileWriter.write(target, "new"));
            assertTrue(e.getMessage().contains("not writable"), e.getMessage());
            assertEquals("old", Files.readString(target));
        }
    }

    @Test
    void folderThatRefusesNewFilesIsFoundBeforeTheContentExists() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("locked"));
        Path target = folder.resolve("out.txt");
        try (AutoCloseable ignored = SpecialFiles.unwritable(folder)) {
            QwenAsrException e = assertThrows(QwenAsrException.class, () -> AtomicFileWriter.checkTarget(target));
            assertTrue(e.getMessage().startsWith("cannot write " + target + ": cannot create a file in the folder "
                    + folder + ": "), e.getMessage());
            assertEquals(-1, e.getMessage().indexOf('\n'));
            try (Stream<Path> s = Files.list(folder)) {
                assertEquals(List.of(), s.toList());
            }
        }
    }

    @Test
    void checkTargetLeavesNothingBehind() throws IOException {
        Path target = dir.resolve("out.txt");
        assertEquals(target.toAbsolutePath(), AtomicFileWriter.checkTarget(target));
        assertEquals(List.of(), listing());
    }

    @Test
    void longestFileNameStillGetsATemporaryFile() throws IOException {
        Path target = dir.resolve("x".repeat(250) + ".txt");
        AtomicFileWriter.write(target, "long name");
        assertEquals("long name", Files.readString(target));
        assertEquals(List.of(target), listing());
    }

    @FunctionalInterface
    private interface ThrowingCall {
        void run() throws Exception;
    }
}
