package io.cohort.ingest.domain.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.cohort.contracts.CanonicalEvents;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Postmark webhooks: one JSON object per delivery with a {@code RecordType}. Postmark does not sign
 * webhooks; it sends the HTTP Basic credentials configured in the webhook URL, which are checked
 * here (constant time). Postmark does not flag Apple MPP opens, so its opens are never marked as
 * machine opens.
 */
public final class PostmarkWebhook {

    static final String PROVIDER = "postmark";
    /** Postmark bounce types that are permanent (HardBounce is TypeCode 1); every other type counts as soft. */
    static final Set<String> HARD_BOUNCES = Set.of("HardBounce", "BadEmailAddress", "ManuallyDeactivated");

    private final byte[] expected;

    public PostmarkWebhook(String username, String password) {
        this.expected = ("Basic " + Base64.getEncoder().encodeToString(
                (username + ":" + password).getBytes(StandardCharsets.UTF_8))).getBytes(StandardCharsets.UTF_8);
    }

    public void verify(String authorization) {
        if (authorization == null
                || !MessageDigest.isEqual(expected, authorization.trim().getBytes(StandardCharsets.UTF_8))) {
            throw new WebhookAuthenticationException("The Postmark webhook credentials (HTTP Basic) are wrong or missing");
        }
    }

    public static WebhookCalls map(JsonNode event, SubscriberIds ids) {
        if (event == null || !event.isObject() || Json.text(event, "RecordType") == null) {
            throw new WebhookPayloadException("/RecordType", "is required (a Postmark webhook)");
        }
        String type = Json.text(event, "RecordType");
        Map<String, Object> properties = new LinkedHashMap<>();
        String recipient = Json.text(event, "Recipient");
        Instant at;
        String name;
        switch (type) {
            case "Delivery" -> {
                name = CanonicalEvents.EMAIL_DELIVERED;
                at = Json.iso(event, "DeliveredAt");
            }
            case "Open" -> {
                name = CanonicalEvents.EMAIL_OPENED;
                at = Json.iso(event, "ReceivedAt");
                properties.put(WebhookCalls.MACHINE_OPEN, false);
                properties.put("firstOpen", event.path("FirstOpen").asBoolean(false));
            }
            case "Click" -> {
                name = CanonicalEvents.EMAIL_LINK_CLICKED;
                at = Json.iso(event, "ReceivedAt");
                SendGridWebhook.putIfPresent(properties, "link_url",
                        WebhookCalls.linkWithoutQuery(Json.text(event, "OriginalLink")));
            }
            case "Bounce" -> {
                name = CanonicalEvents.EMAIL_BOUNCED;
                at = Json.iso(event, "BouncedAt");
                recipient = Json.text(event, "Email");
                String bounceType = Json.text(event, "Type");
                properties.put(WebhookCalls.BOUNCE_TYPE, bounceType != null && HARD_BOUNCES.contains(bounceType) ? "hard" : "soft");
                SendGridWebhook.putIfPresent(properties, "bounceSubType", bounceType);
            }
            case "SpamComplaint" -> {
                name = CanonicalEvents.EMAIL_MARKED_AS_SPAM;
                at = Json.iso(event, "BouncedAt");
                recipient = Json.text(event, "Email");
            }
            case "SubscriptionChange" -> {
                // SuppressSending false is a reactivation: not an unsubscribe
                name = event.path("SuppressSending").asBoolean(false) ? CanonicalEvents.UNSUBSCRIBED : null;
                at = Json.iso(event, "ChangedAt");
            }
            default -> {
                name = null;
                at = null;
            }
        }
        if (name == null) {
            return new WebhookCalls(List.of(), 1, 0);
        }
        JsonNode metadata = event.path("Metadata");
        String subscriber = ids.resolve(Json.text(metadata, WebhookCalls.SUBSCRIBER_ID_FIELD), recipient);
        if (subscriber == null) {
            return new WebhookCalls(List.of(), 0, 1);
        }
        String messageId = Json.text(event, "MessageID");
        SendGridWebhook.putIfPresent(properties, WebhookCalls.EMAIL_ID, messageId);
        SendGridWebhook.putIfPresent(properties, WebhookCalls.CAMPAIGN_ID, Json.text(metadata, WebhookCalls.CAMPAIGN_ID_FIELD));
        SendGridWebhook.putIfPresent(properties, "tag", Json.text(event, "Tag"));
        String id = Json.text(event, "ID");
        String eventId = id != null && (type.equals("Bounce") || type.equals("SpamComplaint"))
                ? type + "/" + id
                : type + "/" + messageId + "/" + at + "/" + properties.getOrDefault("link_url", "");
        return new WebhookCalls(List.of(WebhookCalls.track(PROVIDER, eventId, name, subscriber, at, properties)), 0, 0);
    }
}
