package dev.ghostnet.serve;

import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import jakarta.servlet.ServletException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

/** Reads request bodies within a size limit: larger ones are refused (413) before they are buffered. */
final class Bodies {
    /** The multipart field the page and the documentation use; any single file field is accepted. */
    static final String IMAGE_FIELD = "image";
    /** Room for a multipart body's boundaries and headers around an image of the limit's size. */
    static final long MULTIPART_OVERHEAD = 64 * 1024L;

    private Bodies() {}

    /** An encoded image: the raw body, or the file of a {@code multipart/form-data} body. */
    static byte[] image(Context ctx, int limit) throws ApiException {
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
        if (!type.startsWith("multipart/form-data")) {
            return bounded(ctx, limit, "image");
        }
        checkDeclaredLength(ctx, limit + MULTIPART_OVERHEAD, "multipart body");
        List<UploadedFile> files;
        try {
            files = ctx.uploadedFiles();
        } catch (RuntimeException e) {
            throw multipartFailure(e, limit);
        }
        UploadedFile file = ctx.uploadedFile(IMAGE_FIELD);
        if (file == null) {
            if (files.size() != 1) {
                throw ApiException.badRequest("the multipart body has " + files.size() + " files: send one, in the field '"
                        + IMAGE_FIELD + "'");
            }
            file = files.getFirst();
        }
        if (file.size() > limit) {
            throw tooLarge("image", file.size(), limit);
        }
        try (InputStream in = file.content()) {
            return nonEmpty(in.readNBytes(limit), "image");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads and drops what is left of the body, at most {@code limit} bytes, before an error is answered (a
     * body already read leaves nothing). Answered with the body unread, the server closes the connection while
     * the client may still be sending, and such a client sees no answer at all ("header parser received no
     * bytes" in two tests). A body declared larger than the limit is left to that close; a read error leaves
     * the error to be answered.
     */
    static void discard(Context ctx, long limit) {
        if (ctx.req().getContentLengthLong() > limit) {
            return;
        }
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] buffer = new byte[8192];
            for (long read = 0; read <= limit; ) {
                int n = in.read(buffer);
                if (n < 0) {
                    return;
                }
                read += n;
            }
        } catch (IOException e) {
            // The client went away or broke the body: nothing left to drain, and the refusal is still answered.
        }
    }

    /** The raw body, at most {@code limit} bytes. */
    static byte[] bounded(Context ctx, int limit, String what) throws ApiException {
        checkDeclaredLength(ctx, limit, what);
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] body = in.readNBytes(limit + 1);
            if (body.length > limit) {
                throw tooLarge(what, -1, limit);
            }
            return nonEmpty(body, what);
        } catch (IOException e) {
            throw ApiException.badRequest("the request body could not be read: " + e.getMessage());
        }
    }

    private static void checkDeclaredLength(Context ctx, long limit, String what) throws ApiException {
        long declared = ctx.req().getContentLengthLong();
        if (declared > limit) {
            throw tooLarge(what, declared, limit);
        }
    }

    private static byte[] nonEmpty(byte[] body, String what) throws ApiException {
        if (body.length == 0) {
            throw ApiException.badRequest("the request has no " + what + ": the body is empty");
        }
        return body;
    }

    private static ApiException tooLarge(String what, long size, long limit) {
        return ApiException.tooLarge("the " + what + (size >= 0 ? " of " + size + " bytes" : "")
                + " is larger than the limit of " + limit + " bytes");
    }

    /** Jetty reports an oversized or malformed multipart body as an exception whose cause says which. */
    private static ApiException multipartFailure(RuntimeException e, int limit) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (message.contains("max") && (message.contains("size") || message.contains("length"))) {
                return tooLarge("multipart image", -1, limit);
            }
            if (t instanceof ServletException || t instanceof IOException) {
                return ApiException.badRequest("malformed multipart body: " + t.getMessage());
            }
        }
        return ApiException.badRequest("malformed multipart body: " + e.getMessage());
    }
}
