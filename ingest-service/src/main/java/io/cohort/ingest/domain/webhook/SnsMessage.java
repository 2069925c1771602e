package io.cohort.ingest.domain.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * An Amazon SNS HTTP(S) delivery (how SES event notifications arrive) and its signature check, as
 * AWS documents it: the canonical string is {@code key\nvalue\n} for the signed keys in byte order
 * (Notification: Message, MessageId, Subject if present, Timestamp, TopicArn, Type; subscription
 * messages: Message, MessageId, SubscribeURL, Timestamp, Token, TopicArn, Type), signed with
 * SHA1withRSA (SignatureVersion 1) or SHA256withRSA (2) by the key of the certificate at
 * {@code SigningCertURL}. Certificate and subscribe URLs are only ever fetched from
 * {@code https://sns.<region>.amazonaws.com} (or {@code .amazonaws.com.cn}).
 */
public final class SnsMessage {

    static final Pattern SNS_HOST = Pattern.compile("^sns\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?$");
    private static final List<String> NOTIFICATION_KEYS = List.of("Message", "MessageId", "Subject", "Timestamp",
            "TopicArn", "Type");
    private static final List<String> SUBSCRIPTION_KEYS = List.of("Message", "MessageId", "SubscribeURL", "Timestamp",
            "Token", "TopicArn", "Type");

    private final JsonNode body;

    public SnsMessage(JsonNode body) {
        if (body == null || !body.isObject() || Json.text(body, "Type") == null) {
            throw new WebhookPayloadException("/Type", "is required (an Amazon SNS message)");
        }
        this.body = body;
    }

    public String type() {
        return Json.text(body, "Type");
    }

    public boolean isNotification() {
        return "Notification".equals(type());
    }

    public boolean isSubscriptionConfirmation() {
        return "SubscriptionConfirmation".equals(type());
    }

    public String topicArn() {
        return Json.text(body, "TopicArn");
    }

    public String messageId() {
        return Json.text(body, "MessageId");
    }

    public String message() {
        return Json.text(body, "Message");
    }

    /** The confirmation URL, checked to be an SNS endpoint. */
    public URI subscribeUrl() {
        return snsUri(Json.text(body, "SubscribeURL"), "SubscribeURL");
    }

    public static String stringToSign(JsonNode body) {
        String type = Json.text(body, "Type");
        List<String> keys = "Notification".equals(type) ? NOTIFICATION_KEYS : SUBSCRIPTION_KEYS;
        StringBuilder canonical = new StringBuilder();
        for (String key : keys) {
            JsonNode value = body.get(key);
            if (value == null || value.isNull()) {
                continue;
            }
            canonical.append(key).append('\n').append(value.asText()).append('\n');
        }
        return canonical.toString();
    }

    /**
     * Verifies the signature with the key of the certificate at {@code SigningCertURL}; the URL is
     * checked to be an SNS host before {@code certificates} (which fetches or looks up) is asked.
     */
    public void verify(Function<URI, PublicKey> certificates) {
        String version = Json.text(body, "SignatureVersion");
        String algorithm = "1".equals(version) ? "SHA1withRSA" : "2".equals(version) ? "SHA256withRSA" : null;
        String signature = Json.text(body, "Signature");
        if (algorithm == null || signature == null) {
            throw new WebhookAuthenticationException("The SNS message has no usable Signature/SignatureVersion");
        }
        URI certUrl;
        try {
            certUrl = snsUri(Json.text(body, "SigningCertURL"), "SigningCertURL");
        } catch (WebhookPayloadException e) {
            throw new WebhookAuthenticationException(e.getMessage());
        }
        if (!certUrl.getPath().endsWith(".pem")) {
            throw new WebhookAuthenticationException("SigningCertURL must point at a .pem certificate");
        }
        PublicKey key = certificates.apply(certUrl);
        try {
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(key);
            verifier.update(stringToSign(body).getBytes(StandardCharsets.UTF_8));
            if (!verifier.verify(Base64.getDecoder().decode(signature))) {
                throw new WebhookAuthenticationException("The SNS signature does not verify");
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new WebhookAuthenticationException("The SNS signature does not verify");
        }
    }

    /** An https URL on an SNS host ({@code sns.<region>.amazonaws.com}), else a payload error. */
    public static URI snsUri(String url, String field) {
        if (url == null) {
            throw new WebhookPayloadException("/" + field, "is required");
        }
        try {
            URI uri = new URI(url);
            String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
            if (!"https".equals(uri.getScheme()) || uri.getPort() != -1 || uri.getUserInfo() != null
                    || !SNS_HOST.matcher(host).matches()) {
                throw new WebhookPayloadException("/" + field, "must be an https URL on sns.<region>.amazonaws.com");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new WebhookPayloadException("/" + field, "is not a URL");
        }
    }
}
