package io.cohort.ingest.domain.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Mailgun's legacy webhooks: {@code application/x-www-form-urlencoded} posts with {@code timestamp},
 * {@code token} and {@code signature} fields beside the event's own ({@code event},
 * {@code recipient}, {@code message-headers} as a JSON list of {@code [name, value]} pairs,
 * {@code Message-Id}/{@code message-id}, {@code url}, {@code reason}..., and the send's custom
 * variables as top-level fields). Turned into the shape of the current JSON webhook so one
 * signature check and one mapping serve both: {@code bounced} and {@code dropped} become a
 * permanent {@code failed}.
 */
public final class MailgunLegacyForm {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();

    private MailgunLegacyForm() {
    }

    /** Decodes a form-encoded body (UTF-8); the first value of a repeated field wins. */
    public static Map<String, String> parse(byte[] body) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (body == null || body.length == 0) {
            return fields;
        }
        for (String pair : new String(body, StandardCharsets.US_ASCII).split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            fields.putIfAbsent(name, value);
        }
        return fields;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new WebhookPayloadException("/", "is not a well-formed form-encoded body");
        }
    }

    /** The form as a Mailgun JSON webhook body ({@code signature} and {@code event-data}). */
    public static JsonNode toJsonWebhook(Map<String, String> form) {
        ObjectNode body = NODES.objectNode();
        ObjectNode signature = body.putObject("signature");
        putIfPresent(signature, "timestamp", form.get("timestamp"));
        putIfPresent(signature, "token", form.get("token"));
        putIfPresent(signature, "signature", form.get("signature"));

        ObjectNode event = body.putObject("event-data");
        String type = form.get("event");
        if ("bounced".equals(type) || "dropped".equals(type)) {
            event.put("event", "failed");
            event.put("severity", "permanent");
            putIfPresent(event, "reason", "bounced".equals(type) ? "bounce" : form.get("reason"));
        } else {
            putIfPresent(event, "event", type);
        }
        putIfPresent(event, "recipient", form.get("recipient"));
        putIfPresent(event, "timestamp", form.get("timestamp"));
        putIfPresent(event, "url", form.get("url"));
        ObjectNode variables = event.putObject("user-variables");
        putIfPresent(variables, WebhookCalls.SUBSCRIBER_ID_FIELD, form.get(WebhookCalls.SUBSCRIBER_ID_FIELD));
        putIfPresent(variables, WebhookCalls.CAMPAIGN_ID_FIELD, form.get(WebhookCalls.CAMPAIGN_ID_FIELD));
        String messageId = messageId(form);
        if (messageId != null) {
            event.putObject("message").putObject("headers").put("message-id", messageId);
        }
        return body;
    }

    /** {@code Message-Id} or {@code message-id}, else the header in {@code message-headers}; without angle brackets. */
    static String messageId(Map<String, String> form) {
        String id = form.get("Message-Id");
        if (id == null || id.isBlank()) {
            id = form.get("message-id");
        }
        if ((id == null || id.isBlank()) && form.get("message-headers") != null) {
            id = headerFromList(form.get("message-headers"), "Message-Id");
        }
        if (id == null || id.isBlank()) {
            return null;
        }
        id = id.trim();
        if (id.startsWith("<") && id.endsWith(">")) {
            id = id.substring(1, id.length() - 1);
        }
        return id;
    }

    private static String headerFromList(String headers, String name) {
        try {
            JsonNode list = JSON.readTree(headers);
            for (JsonNode pair : list) {
                if (pair.isArray() && pair.size() == 2 && name.equalsIgnoreCase(pair.get(0).asText())) {
                    return pair.get(1).asText();
                }
            }
        } catch (IOException e) {
            throw new WebhookPayloadException("/message-headers", "is not a JSON list of [name, value] pairs");
        }
        return null;
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null && !value.isBlank()) {
            node.put(field, value);
        }
    }
}
