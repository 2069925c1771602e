package io.cohort.ingest.domain.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.cohort.contracts.CanonicalEvents;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SendGrid Event Webhook. Signed event webhook: {@code X-Twilio-Email-Event-Webhook-Signature} is
 * a base64 DER ECDSA (P-256, SHA-256) signature over the {@code X-Twilio-Email-Event-Webhook-Timestamp}
 * value followed by the raw body bytes; the verification key is the base64 DER public key SendGrid
 * shows when signing is enabled. The body is a JSON array of events; custom_args arrive as
 * top-level fields of each event.
 */
public final class SendGridWebhook {

    public static final String SIGNATURE_HEADER = "X-Twilio-Email-Event-Webhook-Signature";
    public static final String TIMESTAMP_HEADER = "X-Twilio-Email-Event-Webhook-Timestamp";
    static final String PROVIDER = "sendgrid";

    private final PublicKey publicKey;

    public SendGridWebhook(String publicKeyBase64) {
        this.publicKey = parseKey(publicKeyBase64);
    }

    static PublicKey parseKey(String key) {
        String base64 = key.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cohort.ingest.webhooks.sendgrid.public-key is not a base64 EC public key", e);
        }
    }

    public void verify(String signature, String timestamp, byte[] body) {
        if (signature == null || timestamp == null) {
            throw new WebhookAuthenticationException("Missing " + SIGNATURE_HEADER + " or " + TIMESTAMP_HEADER);
        }
        try {
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(publicKey);
            verifier.update(timestamp.getBytes(StandardCharsets.UTF_8));
            verifier.update(body);
            if (!verifier.verify(Base64.getDecoder().decode(signature.trim()))) {
                throw new WebhookAuthenticationException("The SendGrid signature does not verify");
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new WebhookAuthenticationException("The SendGrid signature does not verify");
        }
    }

    public static WebhookCalls map(JsonNode body, SubscriberIds ids) {
        if (body == null || !body.isArray()) {
            throw new WebhookPayloadException("/", "must be a JSON array of SendGrid events");
        }
        List<Map<String, Object>> calls = new ArrayList<>();
        int ignored = 0;
        int unattributed = 0;
        for (JsonNode event : body) {
            String type = Json.text(event, "event");
            Map<String, Object> properties = new LinkedHashMap<>();
            String name = switch (type == null ? "" : type) {
                case "delivered" -> CanonicalEvents.EMAIL_DELIVERED;
                case "open" -> {
                    properties.put(WebhookCalls.MACHINE_OPEN, event.path("sg_machine_open").asBoolean(false));
                    yield CanonicalEvents.EMAIL_OPENED;
                }
                case "click" -> {
                    putIfPresent(properties, "link_url", WebhookCalls.linkWithoutQuery(Json.text(event, "url")));
                    yield CanonicalEvents.EMAIL_LINK_CLICKED;
                }
                case "bounce" -> {
                    // "blocked" is SendGrid's temporary (soft) bounce; "bounce" is permanent
                    properties.put(WebhookCalls.BOUNCE_TYPE, "blocked".equals(Json.text(event, "type")) ? "soft" : "hard");
                    putIfPresent(properties, "bounceClassification", Json.text(event, "bounce_classification"));
                    yield CanonicalEvents.EMAIL_BOUNCED;
                }
                case "spamreport" -> CanonicalEvents.EMAIL_MARKED_AS_SPAM;
                case "unsubscribe" -> CanonicalEvents.UNSUBSCRIBED;
                case "group_unsubscribe" -> {
                    putIfPresent(properties, "asmGroupId", Json.text(event, "asm_group_id"));
                    yield CanonicalEvents.UNSUBSCRIBED;
                }
                default -> null;
            };
            if (name == null) {
                ignored++;
                continue;
            }
            String subscriber = ids.resolve(Json.text(event, WebhookCalls.SUBSCRIBER_ID_FIELD), Json.text(event, "email"));
            if (subscriber == null) {
                unattributed++;
                continue;
            }
            String emailId = Json.text(event, "sg_message_id");
            putIfPresent(properties, WebhookCalls.EMAIL_ID, emailId);
            String campaign = Json.text(event, WebhookCalls.CAMPAIGN_ID_FIELD);
            if (campaign == null) {
                campaign = Json.text(event, "singlesend_id");
            }
            putIfPresent(properties, WebhookCalls.CAMPAIGN_ID, campaign);
            String eventId = Json.text(event, "sg_event_id");
            if (eventId == null) {
                eventId = emailId + "/" + type + "/" + Json.text(event, "timestamp") + "/" + subscriber;
            }
            calls.add(WebhookCalls.track(PROVIDER, eventId, name, subscriber, Json.epochSeconds(event, "timestamp"),
                    properties));
        }
        return new WebhookCalls(calls, ignored, unattributed);
    }

    static void putIfPresent(Map<String, Object> properties, String key, Object value) {
        if (value != null) {
            properties.put(key, value);
        }
    }
}
