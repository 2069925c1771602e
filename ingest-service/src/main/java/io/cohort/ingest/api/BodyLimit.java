package io.cohort.ingest.api;

import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The tracking API's 500 KB body limit (Segment's), counted on the body as read, i.e. after gzip
 * inflation. Enforced here rather than by {@code quarkus.http.limits.max-body-size}: when the HTTP
 * layer finds an inflated body over its limit it answers 413 itself and then fails the read, and the
 * application's own answer to that failure became a second response ("Response has already been
 * written"). Here reading stops with {@link BodyTooLargeException}, which maps to one 413
 * problem+json; the HTTP layer's limit is set above this one as a hard ceiling.
 */
@Provider
public class BodyLimit implements ReaderInterceptor {

    /** 500 KB, as Segment counts it (and as Quarkus reads {@code 500K}). */
    public static final int MAX_BYTES = 500 * 1024;

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        context.setInputStream(new Limited(context.getInputStream(), MAX_BYTES));
        return context.proceed();
    }

    /** Counts what is read and stops once more than {@code limit} bytes came through. */
    static final class Limited extends FilterInputStream {
        private final long limit;
        private long read;

        Limited(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count(skipped);
            return skipped;
        }

        private void count(long n) throws BodyTooLargeException {
            read += n;
            if (read > limit) {
                throw new BodyTooLargeException(limit);
            }
        }
    }

    /** The body went over the limit; nothing of it was used. */
    public static final class BodyTooLargeException extends IOException {
        BodyTooLargeException(long limit) {
            super("request body over " + limit + " bytes", null);
        }
    }
}
