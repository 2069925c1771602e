package io.cohort.ingest.domain.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.cohort.contracts.CanonicalEvents;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Amazon SES events delivered through SNS: the notification's {@code Message} is the SES event
 * ({@code eventType} for configuration-set event publishing, {@code notificationType} for identity
 * notifications). The subscriber id comes from the message tag {@code cohort_subscriber_id}
 * (or the {@code X-Cohort-Subscriber-Id} header when headers are included); without it, each
 * recipient gets its pseudonym. SES does not flag machine opens.
 */
public final class SesWebhook {

    static final String PROVIDER = "ses";
    public static final String SUBSCRIBER_HEADER = "X-Cohort-Subscriber-Id";

    private SesWebhook() {
    }

    public static WebhookCalls map(String snsMessageId, JsonNode ses, SubscriberIds ids) {
        if (ses == null || !ses.isObject()) {
            throw new WebhookPayloadException("/Message", "must be an SES event (JSON object)");
        }
        String type = Json.text(ses, "eventType");
        if (type == null) {
            type = Json.text(ses, "notificationType");
        }
        JsonNode mail = ses.path("mail");
        Map<String, Object> properties = new LinkedHashMap<>();
        List<String> recipients = new ArrayList<>();
        Instant at;
        String name;
        switch (type == null ? "" : type) {
            case "Delivery" -> {
                name = CanonicalEvents.EMAIL_DELIVERED;
                at = Json.iso(ses.path("delivery"), "timestamp");
                ses.path("delivery").path("recipients").forEach(r -> recipients.add(r.asText()));
            }
            case "Open" -> {
                name = CanonicalEvents.EMAIL_OPENED;
                at = Json.iso(ses.path("open"), "timestamp");
                properties.put(WebhookCalls.MACHINE_OPEN, false);
            }
            case "Click" -> {
                name = CanonicalEvents.EMAIL_LINK_CLICKED;
                at = Json.iso(ses.path("click"), "timestamp");
                SendGridWebhook.putIfPresent(properties, "link_url",
                        WebhookCalls.linkWithoutQuery(Json.text(ses.path("click"), "link")));
            }
            case "Bounce" -> {
                name = CanonicalEvents.EMAIL_BOUNCED;
                JsonNode bounce = ses.path("bounce");
                at = Json.iso(bounce, "timestamp");
                properties.put(WebhookCalls.BOUNCE_TYPE, "Permanent".equals(Json.text(bounce, "bounceType")) ? "hard" : "soft");
                SendGridWebhook.putIfPresent(properties, "bounceSubType", Json.text(bounce, "bounceSubType"));
                bounce.path("bouncedRecipients").forEach(r -> recipients.add(Json.text(r, "emailAddress")));
            }
            case "Complaint" -> {
                name = CanonicalEvents.EMAIL_MARKED_AS_SPAM;
                JsonNode complaint = ses.path("complaint");
                at = Json.iso(complaint, "timestamp");
                SendGridWebhook.putIfPresent(properties, "complaintFeedbackType",
                        Json.text(complaint, "complaintFeedbackType"));
                complaint.path("complainedRecipients").forEach(r -> recipients.add(Json.text(r, "emailAddress")));
            }
            case "Subscription" -> {
                JsonNode subscription = ses.path("subscription");
                name = subscription.path("newTopicPreferences").path("unsubscribeAll").asBoolean(false)
                        ? CanonicalEvents.UNSUBSCRIBED : null;
                at = Json.iso(subscription, "timestamp");
            }
            default -> {
                name = null;
                at = null;
            }
        }
        if (name == null) {
            return new WebhookCalls(List.of(), 1, 0);
        }
        if (at == null) {
            at = Json.iso(mail, "timestamp");
        }
        if (recipients.isEmpty()) {
            mail.path("destination").forEach(r -> recipients.add(r.asText()));
        }
        SendGridWebhook.putIfPresent(properties, WebhookCalls.EMAIL_ID, Json.text(mail, "messageId"));
        SendGridWebhook.putIfPresent(properties, WebhookCalls.CAMPAIGN_ID, tag(mail, WebhookCalls.CAMPAIGN_ID_FIELD));
        String explicit = tag(mail, WebhookCalls.SUBSCRIBER_ID_FIELD);
        if (explicit == null) {
            explicit = header(mail, SUBSCRIBER_HEADER);
        }
        List<Map<String, Object>> calls = new ArrayList<>();
        int unattributed = 0;
        if (explicit != null) {
            calls.add(WebhookCalls.track(PROVIDER, snsMessageId, name, ids.resolve(explicit, null), at, properties));
        } else {
            for (int i = 0; i < recipients.size(); i++) {
                String subscriber = ids.resolve(null, recipients.get(i));
                if (subscriber == null) {
                    unattributed++;
                    continue;
                }
                calls.add(WebhookCalls.track(PROVIDER, snsMessageId + "/" + i, name, subscriber, at, properties));
            }
            if (recipients.isEmpty()) {
                unattributed++;
            }
        }
        return new WebhookCalls(calls, 0, unattributed);
    }

    private static String tag(JsonNode mail, String name) {
        JsonNode values = mail.path("tags").path(name);
        if (values.isArray() && !values.isEmpty() && values.get(0).isTextual() && !values.get(0).asText().isBlank()) {
            return values.get(0).asText();
        }
        return null;
    }

    private static String header(JsonNode mail, String name) {
        for (JsonNode header : mail.path("headers")) {
            if (name.equalsIgnoreCase(Json.text(header, "name"))) {
                return Json.text(header, "value");
            }
        }
        return null;
    }
}
