package io.github.qwenasr.server;

import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A multipart/form-data request body, read within the limits: the {@code file} part is copied to a
 * temporary file of its own (deleted by {@link #close}), the other parts are text fields of at most
 * {@link ServerSettings#MAX_FIELD_BYTES} each.
 */
public final class UploadForm implements AutoCloseable {
    /** The servlet request attribute through which Jetty takes a multipart configuration. */
    private static final String MULTIPART_CONFIG = "org.eclipse.jetty.multipartConfig";
    /** Room for the text fields and the multipart framing beyond the file itself. */
    private static final long FRAMING_BYTES = 1L << 20;
    /** Most bytes of all text fields together (Jetty's form limit; each field is checked on its own too). */
    static final int MAX_FORM_BYTES = 8 * ServerSettings.MAX_FIELD_BYTES;
    /** Parts up to this size stay in memory while the body is parsed. */
    private static final int IN_MEMORY_BYTES = 256 * 1024;

    private final Path file;
    private final long fileBytes;
    private final Map<String, List<String>> fields;

    private UploadForm(Path file, long fileBytes, Map<String, List<String>> fields) {
        this.file = file;
        this.fileBytes = fileBytes;
        this.fields = fields;
    }

    /**
     * Reads the body of {@code req}.
     *
     * @param workDir       where parts and the audio copy are spooled
     * @param maxFileBytes  largest accepted file
     * @throws ApiException 400 for a body that is not multipart/form-data, is malformed or lacks a
     *                      non-empty file; 413 for a body, file or field over its limit
     */
    public static UploadForm read(HttpServletRequest req, Path workDir, long maxFileBytes) {
        String type = req.getContentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            throw ApiException.invalid(null, "invalid_content_type", "Content-Type must be multipart/form-data (got "
                    + (type == null ? "none" : shorten(type)) + "); send the audio as the form field 'file'");
        }
        long maxBody = maxFileBytes + FRAMING_BYTES;
        long declared = req.getContentLengthLong();
        if (declared > maxBody) throw bodyTooLarge(maxFileBytes);
        req.setAttribute(MULTIPART_CONFIG,
                new MultipartConfigElement(workDir.toString(), maxFileBytes, maxBody, IN_MEMORY_BYTES));
        List<Part> parts;
        try {
            parts = new ArrayList<>(req.getParts());
        } catch (IOException | ServletException | IllegalStateException e) {
            throw multipartFailure(e, maxFileBytes);
        }
        Path copy = null;
        try {
            Map<String, List<String>> fields = new LinkedHashMap<>();
            long copied = -1;
            for (Part p : parts) {
                String name = p.getName() == null ? "" : p.getName();
                if (name.equals("file")) {
                    if (copy != null) throw ApiException.invalid("file", "Send one file per request");
                    copy = Files.createTempFile(workDir, "upload-", ".audio");
                    try (InputStream in = p.getInputStream()) {
                        copied = Files.copy(in, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                } else if (p.getSubmittedFileName() == null) {
                    if (p.getSize() > ServerSettings.MAX_FIELD_BYTES) {
                        throw ApiException.tooLarge(shorten(name), "field_too_large", "The form field '" + shorten(name)
                                + "' is larger than " + ServerSettings.MAX_FIELD_BYTES + " bytes");
                    }
                    String value;
                    try (InputStream in = p.getInputStream()) {
                        value = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    }
                    fields.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
                }
            }
            if (copy == null) {
                throw ApiException.invalid("file", "Missing required parameter 'file': send the audio as the form field 'file'");
            }
            if (copied == 0) throw ApiException.invalid("file", "empty_file", "The uploaded file is empty");
            UploadForm form = new UploadForm(copy, copied, fields);
            copy = null;
            return form;
        } catch (IOException e) {
            throw ApiException.invalid(null, "Could not read the request body: " + shorten(String.valueOf(e.getMessage())));
        } finally {
            deleteQuietly(copy);
            for (Part p : parts) {
                try {
                    p.delete();
                } catch (IOException | RuntimeException ignored) {
                    // Jetty removes its own spool files at the end of the request anyway.
                }
            }
        }
    }

    /** The first value of a text field, or null. */
    public String field(String name) {
        List<String> v = fields.get(name);
        return v == null || v.isEmpty() ? null : v.getFirst();
    }

    /** Every value of a text field (repeated fields such as timestamp_granularities[]). */
    public List<String> fields(String name) {
        return fields.getOrDefault(name, List.of());
    }

    /** The uploaded audio, copied to a file of its own. */
    public Path file() {
        return file;
    }

    public long fileBytes() {
        return fileBytes;
    }

    @Override
    public void close() {
        deleteQuietly(file);
    }

    private static ApiException bodyTooLarge(long maxFileBytes) {
        return ApiException.tooLarge("file", "file_too_large", "The upload is larger than the server's limit of "
                + (maxFileBytes >> 20) + " MiB (" + maxFileBytes + " bytes)");
    }

    /** Jetty reports limits and malformed bodies through a few exception types; tell them apart by their text. */
    private static ApiException multipartFailure(Exception e, long maxFileBytes) {
        String all = describe(e).toLowerCase(Locale.ROOT);
        if (all.contains("form is larger than")) {
            return ApiException.tooLarge(null, "field_too_large", "The form's text fields are larger than "
                    + MAX_FORM_BYTES + " bytes in all");
        }
        if (all.contains("exceed") || all.contains("too large") || all.contains("larger than")
                || all.contains("max") && all.contains("size")) {
            return bodyTooLarge(maxFileBytes);
        }
        return ApiException.invalid(null, "invalid_multipart", "The body is not valid multipart/form-data");
    }

    private static String describe(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null && b.length() < 2000; t = t.getCause()) {
            b.append(t.getClass().getSimpleName()).append(' ').append(t.getMessage()).append(' ');
        }
        return b.toString();
    }

    private static void deleteQuietly(Path p) {
        if (p == null) return;
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // A leftover spool file is removed with the work directory at shutdown.
        }
    }

    static String shorten(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }
}
