package io.github.qwenasr.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The optional API key. Keys are compared as SHA-256 digests with {@link MessageDigest#isEqual}, so
 * the time taken does not depend on how much of a guess matches, nor on its length.
 */
public final class ApiKeyGuard {
    private final byte[] expected;

    /** @param key the key clients must send, or null for an open server */
    public ApiKeyGuard(String key) {
        this.expected = key == null ? null : digest(key);
    }

    public boolean enabled() {
        return expected != null;
    }

    /** Whether a presented key (null when none was sent) is the configured one; always true without a key. */
    public boolean accepts(String presented) {
        if (expected == null) return true;
        if (presented == null) return false;
        return MessageDigest.isEqual(expected, digest(presented));
    }

    /**
     * Checks an Authorization header.
     *
     * @throws ApiException 401 when a key is configured and the header lacks it or holds another
     */
    public void check(String authorization) {
        if (expected == null) return;
        String key = bearer(authorization);
        if (key == null) {
            throw ApiException.unauthorized("Missing API key: send the header 'Authorization: Bearer KEY'");
        }
        if (!accepts(key)) throw ApiException.unauthorized("Incorrect API key provided");
    }

    /** The key of an "Authorization: Bearer KEY" header, or null. */
    public static String bearer(String authorization) {
        if (authorization == null) return null;
        String h = authorization.strip();
        if (h.length() < 7 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) return null;
        String key = h.substring(7).strip();
        return key.isEmpty() ? null : key;
    }

    private static byte[] digest(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
