package io.cohort.segment.domain;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The opaque cursor of the members listing: the last subscriber id of the previous page, behind a
 * version prefix and URL-safe base64 so clients treat it as a token and the format can change.
 */
public final class MembersCursor {

    private static final String PREFIX = "m1:";

    private MembersCursor() {
    }

    public static String encode(String lastSubscriberId) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((PREFIX + lastSubscriberId).getBytes(StandardCharsets.UTF_8));
    }

    /** The subscriber id to continue after, or empty when the token was not made by {@link #encode}. */
    public static Optional<String> decode(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return Optional.empty();
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (text.startsWith(PREFIX) && text.length() > PREFIX.length()) {
                return Optional.of(text.substring(PREFIX.length()));
            }
        } catch (IllegalArgumentException e) {
            // not base64: fall through to "not a cursor"
        }
        return Optional.empty();
    }
}
