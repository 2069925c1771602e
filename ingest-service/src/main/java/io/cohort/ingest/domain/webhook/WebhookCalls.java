package io.cohort.ingest.domain.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an ESP webhook delivery turned into: Segment track calls (raw call maps, validated like any
 * other call by {@code EventValidator}), plus how many provider events were ignored (types Cohort
 * does not map, e.g. SendGrid {@code processed}) and how many had no subscriber id (neither a
 * {@code cohort_subscriber_id} nor, without a configured pepper, a pseudonym could be derived).
 */
public record WebhookCalls(List<Map<String, Object>> calls, int ignored, int unattributed) {

    /** Property every webhook event carries: the provider it came from. */
    public static final String PROVIDER = "provider";
    /** The provider's id of the email (Segment email spec: {@code email_id}). */
    public static final String EMAIL_ID = "email_id";
    public static final String CAMPAIGN_ID = "campaign_id";
    /** {@code true} on {@code Email Opened} when the provider flags a machine (e.g. Apple MPP) open. */
    public static final String MACHINE_OPEN = "machineOpen";
    /** {@code hard} or {@code soft} on {@code Email Bounced} (feature-service suppresses on hard). */
    public static final String BOUNCE_TYPE = "bounceType";
    /** The custom argument / metadata field that carries Cohort's subscriber id on a send. */
    public static final String SUBSCRIBER_ID_FIELD = "cohort_subscriber_id";
    /** The custom argument / metadata field that carries the campaign id on a send. */
    public static final String CAMPAIGN_ID_FIELD = "cohort_campaign_id";

    /**
     * One Segment track call for a provider event. The message id is derived from the provider's
     * own event id, so a redelivered webhook is acknowledged as a duplicate and not published twice.
     */
    public static Map<String, Object> track(String provider, String providerEventId, String event, String subscriberId,
            Instant timestamp, Map<String, Object> properties) {
        Map<String, Object> call = new LinkedHashMap<>();
        call.put("type", "track");
        call.put("messageId", messageId(provider, providerEventId));
        call.put("userId", subscriberId);
        call.put("event", event);
        Map<String, Object> props = new LinkedHashMap<>();
        props.put(PROVIDER, provider);
        props.putAll(properties);
        call.put("properties", props);
        if (timestamp != null) {
            call.put("timestamp", timestamp.toString());
        }
        call.put("context", Map.of("library", Map.of("name", "cohort-webhook-" + provider)));
        return call;
    }

    /** {@code wh-<provider>-<sha256(provider event id)>}: stable, bounded, no provider data exposed. */
    static String messageId(String provider, String providerEventId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((provider + "\n" + providerEventId).getBytes(StandardCharsets.UTF_8));
            return "wh-" + provider + "-" + HexFormat.of().formatHex(digest, 0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Drops the query string and fragment of a clicked link: they often carry personal data. */
    static String linkWithoutQuery(String url) {
        if (url == null) {
            return null;
        }
        int cut = url.length();
        int q = url.indexOf('?');
        int h = url.indexOf('#');
        if (q >= 0) {
            cut = Math.min(cut, q);
        }
        if (h >= 0) {
            cut = Math.min(cut, h);
        }
        return url.substring(0, cut);
    }
}
