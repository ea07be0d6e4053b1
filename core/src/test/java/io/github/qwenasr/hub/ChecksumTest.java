package io.github.qwenasr.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checksums the hub publishes, on known values: git's blob id of "hello\n" is
 * ce013625030ba8dba906f756967f9e9ca394464a ({@code echo hello | git hash-object --stdin}); the
 * SHA-256 of "abc" is the FIPS 180-2 test vector.
 */
class ChecksumTest {
    private static final byte[] HELLO = "hello\n".getBytes(StandardCharsets.US_ASCII);
    private static final String HELLO_BLOB = "ce013625030ba8dba906f756967f9e9ca394464a";
    private static final String ABC_SHA256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @Test
    void gitBlobIdOfAFileKeptInGit(@TempDir Path dir) throws IOException {
        try (PartFile part = PartFile.open(dir.resolve("x.part"), ContentDigest.of(new RemoteFile("x", HELLO.length, null, HELLO_BLOB)))) {
            part.append(HELLO, 0, HELLO.length);
            assertEquals(HELLO_BLOB, part.checksumHex());
        }
    }

    @Test
    void sha256OfAnLfsFileIncludingBytesFromAnEarlierRun(@TempDir Path dir) throws IOException {
        Path p = dir.resolve("w.part");
        Files.writeString(p, "a", StandardCharsets.US_ASCII);
        try (PartFile part = PartFile.open(p, ContentDigest.of(new RemoteFile("w", 3, ABC_SHA256, null)))) {
            assertEquals(1, part.length());
            byte[] bc = "bc".getBytes(StandardCharsets.US_ASCII);
            part.append(bc, 0, 2);
            assertEquals(ABC_SHA256, part.checksumHex());
        }
        assertEquals("abc", Files.readString(p));
    }

    @Test
    void restartForgetsWhatWasHashed(@TempDir Path dir) throws IOException {
        try (PartFile part = PartFile.open(dir.resolve("w.part"), ContentDigest.of(new RemoteFile("w", 3, ABC_SHA256, null)))) {
            byte[] junk = "zzzz".getBytes(StandardCharsets.US_ASCII);
            part.append(junk, 0, 4);
            part.restart();
            byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
            part.append(abc, 0, 3);
            assertEquals(3, part.length());
            assertEquals(ABC_SHA256, part.checksumHex());
        }
    }

    @Test
    void noChecksumWithoutMetadata() {
        assertNull(ContentDigest.of(new RemoteFile("x", 5, null, null)));
        assertNull(ContentDigest.of(new RemoteFile("x", -1, null, HELLO_BLOB)), "a blob id needs the size for its header");
    }
}
