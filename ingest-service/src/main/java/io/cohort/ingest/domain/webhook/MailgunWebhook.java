package io.cohort.ingest.domain.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.cohort.contracts.CanonicalEvents;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Mailgun webhooks (JSON): {@code {"signature": {"timestamp", "token", "signature"}, "event-data": {...}}}.
 * The signature is hex HMAC-SHA256 of timestamp + token (no separator) with the webhook signing key.
 * Mailgun flags machine opens/clicks in {@code client-info.bot} ({@code apple}, {@code gmail},
 * {@code generic}; empty when no bot was detected).
 */
public final class MailgunWebhook {

    static final String PROVIDER = "mailgun";

    private final SecretKeySpec key;

    public MailgunWebhook(String signingKey) {
        this.key = new SecretKeySpec(signingKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    public void verify(JsonNode body) {
        JsonNode signature = body == null ? null : body.get("signature");
        String timestamp = Json.text(signature, "timestamp");
        String token = Json.text(signature, "token");
        String given = Json.text(signature, "signature");
        if (timestamp == null || token == null || given == null) {
            throw new WebhookAuthenticationException("The Mailgun signature (timestamp, token, signature) is missing");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] expected = HexFormat.of().formatHex(mac.doFinal((timestamp + token).getBytes(StandardCharsets.UTF_8)))
                    .getBytes(StandardCharsets.US_ASCII);
            if (!MessageDigest.isEqual(expected, given.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
                throw new WebhookAuthenticationException("The Mailgun signature does not verify");
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static WebhookCalls map(JsonNode body, SubscriberIds ids) {
        JsonNode event = body == null ? null : body.get("event-data");
        if (event == null || !event.isObject()) {
            throw new WebhookPayloadException("/event-data", "is required (a Mailgun JSON webhook)");
        }
        String type = Json.text(event, "event");
        Map<String, Object> properties = new LinkedHashMap<>();
        String bot = Json.text(event.path("client-info"), "bot");
        String name = switch (type == null ? "" : type) {
            case "delivered" -> CanonicalEvents.EMAIL_DELIVERED;
            case "opened" -> {
                properties.put(WebhookCalls.MACHINE_OPEN, bot != null);
                yield CanonicalEvents.EMAIL_OPENED;
            }
            case "clicked" -> {
                SendGridWebhook.putIfPresent(properties, "link_url", WebhookCalls.linkWithoutQuery(Json.text(event, "url")));
                if (bot != null) {
                    properties.put("machineClick", true);
                }
                yield CanonicalEvents.EMAIL_LINK_CLICKED;
            }
            case "failed" -> {
                properties.put(WebhookCalls.BOUNCE_TYPE, "permanent".equals(Json.text(event, "severity")) ? "hard" : "soft");
                SendGridWebhook.putIfPresent(properties, "reasonCode", Json.text(event, "reason"));
                yield CanonicalEvents.EMAIL_BOUNCED;
            }
            case "complained" -> CanonicalEvents.EMAIL_MARKED_AS_SPAM;
            case "unsubscribed" -> CanonicalEvents.UNSUBSCRIBED;
            default -> null;
        };
        if (bot != null) {
            properties.put("bot", bot);
        }
        if (name == null) {
            return new WebhookCalls(List.of(), 1, 0);
        }
        JsonNode variables = event.path("user-variables");
        String subscriber = ids.resolve(Json.text(variables, WebhookCalls.SUBSCRIBER_ID_FIELD), Json.text(event, "recipient"));
        if (subscriber == null) {
            return new WebhookCalls(List.of(), 0, 1);
        }
        SendGridWebhook.putIfPresent(properties, WebhookCalls.EMAIL_ID,
                Json.text(event.path("message").path("headers"), "message-id"));
        SendGridWebhook.putIfPresent(properties, WebhookCalls.CAMPAIGN_ID,
                Json.text(variables, WebhookCalls.CAMPAIGN_ID_FIELD));
        String eventId = Json.text(event, "id");
        if (eventId == null) {
            eventId = Json.text(body.path("signature"), "token");
        }
        return new WebhookCalls(List.of(WebhookCalls.track(PROVIDER, eventId, name, subscriber,
                Json.epochSeconds(event, "timestamp"), properties)), 0, 0);
    }
}
