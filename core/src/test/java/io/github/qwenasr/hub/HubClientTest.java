package io.github.qwenasr.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.tools.FakeHub;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The hub's file list as documented, endpoints and tokens from the environment, URLs and network errors. */
class HubClientTest {
    /**
     * An answer shaped like the hub's GET /api/models/{repo}/revision/{rev}?blobs=true (fields as the
     * official huggingface_hub client reads them: sha; siblings[].rfilename, size, blobId, lfs.sha256,
     * lfs.size, lfs.pointerSize), trimmed to three files.
     */
    private static final String MODEL_INFO = """
            {"_id": "x", "id": "Qwen/Qwen3-ASR-0.6B", "sha": "5eb144179a02acc5e5ba31e748d22b0cf3e303b0",
             "private": false, "tags": ["safetensors"],
             "siblings": [
               {"rfilename": ".gitattributes", "blobId": "a6344aac8c09253b3b630fb776ae94478aa0275b", "size": 1519},
               {"rfilename": "config.json", "blobId": "ce013625030ba8dba906f756967f9e9ca394464a", "size": 6},
               {"rfilename": "model.safetensors", "blobId": "0123456789abcdef0123456789abcdef01234567", "size": 1876091704,
                "lfs": {"sha256": "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD", "size": 1876091704,
                        "pointerSize": 135}}
             ]}
            """;

    @Test
    void parsesSizesGitBlobIdsAndLfsSha256() {
        try (HubClient c = new HubClient(HubClient.DEFAULT_ENDPOINT, null)) {
            RepoSnapshot s = c.parseSnapshot(MODEL_INFO, "Qwen/Qwen3-ASR-0.6B", "main");
            assertEquals("5eb144179a02acc5e5ba31e748d22b0cf3e303b0", s.commit());
            assertEquals(s.commit(), s.pinnedRevision());
            assertEquals(List.of(
                    new RemoteFile(".gitattributes", 1519, null, "a6344aac8c09253b3b630fb776ae94478aa0275b"),
                    new RemoteFile("config.json", 6, null, "ce013625030ba8dba906f756967f9e9ca394464a"),
                    new RemoteFile("model.safetensors", 1876091704L,
                            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", null)), s.files());
            List<RemoteFile> picked = ModelFiles.select(new RepoSnapshot("r/r", "main", null, List.of(
                    s.files().get(1), s.files().get(2), new RemoteFile("vocab.json", 1, null, null),
                    new RemoteFile("merges.txt", 1, null, null), new RemoteFile("tokenizer_config.json", 1, null, null),
                    new RemoteFile("README.md", 1, null, null), new RemoteFile("sub/model.safetensors", 1, null, null))));
            assertEquals(List.of("config.json", "merges.txt", "tokenizer_config.json", "vocab.json", "model.safetensors"),
                    picked.stream().map(RemoteFile::path).toList(), "small files first, weights last, nothing in subfolders");
        }
    }

    @Test
    void answerWithoutAFileListIsAClearError() {
        try (HubClient c = new HubClient("https://mirror.example", null)) {
            HubException e = assertThrows(HubException.class, () -> c.parseSnapshot("{\"id\": \"x\"}", "Qwen/X", "main"));
            assertTrue(e.getMessage().contains("https://mirror.example") && e.getMessage().contains("HF_ENDPOINT"), e.getMessage());
            HubException html = assertThrows(HubException.class, () -> c.parseSnapshot("<html>login</html>", "Qwen/X", "main"));
            assertTrue(html.getMessage().startsWith("unexpected answer from https://mirror.example for Qwen/X"), html.getMessage());
        }
    }

    @Test
    void listingFromTheFakeHubCarriesIndependentlyComputedChecksums() throws IOException {
        byte[] hello = "hello\n".getBytes(StandardCharsets.US_ASCII);
        byte[] weights = "abc".getBytes(StandardCharsets.US_ASCII);
        try (FakeHub hub = FakeHub.start(); HubClient c = new HubClient(hub.endpoint() + "/", null)) {
            hub.addFile("o/m", "config.json", hello).addLfsFile("o/m", "model.safetensors", weights);
            RepoSnapshot s = c.snapshot("o/m", "main");
            assertEquals(FakeHub.COMMIT, s.commit());
            assertEquals(List.of(new RemoteFile("config.json", 6, null, "ce013625030ba8dba906f756967f9e9ca394464a"),
                    new RemoteFile("model.safetensors", 3, sha256(weights), null)), s.files());
            assertEquals("/api/models/o/m/revision/main", hub.requests().get(0).path());
        }
    }

    @Test
    void endpointAndTokenComeFromTheEnvironment() {
        try (HubClient c = HubClient.fromEnvironment(Map.of())) {
            assertEquals("https://huggingface.co", c.endpoint());
            assertFalse(c.hasToken());
        }
        try (HubClient c = HubClient.fromEnvironment(Map.of("HF_ENDPOINT", "https://hf-mirror.com/", "HF_TOKEN", " hf_abc\n"))) {
            assertEquals("https://hf-mirror.com", c.endpoint());
            assertTrue(c.hasToken());
        }
        try (HubClient c = HubClient.fromEnvironment(Map.of("HF_ENDPOINT", "", "HF_TOKEN", ""))) {
            assertEquals("https://huggingface.co", c.endpoint());
            assertFalse(c.hasToken());
        }
    }

    @Test
    void endpointMustBeAnHttpUrl() {
        for (String bad : List.of("hf-mirror.com", "ftp://hf-mirror.com", "https://", "https://host/?x=1", "::")) {
            HubException e = assertThrows(HubException.class, () -> new HubClient(bad, null), bad);
            assertTrue(e.getMessage().startsWith("HF_ENDPOINT "), e.getMessage());
        }
        assertEquals("http://intranet:8080/hub", HubClient.normalizeEndpoint(" http://intranet:8080/hub// "));
    }

    @Test
    void revisionsAreOneUrlSegment() {
        assertEquals("refs%2Fpr%2F1", HubClient.encodeSegment("refs/pr/1"));
        assertEquals("v1.0_rc-2~x", HubClient.encodeSegment("v1.0_rc-2~x"));
        assertEquals("a%20b%C3%A9", HubClient.encodeSegment("a bé"));
    }

    @Test
    void originComparison() {
        URI hub = URI.create("https://huggingface.co");
        assertTrue(HubClient.sameOrigin(URI.create("https://HuggingFace.co:443/api/x"), hub));
        assertFalse(HubClient.sameOrigin(URI.create("https://cdn-lfs.hf.co/x"), hub));
        assertFalse(HubClient.sameOrigin(URI.create("http://huggingface.co/x"), hub));
        assertFalse(HubClient.sameOrigin(URI.create("https://huggingface.co:8443/x"), hub));
    }

    @Test
    void refusedConnectionIsRetryableAndNamesTheHost() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (HubClient c = new HubClient("http://127.0.0.1:" + port, null)) {
            HubException e = assertThrows(HubException.class, () -> c.snapshot("Qwen/Qwen3-ASR-0.6B", "main"));
            assertTrue(e.retryable());
            assertTrue(e.getMessage().startsWith("cannot connect to 127.0.0.1:" + port), e.getMessage());
            assertTrue(e.getMessage().contains("HF_ENDPOINT"), e.getMessage());
        }
    }

    @Test
    void openAsksForARangeOnlyWhenResuming() throws IOException {
        try (FakeHub hub = FakeHub.start(); HubClient c = new HubClient(hub.endpoint(), null)) {
            hub.addFile("o/m", "f.bin", "0123456789".getBytes(StandardCharsets.US_ASCII));
            try (HubClient.FileResponse whole = c.open("o/m", "main", "f.bin", 0)) {
                assertEquals(200, whole.status());
                assertEquals(10, whole.contentLength());
                assertEquals("0123456789", new String(whole.body().readAllBytes(), StandardCharsets.US_ASCII));
            }
            try (HubClient.FileResponse tail = c.open("o/m", "main", "f.bin", 4)) {
                assertEquals(206, tail.status());
                assertEquals(4, tail.rangeStart());
                assertEquals(10, tail.rangeTotal());
                assertEquals("456789", new String(tail.body().readAllBytes(), StandardCharsets.US_ASCII));
            }
            try (HubClient.FileResponse past = c.open("o/m", "main", "f.bin", 10)) {
                assertEquals(416, past.status());
            }
            assertNull(hub.requests().get(0).range());
            assertEquals("bytes=4-", hub.requests().get(1).range());
        }
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
