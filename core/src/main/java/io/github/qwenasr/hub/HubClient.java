package io.github.qwenasr.hub;

import io.github.qwenasr.json.Json;
import io.github.qwenasr.json.JsonException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * The two Hugging Face hub calls a download needs, one attempt each (retrying is the caller's
 * business; {@link HubException#retryable()} says when it is worth it).
 *
 * <ul>
 *   <li>File list: {@code GET {endpoint}/api/models/{repo}/revision/{revision}?blobs=true}, the call
 *       behind {@code HfApi.model_info(repo, revision, files_metadata=True)} of the official
 *       {@code huggingface_hub} client (Hub API reference: https://huggingface.co/docs/hub/api, whose
 *       OpenAPI description is at https://huggingface.co/.well-known/openapi.json). The answer is a JSON
 *       object whose {@code "sha"} is the commit the revision points to and whose {@code "siblings"}
 *       lists every file as {@code {"rfilename", "size", "blobId", "lfs": {"sha256", "size",
 *       "pointerSize"}}}; {@code lfs} is present only for files stored with Git LFS (the weights), and
 *       {@code blobId} is the git blob id of what git stores (for LFS files, of the pointer).</li>
 *   <li>File content: {@code GET {endpoint}/{repo}/resolve/{revision}/{path}} (what
 *       {@code huggingface_hub.hf_hub_url} builds), which for LFS files redirects to a CDN on another
 *       host; ranges ({@code Range: bytes=N-}) are honoured there with 206.</li>
 * </ul>
 *
 * <p>The base URL is {@code $HF_ENDPOINT} when set (the variable the official tools read, e.g. a
 * mirror such as https://hf-mirror.com or a private hub), else https://huggingface.co. The token in
 * {@code $HF_TOKEN}, when set, is sent as {@code Authorization: Bearer} to the endpoint's host only:
 * redirects are followed here, not by the HTTP client, so the token never travels to the CDN (signed
 * CDN URLs reject it anyway). The hub's {@code X-Error-Code} header (RepoNotFound,
 * RevisionNotFound, EntryNotFound, GatedRepo) sharpens the error messages when present.
 */
public final class HubClient implements AutoCloseable {
    public static final String DEFAULT_ENDPOINT = "https://huggingface.co";
    public static final String ENDPOINT_ENV = "HF_ENDPOINT";
    public static final String TOKEN_ENV = "HF_TOKEN";

    private static final int MAX_REDIRECTS = 10;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration HEADERS_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)", Pattern.CASE_INSENSITIVE);
    private static final HexFormat HEX = HexFormat.of();

    private final String endpoint;
    private final URI endpointUri;
    private final String token;
    private final HttpClient http;

    /**
     * @param endpoint the hub's base URL (http or https, optionally with a path prefix)
     * @param token    access token sent to the endpoint's host, or null
     * @throws HubException when the endpoint is not an http(s) URL
     */
    public HubClient(String endpoint, String token) {
        this.endpoint = normalizeEndpoint(endpoint);
        this.endpointUri = URI.create(this.endpoint);
        this.token = token == null || token.isBlank() ? null : token.strip();
        // HTTP/1.1: ranges and connection drops behave the same everywhere (hub, CDN, mirrors, tests).
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(CONNECT_TIMEOUT)
                .proxy(ProxySelector.getDefault())
                .build();
    }

    /** A client configured by {@code HF_ENDPOINT} and {@code HF_TOKEN} from {@code env}. */
    public static HubClient fromEnvironment(Map<String, String> env) {
        String ep = env.get(ENDPOINT_ENV);
        return new HubClient(ep == null || ep.isBlank() ? DEFAULT_ENDPOINT : ep, env.get(TOKEN_ENV));
    }

    /** The base URL in use, without a trailing slash. */
    public String endpoint() {
        return endpoint;
    }

    public boolean hasToken() {
        return token != null;
    }

    /** Lists the files of {@code repoId} at {@code revision} with their sizes and checksums. */
    public RepoSnapshot snapshot(String repoId, String revision) {
        String url = endpoint + "/api/models/" + encodeRepo(repoId) + "/revision/" + encodeSegment(revision) + "?blobs=true";
        HttpResponse<InputStream> response = send(url, null, "application/json");
        String where = repoId + " at revision " + revision;
        try (InputStream in = response.body()) {
            int status = response.statusCode();
            if (status != 200) throw failure(status, response.headers(), repoId, revision, null);
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return parseSnapshot(body, repoId, revision);
        } catch (IOException e) {
            throw new HubException("connection lost while reading the file list of " + where + " from " + host(response.uri())
                    + ": " + describe(e), true, e);
        }
    }

    /**
     * Opens the content of {@code path} at {@code revision}, from byte {@code offset} on when it is
     * positive. Returns 200 (whole file), 206 (a range) and 416 (range not satisfiable) to the
     * caller; every other status becomes a {@link HubException}.
     */
    public FileResponse open(String repoId, String revision, String path, long offset) {
        String url = endpoint + "/" + encodeRepo(repoId) + "/resolve/" + encodeSegment(revision) + "/" + encodePath(path);
        HttpResponse<InputStream> response = send(url, offset > 0 ? "bytes=" + offset + "-" : null, null);
        int status = response.statusCode();
        if (status == 200 || status == 206 || status == 416) {
            HttpHeaders h = response.headers();
            long length = h.firstValueAsLong("Content-Length").orElse(-1);
            long start = -1;
            long total = -1;
            if (status == 206) {
                Matcher m = CONTENT_RANGE.matcher(h.firstValue("Content-Range").orElse(""));
                if (m.find()) {
                    start = Long.parseLong(m.group(1));
                    total = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
                }
            }
            return new FileResponse(status, length, start, total, response.body(), host(response.uri()));
        }
        closeQuietly(response.body());
        throw failure(status, response.headers(), repoId, revision, path);
    }

    @Override
    public void close() {
        http.close();
    }

    /**
     * An open file download.
     *
     * @param status        200, 206 or 416
     * @param contentLength the body's length, or -1 when not given
     * @param rangeStart    for 206, the first byte's offset from Content-Range; else -1
     * @param rangeTotal    for 206, the file's full size from Content-Range; -1 when absent or "*"
     * @param body          the body; close it when done
     * @param host          the host that finally served it (after redirects), for messages
     */
    public record FileResponse(int status, long contentLength, long rangeStart, long rangeTotal, InputStream body,
                               String host) implements Closeable {
        @Override
        public void close() {
            closeQuietly(body);
        }
    }

    // ---- HTTP ----

    private HttpResponse<InputStream> send(String url, String range, String accept) {
        URI uri = URI.create(url);
        for (int hop = 0; ; hop++) {
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).GET().timeout(HEADERS_TIMEOUT)
                    .header("User-Agent", userAgent())
                    .header("Accept-Encoding", "identity");
            if (accept != null) b.header("Accept", accept);
            if (range != null) b.header("Range", range);
            if (token != null && sameOrigin(uri, endpointUri)) b.header("Authorization", "Bearer " + token);
            HttpResponse<InputStream> response;
            try {
                response = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                throw networkFailure(uri, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HubException("interrupted while talking to " + host(uri), false, e);
            }
            int status = response.statusCode();
            if (!isRedirect(status)) return response;
            closeQuietly(response.body());
            String location = response.headers().firstValue("Location").orElse(null);
            if (location == null) {
                throw new HubException(host(uri) + " answered " + status + " (redirect) without a Location header for " + uri, false);
            }
            if (hop >= MAX_REDIRECTS) throw new HubException("too many redirects from " + url, false);
            uri = resolveLocation(uri, location);
        }
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static URI resolveLocation(URI base, String location) {
        try {
            URI target = base.resolve(new URI(location.strip()));
            String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new HubException(host(base) + " redirected to an unsupported address: " + location, false);
            }
            return target;
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new HubException(host(base) + " redirected to an invalid address: " + location, false);
        }
    }

    /** Same scheme, host and port: the only place the token may go. */
    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost() != null
                && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    private static int port(URI u) {
        if (u.getPort() >= 0) return u.getPort();
        return u.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    // ---- answers ----

    RepoSnapshot parseSnapshot(String body, String repoId, String revision) {
        try {
            Map<String, Object> root = Json.parseObject(body);
            if (!(root.get("siblings") instanceof List<?> siblings)) {
                throw unexpectedAnswer(repoId, "no \"siblings\" file list");
            }
            String commit = Json.getString(root, "sha", null);
            List<RemoteFile> files = new ArrayList<>();
            for (Object o : siblings) {
                if (!(o instanceof Map<?, ?>)) throw unexpectedAnswer(repoId, "a file entry is not an object");
                @SuppressWarnings("unchecked")
                Map<String, Object> s = (Map<String, Object>) o;
                String name = Json.getString(s, "rfilename", null);
                if (name == null) throw unexpectedAnswer(repoId, "a file entry has no \"rfilename\"");
                Map<String, Object> lfs = Json.object(s, "lfs");
                long size = Json.getLong(s, "size", -1);
                String sha256 = null;
                String blobId = null;
                if (lfs != null) {
                    size = Json.getLong(lfs, "size", size);
                    String oid = Json.getString(lfs, "sha256", Json.getString(lfs, "oid", null));
                    sha256 = hexOrNull(oid == null ? null : oid.replaceFirst("^sha256:", ""), 64);
                } else {
                    blobId = hexOrNull(Json.getString(s, "blobId", null), 40);
                }
                files.add(new RemoteFile(name, size, sha256, blobId));
            }
            return new RepoSnapshot(repoId, revision, commit == null || commit.isBlank() ? null : commit, List.copyOf(files));
        } catch (JsonException e) {
            throw unexpectedAnswer(repoId, "not the JSON of the model-info API (" + e.getMessage() + ")");
        }
    }

    private static String hexOrNull(String value, int length) {
        if (value == null) return null;
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (v.length() != length) return null;
        try {
            HEX.parseHex(v);
            return v;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private HubException unexpectedAnswer(String repoId, String what) {
        return new HubException("unexpected answer from " + endpoint + " for " + repoId + ": " + what
                + " (is " + ENDPOINT_ENV + " a Hugging Face hub or mirror?)", false);
    }

    /** The one-line error for an HTTP status; {@code path} is null for the file list. */
    private HubException failure(int status, HttpHeaders headers, String repoId, String revision, String path) {
        String code = headers.firstValue("X-Error-Code").orElse("");
        String server = " (HTTP " + status + " from " + endpoint + ")";
        String subject = path == null ? repoId : path + " of " + repoId;
        switch (status) {
            case 401 -> {
                if (code.equals("RepoNotFound")) return repoNotFound(repoId, server);
                return new HubException(token == null
                        ? endpoint + " asks for authentication to download " + subject + ": set " + TOKEN_ENV
                                + " to a Hugging Face access token" + server
                        : endpoint + " refused the token in " + TOKEN_ENV + " for " + subject
                                + ": check that it is valid and not expired" + server, false);
            }
            case 403 -> {
                if (code.equals("GatedRepo")) {
                    return new HubException(repoId + " is gated: accept its conditions on its page on the hub, then set "
                            + TOKEN_ENV + " to an access token of that account" + server, false);
                }
                return new HubException("access to " + subject + " is forbidden"
                        + (token == null ? ": set " + TOKEN_ENV + " to an access token that may read it"
                                : ": the token in " + TOKEN_ENV + " may not read it") + server, false);
            }
            case 404, 410 -> {
                if (code.equals("RevisionNotFound")) {
                    return new HubException("revision '" + revision + "' not found in " + repoId + server, false);
                }
                if (code.equals("RepoNotFound") || path == null) return repoNotFound(repoId, server);
                return new HubException("file " + path + " not found in " + repoId + " at revision " + revision + server, false);
            }
            case 408, 429, 500, 502, 503, 504 -> {
                return new HubException(endpoint + " is busy or failing (HTTP " + status + ") while serving " + subject, true);
            }
            default -> {
                return new HubException("unexpected HTTP " + status + " while downloading " + subject + " from " + endpoint,
                        status >= 500);
            }
        }
    }

    private HubException repoNotFound(String repoId, String server) {
        return new HubException("repository " + repoId + " not found" + (token == null ? " (if it is private, set " + TOKEN_ENV + ")" : "")
                + server, false);
    }

    private static HubException networkFailure(URI uri, IOException e) {
        String host = host(uri);
        if (hasCause(e, UnresolvedAddressException.class) || hasCause(e, UnknownHostException.class)) {
            return new HubException("cannot resolve the host name " + uri.getHost() + ": check the network connection or "
                    + ENDPOINT_ENV, false, e);
        }
        if (e instanceof HttpConnectTimeoutException) {
            return new HubException("connecting to " + host + " timed out: check the network connection or " + ENDPOINT_ENV, true, e);
        }
        if (e instanceof HttpTimeoutException) {
            return new HubException(host + " did not answer within " + HEADERS_TIMEOUT.toSeconds() + " s", true, e);
        }
        if (e instanceof ConnectException) {
            return new HubException("cannot connect to " + host + " (" + describe(e) + "): check the network connection or "
                    + ENDPOINT_ENV, true, e);
        }
        if (e instanceof SSLException) {
            return new HubException("secure connection to " + host + " failed: " + describe(e), false, e);
        }
        return new HubException("network error talking to " + host + ": " + describe(e), true, e);
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) return true;
        }
        return false;
    }

    /** An exception's message, or its class name when it has none (as many network errors do). */
    static String describe(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            String m = c.getMessage();
            if (m != null && !m.isBlank()) return m.strip().replaceAll("\\s+", " ");
        }
        return e.getClass().getSimpleName();
    }

    static String host(URI uri) {
        return uri.getPort() >= 0 ? uri.getHost() + ":" + uri.getPort() : uri.getHost();
    }

    private static String userAgent() {
        String v = HubClient.class.getPackage().getImplementationVersion();
        return "qwen-asr-java/" + (v == null ? "dev" : v) + " (Java " + Runtime.version().feature() + ")";
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // Nothing useful to do: the connection is being abandoned anyway.
        }
    }

    // ---- URLs ----

    static String normalizeEndpoint(String raw) {
        String e = raw.strip();
        while (e.endsWith("/")) e = e.substring(0, e.length() - 1);
        URI u;
        try {
            u = new URI(e);
        } catch (URISyntaxException ex) {
            throw new HubException(ENDPOINT_ENV + " is not a valid URL: '" + raw + "'", false);
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null || u.getQuery() != null) {
            throw new HubException(ENDPOINT_ENV + " must be an http(s) base URL such as " + DEFAULT_ENDPOINT + ", got '" + raw + "'", false);
        }
        return e;
    }

    private static String encodeRepo(String repoId) {
        String[] parts = repoId.split("/", -1);
        if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new HubException("invalid repository id '" + repoId + "': expected owner/name", false);
        }
        return encodeSegment(parts[0]) + "/" + encodeSegment(parts[1]);
    }

    private static String encodePath(String path) {
        StringBuilder sb = new StringBuilder();
        for (String part : path.split("/", -1)) {
            if (!sb.isEmpty()) sb.append('/');
            sb.append(encodeSegment(part));
        }
        return sb.toString();
    }

    /** Percent-encodes all but RFC 3986 unreserved characters; a '/' in a revision becomes %2F, as the hub wants. */
    static String encodeSegment(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return sb.toString();
    }
}
