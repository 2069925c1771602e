package io.cohort.ingest.domain.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The subscriber id of a webhook event. ESP events name the recipient by email address, which is
 * never a Kafka key: the id is the {@code cohort_subscriber_id} the sender attached to the send
 * (SendGrid custom_args, Mailgun user-variables, Postmark Metadata, SES message tags), else a
 * pseudonym {@code em_} + hex(HMAC-SHA256(pepper, lowercase(trimmed email))) when
 * {@code cohort.ingest.webhooks.pseudonym-pepper} is set, else none (the event is not attributed).
 */
public final class SubscriberIds {

    public static final String PSEUDONYM_PREFIX = "em_";

    private final SecretKeySpec pepper;

    public SubscriberIds(Optional<String> pepper) {
        this.pepper = pepper.filter(p -> !p.isBlank())
                .map(p -> new SecretKeySpec(p.getBytes(StandardCharsets.UTF_8), "HmacSHA256")).orElse(null);
    }

    /** The explicit id when present, else the pseudonym of the email, else null. */
    public String resolve(String explicitId, String email) {
        if (explicitId != null && !explicitId.isBlank()) {
            return explicitId.trim();
        }
        if (pepper == null || email == null || email.isBlank()) {
            return null;
        }
        return pseudonym(email);
    }

    public String pseudonym(String email) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(pepper);
            byte[] digest = mac.doFinal(email.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            return PSEUDONYM_PREFIX + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
