package io.cohort.contracts;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Headers a dead-lettered record carries on {@code cohort.<service>.dlq.v1}: the topic, partition
 * and offset it was read from and the error that made it unprocessable. The record keeps its
 * original key (the subscriber id) and value bytes, so an operator can inspect and replay it.
 */
public final class DeadLetterHeaders {

    public static final String TOPIC = "cohort-dlq-topic";
    public static final String PARTITION = "cohort-dlq-partition";
    public static final String OFFSET = "cohort-dlq-offset";
    /** The exception's class, then its message, cut to {@link #MAX_ERROR_CHARS}. */
    public static final String ERROR = "cohort-dlq-error";
    /** The service that gave up on the record. */
    public static final String SERVICE = "cohort-dlq-service";
    /** ISO-8601 instant when it was dead-lettered. */
    public static final String FAILED_AT = "cohort-dlq-failed-at";

    public static final int MAX_ERROR_CHARS = 1000;

    private DeadLetterHeaders() {
    }

    /** The headers for a record read at topic/partition/offset that failed with {@code error}, UTF-8 encoded. */
    public static Map<String, byte[]> of(String service, String topic, int partition, long offset, Throwable error,
            java.time.Instant failedAt) {
        Map<String, byte[]> headers = new LinkedHashMap<>();
        headers.put(SERVICE, utf8(service));
        headers.put(TOPIC, utf8(topic));
        headers.put(PARTITION, utf8(Integer.toString(partition)));
        headers.put(OFFSET, utf8(Long.toString(offset)));
        headers.put(ERROR, utf8(describe(error)));
        headers.put(FAILED_AT, utf8(IsoInstants.format(failedAt)));
        return headers;
    }

    /** {@code ClassName: message} of the deepest cause, which names what actually went wrong, cut to size. */
    public static String describe(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = root.getClass().getName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
        if (root != error) {
            text = error.getClass().getName() + " <- " + text;
        }
        // a NUL inside the header would make the message itself unreadable for some tools
        text = text.replace('\u0000', ' ');
        return text.length() <= MAX_ERROR_CHARS ? text : text.substring(0, MAX_ERROR_CHARS);
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
