package io.github.qwenasr.tools;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for the Hugging Face hub on the loopback address (127.0.0.1, a free port), for
 * download tests that must never reach the network. It answers the two calls a download makes:
 *
 * <ul>
 *   <li>{@code GET /api/models/{owner}/{name}/revision/{rev}?blobs=true}: {@code {"id", "sha",
 *       "siblings": [{"rfilename", "size", "blobId", "lfs": {"sha256", "size", "pointerSize"}}]}},
 *       checksums computed from the files' content (git blob ids for git files, sha256 for LFS);</li>
 *   <li>{@code GET /{owner}/{name}/resolve/{rev}/{file}}: the content, honouring
 *       {@code Range: bytes=N-} with 206 and Content-Range (416 past the end).</li>
 * </ul>
 *
 * Unknown repositories give 404 with {@code X-Error-Code: RepoNotFound}, unknown revisions
 * RevisionNotFound, unknown files EntryNotFound, as the hub does. Revisions "main" and
 * {@link #COMMIT} exist. Per file, a test can make the server misbehave: drop the connection after
 * some bytes, stall, ignore ranges, serve other bytes than the listing describes, answer with an
 * error status, or hold downloads until released. Every request is recorded.
 */
public final class FakeHub implements AutoCloseable {
    /** The commit every repository's "main" points to. */
    public static final String COMMIT = "c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00";

    private static final Pattern API = Pattern.compile("/api/models/([^/]+)/([^/]+)/revision/([^/]+)");
    private static final Pattern RESOLVE = Pattern.compile("/([^/]+)/([^/]+)/resolve/([^/]+)/(.+)");
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, Map<String, HubFile>> repos = new ConcurrentHashMap<>();
    private final List<Request> requests = new ArrayList<>();
    private volatile String requiredToken;
    private volatile String redirectFilesTo;

    /** One request as received. */
    public record Request(String method, String path, String range, String authorization) {
    }

    private FakeHub(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts a hub on 127.0.0.1 and a free port. */
    public static FakeHub start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        ExecutorService executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-hub");
            t.setDaemon(true);
            return t;
        });
        FakeHub hub = new FakeHub(server, executor);
        server.createContext("/", hub::handle);
        server.setExecutor(executor);
        server.start();
        return hub;
    }

    /** The base URL, e.g. http://127.0.0.1:41234 (what HF_ENDPOINT would be set to). */
    public String endpoint() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
    }

    /** Adds a file stored in git itself (listed with its git blob id). */
    public FakeHub addFile(String repoId, String name, byte[] content) {
        files(repoId).put(name, new HubFile(content, false));
        return this;
    }

    /** Adds a file stored with Git LFS (listed with its sha256), as the weights are. */
    public FakeHub addLfsFile(String repoId, String name, byte[] content) {
        files(repoId).put(name, new HubFile(content, true));
        return this;
    }

    /** The next {@code times} downloads of the file send {@code bytes} bytes and then close the connection. */
    public FakeHub dropAfter(String repoId, String name, int bytes, int times) {
        HubFile f = file(repoId, name);
        f.cutAt = bytes;
        f.cutsLeft = times;
        f.stallMillis = 0;
        return this;
    }

    /** The next {@code times} downloads send {@code bytes} bytes and then send nothing for {@code millis}. */
    public FakeHub stallAfter(String repoId, String name, int bytes, int times, long millis) {
        dropAfter(repoId, name, bytes, times);
        file(repoId, name).stallMillis = millis;
        return this;
    }

    /** The file is always answered with 200 and the whole content, whatever range is asked for. */
    public FakeHub ignoreRange(String repoId, String name) {
        file(repoId, name).ignoreRange = true;
        return this;
    }

    /** Downloads get {@code served} although the listing still describes the original content. */
    public FakeHub serveInstead(String repoId, String name, byte[] served) {
        file(repoId, name).served = served.clone();
        return this;
    }

    /** Downloads of the file are answered with this status (e.g. 404, 503) and no body. */
    public FakeHub failWith(String repoId, String name, int status) {
        file(repoId, name).status = status;
        return this;
    }

    /** Downloads of the file send the body in chunks of {@code chunk} bytes, pausing {@code millis} between them. */
    public FakeHub throttle(String repoId, String name, int chunk, long millis) {
        HubFile f = file(repoId, name);
        f.chunk = chunk;
        f.pauseMillis = millis;
        return this;
    }

    /**
     * Downloads of the file wait (before sending anything) until the returned latch is counted down,
     * so a test can act while a download is known to be in progress.
     */
    public CountDownLatch hold(String repoId, String name) {
        CountDownLatch gate = new CountDownLatch(1);
        file(repoId, name).gate = gate;
        return gate;
    }

    /** Every request must carry {@code Authorization: Bearer <token>}, else 401. */
    public FakeHub requireToken(String token) {
        this.requiredToken = token;
        return this;
    }

    /** File downloads are redirected (302) to the same path on {@code cdn}, as the hub sends LFS files to its CDN. */
    public FakeHub redirectFilesTo(FakeHub cdn) {
        this.redirectFilesTo = cdn.endpoint();
        return this;
    }

    /** Every request received so far. */
    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** Content downloads of one file so far. */
    public List<Request> downloadsOf(String name) {
        return requests().stream().filter(r -> r.path().contains("/resolve/") && r.path().endsWith("/" + name)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private Map<String, HubFile> files(String repoId) {
        return repos.computeIfAbsent(repoId, k -> new LinkedHashMap<>());
    }

    private HubFile file(String repoId, String name) {
        HubFile f = files(repoId).get(name);
        if (f == null) throw new IllegalArgumentException("no file " + name + " in " + repoId);
        return f;
    }

    // ---- serving ----

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String rawPath = ex.getRequestURI().getRawPath();
            Headers h = ex.getRequestHeaders();
            String auth = h.getFirst("Authorization");
            synchronized (requests) {
                requests.add(new Request(ex.getRequestMethod(), rawPath, h.getFirst("Range"), auth));
            }
            if (requiredToken != null && !("Bearer " + requiredToken).equals(auth)) {
                send(ex, 401, "Invalid credentials in Authorization header", null);
                return;
            }
            Matcher api = API.matcher(rawPath);
            Matcher resolve = RESOLVE.matcher(rawPath);
            if (api.matches()) {
                listing(ex, decode(api.group(1)) + "/" + decode(api.group(2)), decode(api.group(3)));
            } else if (resolve.matches()) {
                content(ex, decode(resolve.group(1)) + "/" + decode(resolve.group(2)), decode(resolve.group(3)),
                        decode(resolve.group(4)), rawPath);
            } else {
                send(ex, 404, "Not Found", null);
            }
        }
    }

    private void listing(HttpExchange ex, String repoId, String revision) throws IOException {
        Map<String, HubFile> files = repos.get(repoId);
        if (files == null) {
            send(ex, 404, "Repository not found", "RepoNotFound");
            return;
        }
        if (!revision.equals("main") && !revision.equals(COMMIT)) {
            send(ex, 404, "Invalid rev id: " + revision, "RevisionNotFound");
            return;
        }
        List<Object> siblings = new ArrayList<>();
        synchronized (files) {
            for (Map.Entry<String, HubFile> e : files.entrySet()) {
                HubFile f = e.getValue();
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("rfilename", e.getKey());
                entry.put("size", (long) f.listed.length);
                if (f.lfs) {
                    String sha = hex("SHA-256", f.listed);
                    byte[] pointer = ("version https://git-lfs.github.com/spec/v1\noid sha256:" + sha + "\nsize "
                            + f.listed.length + "\n").getBytes(StandardCharsets.UTF_8);
                    entry.put("blobId", gitBlobId(pointer));
                    Map<String, Object> lfs = new LinkedHashMap<>();
                    lfs.put("sha256", sha);
                    lfs.put("size", (long) f.listed.length);
                    lfs.put("pointerSize", (long) pointer.length);
                    entry.put("lfs", lfs);
                } else {
                    entry.put("blobId", gitBlobId(f.listed));
                }
                siblings.add(entry);
            }
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", repoId);
        json.put("sha", COMMIT);
        json.put("siblings", siblings);
        byte[] body = JsonText.compact(json).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(200, body.length);
        ex.getResponseBody().write(body);
    }

    private void content(HttpExchange ex, String repoId, String revision, String name, String rawPath) throws IOException {
        Map<String, HubFile> files = repos.get(repoId);
        if (files == null) {
            send(ex, 404, "Repository not found", "RepoNotFound");
            return;
        }
        if (!revision.equals("main") && !revision.equals(COMMIT)) {
            send(ex, 404, "Invalid rev id: " + revision, "RevisionNotFound");
            return;
        }
        HubFile f;
        synchronized (files) {
            f = files.get(name);
        }
        if (f == null) {
            send(ex, 404, "Entry not found", "EntryNotFound");
            return;
        }
        if (f.status != 0) {
            send(ex, f.status, "Failure " + f.status, null);
            return;
        }
        CountDownLatch gate = f.gate;
        if (gate != null) {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        String cdn = redirectFilesTo;
        if (cdn != null) {
            ex.getResponseHeaders().set("Location", cdn + rawPath);
            ex.sendResponseHeaders(302, -1);
            return;
        }
        byte[] body = f.served;
        long start = 0;
        String range = ex.getRequestHeaders().getFirst("Range");
        Matcher m = range == null ? null : RANGE.matcher(range.strip());
        if (m != null && m.matches() && !f.ignoreRange) {
            start = Long.parseLong(m.group(1));
            if (start >= body.length) {
                ex.getResponseHeaders().set("Content-Range", "bytes */" + body.length);
                ex.sendResponseHeaders(416, -1);
                return;
            }
            ex.getResponseHeaders().set("Content-Range", "bytes " + start + "-" + (body.length - 1) + "/" + body.length);
            ex.sendResponseHeaders(206, body.length - start);
        } else {
            ex.sendResponseHeaders(200, body.length);
        }
        int cut = -1;
        long stall = 0;
        synchronized (f) {
            if (f.cutsLeft > 0) {
                f.cutsLeft--;
                cut = f.cutAt;
                stall = f.stallMillis;
            }
        }
        OutputStream out = ex.getResponseBody();
        // A cut is a file offset: the transfer stops there (at once when the range starts past it).
        int end = cut >= 0 ? (int) Math.min(body.length, Math.max(start, cut)) : body.length;
        writeSlowly(out, body, (int) start, end, f.chunk, f.pauseMillis);
        if (cut >= 0) {
            out.flush();
            // A moment for the client to take in what was sent (else it may drop unread data with the
            // connection), or the whole stall; then closing the exchange short of the announced
            // length makes the server drop the connection.
            sleep(stall > 0 ? stall : 100);
        }
    }

    private static void writeSlowly(OutputStream out, byte[] body, int from, int to, int chunk, long pauseMillis) throws IOException {
        int step = chunk > 0 ? chunk : Math.max(1, to - from);
        for (int pos = from; pos < to; pos += step) {
            out.write(body, pos, Math.min(step, to - pos));
            if (pauseMillis > 0) {
                out.flush();
                sleep(pauseMillis);
            }
        }
    }

    private static void send(HttpExchange ex, int status, String message, String errorCode) throws IOException {
        if (errorCode != null) ex.getResponseHeaders().set("X-Error-Code", errorCode);
        ex.getResponseHeaders().set("X-Error-Message", message);
        byte[] body = JsonText.compact(Map.of("error", message)).getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The git blob id of {@code content}: SHA-1 of "blob <size>\0" followed by the content. */
    public static String gitBlobId(byte[] content) {
        MessageDigest md = digest("SHA-1");
        md.update(("blob " + content.length + "\0").getBytes(StandardCharsets.US_ASCII));
        return HexFormat.of().formatHex(md.digest(content));
    }

    private static String hex(String algorithm, byte[] content) {
        return HexFormat.of().formatHex(digest(algorithm).digest(content));
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One file: what the listing describes and what downloads get, plus its misbehaviour. */
    private static final class HubFile {
        final byte[] listed;
        final boolean lfs;
        volatile byte[] served;
        volatile boolean ignoreRange;
        volatile int status;
        volatile int chunk;
        volatile long pauseMillis;
        volatile CountDownLatch gate;
        int cutAt;
        int cutsLeft;
        long stallMillis;

        HubFile(byte[] content, boolean lfs) {
            this.listed = content.clone();
            this.served = this.listed;
            this.lfs = lfs;
        }
    }
}
