package io.cohort.ingest.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cohort.contracts.Topics;
import io.cohort.devstack.DevStack;
import io.cohort.devstack.DevStackTestResource;
import io.cohort.devstack.TopicRecords;
import io.cohort.ingest.domain.webhook.SnsMessage;
import io.cohort.ingest.domain.webhook.SubscriberIds;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each provider's webhook with a sample payload shaped as in the provider's public documentation,
 * signed here with keys generated for the test (the service is configured with their public halves),
 * plus a bad signature per provider: 401 problem and nothing published.
 */
@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
@TestProfile(WebhookResourceTest.WebhooksOn.class)
class WebhookResourceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final WebhookTestKeys KEYS = WebhookTestKeys.get();
    private static TopicRecords events;

    public static class WebhooksOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            WebhookTestKeys keys = WebhookTestKeys.get();
            return Map.of(
                    "cohort.ingest.webhooks.sendgrid.public-key", keys.sendGridPublicKey,
                    "cohort.ingest.webhooks.mailgun.signing-key", keys.mailgunSigningKey,
                    "cohort.ingest.webhooks.postmark.username", keys.postmarkUser,
                    "cohort.ingest.webhooks.postmark.password", keys.postmarkPassword,
                    "cohort.ingest.webhooks.ses.enabled", "true",
                    "cohort.ingest.webhooks.ses.signing-cert-pem", keys.snsPublicKeyPem,
                    "cohort.ingest.webhooks.ses.auto-confirm", "false",
                    "cohort.ingest.webhooks.pseudonym-pepper", keys.pepper);
        }
    }

    @BeforeAll
    static void readEvents() {
        events = new TopicRecords(DevStack.shared().kafkaBootstrapServers(), Topics.EVENTS);
    }

    @AfterAll
    static void close() {
        events.close();
    }

    private static List<JsonNode> eventsOf(String key, int expected) {
        var records = await().atMost(Duration.ofSeconds(30)).until(() -> events.pollKey(key), r -> r.size() >= expected);
        assertEquals(expected, records.size(), "records keyed " + key);
        return records.stream().map(WebhookResourceTest::parse).toList();
    }

    private static void assertNothingPublishedFor(String key) {
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> events.pollKey(key).isEmpty());
    }

    private static JsonNode parse(ConsumerRecord<String, String> record) {
        try {
            assertFalse(record.value().contains("@example.com") || record.value().contains("@test.com"),
                    "no email address on the topic: " + record.value());
            return JSON.readTree(record.value());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, JsonNode> byEvent(List<JsonNode> records) {
        return records.stream().collect(Collectors.toMap(r -> r.path("event").asText()
                + (r.path("properties").has("machineOpen") ? ":" + r.path("properties").path("machineOpen") : "")
                + (r.path("properties").has("bounceType") ? ":" + r.path("properties").path("bounceType").asText() : ""),
                r -> r, (a, b) -> a));
    }

    // ---------------------------------------------------------------- SendGrid

    private static String sendGridSample(String subscriber, String run) {
        return """
                [
                  {"email": "example@test.com", "timestamp": 1513299569, "smtp-id": "<14c5d75ce93.dfd.64b469@ismtpd-555>",
                   "event": "processed", "category": "cat facts", "sg_event_id": "%2$s-1",
                   "sg_message_id": "14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0", "cohort_subscriber_id": "%1$s"},
                  {"email": "example@test.com", "timestamp": 1513299569, "smtp-id": "<14c5d75ce93.dfd.64b469@ismtpd-555>",
                   "event": "delivered", "category": "cat facts", "sg_event_id": "%2$s-2",
                   "sg_message_id": "14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0", "response": "250 OK",
                   "cohort_subscriber_id": "%1$s", "cohort_campaign_id": "spring-sale"},
                  {"email": "example@test.com", "timestamp": 1513299569, "event": "open", "sg_machine_open": true,
                   "category": "cat facts", "sg_event_id": "%2$s-3",
                   "sg_message_id": "14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0",
                   "useragent": "Mozilla/5.0", "ip": "255.255.255.255", "cohort_subscriber_id": "%1$s"},
                  {"email": "example@test.com", "timestamp": 1513299570, "event": "open", "sg_machine_open": false,
                   "category": "cat facts", "sg_event_id": "%2$s-4",
                   "sg_message_id": "14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0",
                   "useragent": "Mozilla/4.0 (compatible; MSIE 6.1; Windows XP; .NET CLR 1.1.4322; .NET CLR 2.0.50727)",
                   "ip": "255.255.255.255", "cohort_subscriber_id": "%1$s"},
                  {"email": "example@test.com", "timestamp": 1513299571, "event": "click", "category": "cat facts",
                   "sg_event_id": "%2$s-5", "sg_message_id": "14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0",
                   "useragent": "Mozilla/4.0", "ip": "255.255.255.255",
                   "url": "http://www.sendgrid.com/?who=example@test.com", "url_offset": {"index": 0, "type": "html"},
                   "cohort_subscriber_id": "%1$s"},
                  {"email": "example@test.com", "timestamp": 1513299572, "smtp-id": "<14c5d75ce93.dfd.64b469@ismtpd-555>",
                   "event": "bounce", "category": "cat facts", "sg_event_id": "%2$s-6",
                   "sg_message_id": "14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0",
                   "reason": "500 unknown recipient", "status": "5.0.0", "type": "bounce",
                   "bounce_classification": "Invalid Address", "cohort_subscriber_id": "%1$s"},
                  {"email": "example@test.com", "timestamp": 1513299573, "event": "bounce", "category": "cat facts",
                   "sg_event_id": "%2$s-7", "sg_message_id": "14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0",
                   "reason": "421 try again later", "status": "4.0.0", "type": "blocked", "cohort_subscriber_id": "%1$s"},
                  {"email": "example@test.com", "timestamp": 1513299574, "event": "spamreport", "category": "cat facts",
                   "sg_event_id": "%2$s-8", "sg_message_id": "14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0",
                   "cohort_subscriber_id": "%1$s"},
                  {"email": "example@test.com", "timestamp": 1513299575, "event": "unsubscribe", "category": "cat facts",
                   "sg_event_id": "%2$s-9", "sg_message_id": "14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0",
                   "cohort_subscriber_id": "%1$s"},
                  {"email": "Pseudo-%2$s@Example.com", "timestamp": 1513299576, "event": "delivered",
                   "sg_event_id": "%2$s-10", "sg_message_id": "14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.1",
                   "response": "250 OK"}
                ]""".formatted(subscriber, run);
    }

    private static String sendGridSignature(String timestamp, byte[] body, PrivateKey key) throws Exception {
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key);
        signer.update(timestamp.getBytes(StandardCharsets.UTF_8));
        signer.update(body);
        return Base64.getEncoder().encodeToString(signer.sign());
    }

    @Test
    void sendGridSignedEventsBecomeCanonicalEventsKeyedBySubscriber() throws Exception {
        String subscriber = "sg-" + UUID.randomUUID();
        String run = UUID.randomUUID().toString();
        byte[] body = sendGridSample(subscriber, run).getBytes(StandardCharsets.UTF_8);
        String timestamp = String.valueOf(Instant.now().getEpochSecond());
        String signature = sendGridSignature(timestamp, body, KEYS.sendGridPrivateKey);

        given().contentType("application/json").header("X-Twilio-Email-Event-Webhook-Signature", signature)
                .header("X-Twilio-Email-Event-Webhook-Timestamp", timestamp).body(body)
                .post("/v1/webhooks/sendgrid").then().statusCode(200)
                .body("accepted", equalTo(8 + 1)).body("ignored", equalTo(1)).body("duplicates", equalTo(0));

        Map<String, JsonNode> seen = byEvent(eventsOf(subscriber, 8));
        assertTrue(seen.keySet().containsAll(List.of("Email Delivered", "Email Opened:true", "Email Opened:false",
                "Email Link Clicked", "Email Bounced:hard", "Email Bounced:soft", "Email Marked as Spam", "Unsubscribed")),
                seen.keySet().toString());
        JsonNode delivered = seen.get("Email Delivered");
        assertEquals("spring-sale", delivered.path("properties").path("campaign_id").asText());
        assertEquals("14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0",
                delivered.path("properties").path("email_id").asText());
        assertEquals("2017-12-15T00:59:29Z", delivered.path("timestamp").asText());
        assertEquals("http://www.sendgrid.com/", seen.get("Email Link Clicked").path("properties").path("link_url").asText());

        // no custom arg: keyed by the pepper pseudonym of the lowercased address
        String pseudonym = new SubscriberIds(Optional.of(KEYS.pepper)).pseudonym("pseudo-" + run + "@example.com");
        assertEquals("Email Delivered", eventsOf(pseudonym, 1).get(0).path("event").asText());

        // SendGrid retries the same delivery: acknowledged, nothing new
        given().contentType("application/json").header("X-Twilio-Email-Event-Webhook-Signature", signature)
                .header("X-Twilio-Email-Event-Webhook-Timestamp", timestamp).body(body)
                .post("/v1/webhooks/sendgrid").then().statusCode(200)
                .body("accepted", equalTo(0)).body("duplicates", equalTo(9));
    }

    @Test
    void sendGridBadSignatureIs401AndNothingIsPublished() throws Exception {
        String subscriber = "sg-bad-" + UUID.randomUUID();
        byte[] body = sendGridSample(subscriber, UUID.randomUUID().toString()).getBytes(StandardCharsets.UTF_8);
        String timestamp = String.valueOf(Instant.now().getEpochSecond());
        String signature = sendGridSignature(timestamp, body, KEYS.sendGridPrivateKey);
        // a different timestamp than the one signed
        given().contentType("application/json").header("X-Twilio-Email-Event-Webhook-Signature", signature)
                .header("X-Twilio-Email-Event-Webhook-Timestamp", String.valueOf(Long.parseLong(timestamp) + 1))
                .body(body).post("/v1/webhooks/sendgrid").then().statusCode(401)
                .contentType("application/problem+json").body("status", equalTo(401));
        given().contentType("application/json").body(body).post("/v1/webhooks/sendgrid").then().statusCode(401)
                .contentType("application/problem+json");
        assertNothingPublishedFor(subscriber);
    }

    // ---------------------------------------------------------------- Mailgun

    private static String mailgunSample(String subscriber, String run, String event, String extra) throws Exception {
        String timestamp = String.valueOf(Instant.now().getEpochSecond());
        String token = (run.replace("-", "") + "0123456789abcdef0123").substring(0, 50);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEYS.mailgunSigningKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signature = HexFormat.of().formatHex(mac.doFinal((timestamp + token).getBytes(StandardCharsets.UTF_8)));
        return """
                {
                  "signature": {"timestamp": "%3$s", "token": "%4$s", "signature": "%5$s"},
                  "event-data": {
                    "id": "%2$s-%6$s",
                    "timestamp": 1521472262.908181,
                    "log-level": "info",
                    "event": "%6$s",
                    %7$s
                    "recipient": "alice@example.com",
                    "recipient-domain": "example.com",
                    "tags": ["my_tag_1", "my_tag_2"],
                    "campaigns": [],
                    "user-variables": {"cohort_subscriber_id": "%1$s", "cohort_campaign_id": "welcome"},
                    "geolocation": {"country": "US", "region": "Unknown", "city": "Unknown"},
                    "message": {"headers": {"message-id": "20130503182626.18666.16540@sandbox.mailgun.org"}}
                  }
                }""".formatted(subscriber, run, timestamp, token, signature, event, extra);
    }

    @Test
    void mailgunSignedEventsIncludingABotOpen() throws Exception {
        String subscriber = "mg-" + UUID.randomUUID();
        String run = UUID.randomUUID().toString();
        String botOpen = mailgunSample(subscriber, run, "opened", """
                "client-info": {"client-name": "unknown", "client-type": "unknown", "user-agent": "Mozilla/5.0",
                                "device-type": "unknown", "client-os": "unknown", "bot": "apple"},""");
        String failed = mailgunSample(subscriber, run, "failed", """
                "severity": "permanent", "reason": "bounce",
                "delivery-status": {"code": 550, "message": "No such user", "attempt-no": 1},""");
        for (String body : List.of(botOpen, failed)) {
            given().contentType("application/json").body(body).post("/v1/webhooks/mailgun").then().statusCode(200)
                    .body("accepted", equalTo(1));
        }
        Map<String, JsonNode> seen = byEvent(eventsOf(subscriber, 2));
        assertEquals("apple", seen.get("Email Opened:true").path("properties").path("bot").asText());
        assertEquals("welcome", seen.get("Email Bounced:hard").path("properties").path("campaign_id").asText());
        assertEquals("2018-03-19T15:11:02.908181Z", seen.get("Email Bounced:hard").path("timestamp").asText());
    }

    @Test
    void mailgunBadSignatureIs401AndNothingIsPublished() throws Exception {
        String subscriber = "mg-bad-" + UUID.randomUUID();
        ObjectNode body = (ObjectNode) JSON.readTree(mailgunSample(subscriber, UUID.randomUUID().toString(), "delivered", ""));
        ((ObjectNode) body.path("signature")).put("signature", "0".repeat(64));
        given().contentType("application/json").body(body.toString()).post("/v1/webhooks/mailgun").then()
                .statusCode(401).contentType("application/problem+json");
        assertNothingPublishedFor(subscriber);
    }

    /**
     * A legacy (form-encoded) Mailgun webhook as Mailgun posts it: the event's fields, the send's
     * custom variables as top-level fields, and timestamp/token/signature signed with the key.
     */
    private static String mailgunLegacyForm(Map<String, String> fields, String token, boolean badSignature)
            throws Exception {
        String timestamp = String.valueOf(Instant.now().getEpochSecond());
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEYS.mailgunSigningKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signature = badSignature ? "0".repeat(64)
                : HexFormat.of().formatHex(mac.doFinal((timestamp + token).getBytes(StandardCharsets.UTF_8)));
        Map<String, String> form = new java.util.LinkedHashMap<>(fields);
        form.put("timestamp", timestamp);
        form.put("token", token);
        form.put("signature", signature);
        return form.entrySet().stream()
                .map(e -> java.net.URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + java.net.URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    @Test
    void mailgunLegacyFormWebhooksAreVerifiedAndMapped() throws Exception {
        String subscriber = "mg-legacy-" + UUID.randomUUID();
        String run = UUID.randomUUID().toString().replace("-", "");
        Map<String, String> delivered = new java.util.LinkedHashMap<>();
        delivered.put("event", "delivered");
        delivered.put("recipient", "alice@example.com");
        delivered.put("domain", "sandbox.mailgun.org");
        delivered.put("Message-Id", "<20130503182626.18666.16540@sandbox.mailgun.org>");
        delivered.put("message-headers", "[[\"Received\", \"by luna.mailgun.net with SMTP mgrt 8734663311733\"], "
                + "[\"Message-Id\", \"<20130503182626.18666.16540@sandbox.mailgun.org>\"], "
                + "[\"To\", \"Alice <alice@example.com>\"], [\"Subject\", \"Spring sale\"]]");
        delivered.put("cohort_subscriber_id", subscriber);
        delivered.put("cohort_campaign_id", "spring");
        Map<String, String> bounced = new java.util.LinkedHashMap<>();
        bounced.put("event", "bounced");
        bounced.put("recipient", "alice@example.com");
        bounced.put("domain", "sandbox.mailgun.org");
        bounced.put("code", "550");
        bounced.put("error", "5.1.1 The email account that you tried to reach does not exist.");
        bounced.put("notification", "550 5.1.1 The email account that you tried to reach does not exist.");
        bounced.put("message-headers", "[[\"Message-Id\", \"<20130503182626.18666.16540@sandbox.mailgun.org>\"]]");
        bounced.put("cohort_subscriber_id", subscriber);
        bounced.put("cohort_campaign_id", "spring");
        Map<String, String> opened = new java.util.LinkedHashMap<>();
        opened.put("event", "opened");
        opened.put("recipient", "alice@example.com");
        opened.put("domain", "sandbox.mailgun.org");
        opened.put("ip", "203.0.113.7");
        opened.put("country", "US");
        opened.put("device-type", "desktop");
        opened.put("client-type", "browser");
        opened.put("client-name", "Chrome");
        opened.put("user-agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36");
        opened.put("message-id", "20130503182626.18666.16540@sandbox.mailgun.org");
        opened.put("cohort_subscriber_id", subscriber);
        opened.put("cohort_campaign_id", "spring");
        int n = 0;
        for (Map<String, String> fields : List.of(delivered, bounced, opened)) {
            given().contentType("application/x-www-form-urlencoded")
                    .body(mailgunLegacyForm(fields, (run + n++ + "0123456789abcdef0123456789").substring(0, 50), false))
                    .post("/v1/webhooks/mailgun").then().statusCode(200).body("accepted", equalTo(1));
        }
        Map<String, JsonNode> seen = byEvent(eventsOf(subscriber, 3));
        JsonNode deliveredEvent = seen.get("Email Delivered");
        assertEquals("20130503182626.18666.16540@sandbox.mailgun.org",
                deliveredEvent.path("properties").path("email_id").asText());
        assertEquals("spring", deliveredEvent.path("properties").path("campaign_id").asText());
        assertEquals("mailgun", deliveredEvent.path("properties").path("provider").asText());
        assertEquals("bounce", seen.get("Email Bounced:hard").path("properties").path("reasonCode").asText());
        assertEquals("20130503182626.18666.16540@sandbox.mailgun.org",
                seen.get("Email Bounced:hard").path("properties").path("email_id").asText());
        assertTrue(seen.containsKey("Email Opened:false"), "a legacy open carries no bot flag: " + seen.keySet());
    }

    @Test
    void mailgunLegacyFormWithABadSignatureIs401AndNothingIsPublished() throws Exception {
        String subscriber = "mg-legacy-bad-" + UUID.randomUUID();
        Map<String, String> fields = Map.of("event", "delivered", "recipient", "alice@example.com",
                "Message-Id", "<1@sandbox.mailgun.org>", "cohort_subscriber_id", subscriber);
        given().contentType("application/x-www-form-urlencoded")
                .body(mailgunLegacyForm(fields, UUID.randomUUID().toString().replace("-", "") + "0123456789abcdef01", true))
                .post("/v1/webhooks/mailgun").then().statusCode(401).contentType("application/problem+json");
        assertNothingPublishedFor(subscriber);
    }

    // ---------------------------------------------------------------- Postmark

    private static String postmarkBounce(String subscriber, long id) {
        return """
                {
                  "RecordType": "Bounce",
                  "MessageStream": "outbound",
                  "ID": %2$d,
                  "Type": "HardBounce",
                  "TypeCode": 1,
                  "Name": "Hard bounce",
                  "Tag": "Test",
                  "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
                  "Metadata": {"cohort_subscriber_id": "%1$s", "cohort_campaign_id": "newsletter-42"},
                  "ServerID": 23,
                  "Description": "The server was unable to deliver your message (ex: unknown user, mailbox not found).",
                  "Details": "Test bounce details",
                  "Email": "john@example.com",
                  "From": "sender@example.com",
                  "BouncedAt": "2019-11-05T16:33:54.9070259Z",
                  "DumpAvailable": true,
                  "Inactive": true,
                  "CanActivate": true,
                  "Subject": "Test subject",
                  "Content": "<Full dump of bounce>"
                }""".formatted(subscriber, id);
    }

    @Test
    void postmarkEventsWithTheConfiguredBasicCredentials() {
        String subscriber = "pm-" + UUID.randomUUID();
        String open = """
                {
                  "RecordType": "Open",
                  "MessageStream": "outbound",
                  "Metadata": {"cohort_subscriber_id": "%s"},
                  "FirstOpen": true,
                  "Recipient": "john@example.com",
                  "MessageID": "%s",
                  "ReceivedAt": "2019-11-05T16:33:54.9070259Z",
                  "Platform": "WebMail",
                  "ReadSeconds": 5,
                  "Tag": "welcome-email",
                  "UserAgent": "Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/50.0.2661.94 Safari/537.36",
                  "OS": {"Name": "OS X 10.7 Lion", "Family": "OS X 10", "Company": "Apple Computer, Inc."},
                  "Client": {"Name": "Chrome 35.0.1916.153", "Family": "Chrome", "Company": "Google"},
                  "Geo": {"IP": "188.2.95.4", "City": "Novi Sad", "Country": "Serbia", "CountryISOCode": "RS"}
                }""".formatted(subscriber, UUID.randomUUID());
        long bounceId = Math.abs(UUID.randomUUID().getMostSignificantBits());
        for (String body : List.of(open, postmarkBounce(subscriber, bounceId))) {
            given().auth().preemptive().basic(KEYS.postmarkUser, KEYS.postmarkPassword).contentType("application/json")
                    .body(body).post("/v1/webhooks/postmark").then().statusCode(200).body("accepted", equalTo(1));
        }
        Map<String, JsonNode> seen = byEvent(eventsOf(subscriber, 2));
        assertTrue(seen.containsKey("Email Opened:false"), seen.keySet().toString());
        JsonNode bounce = seen.get("Email Bounced:hard");
        assertEquals("newsletter-42", bounce.path("properties").path("campaign_id").asText());
        assertEquals("2019-11-05T16:33:54.907025900Z", bounce.path("timestamp").asText());
    }

    @Test
    void aWebhookEventWithANulIsRejectedAndNothingIsPublished() {
        // issue 15 item 1: the mapped event would carry the NUL in properties.tag
        String subscriber = "pm-" + UUID.randomUUID();
        String body = postmarkBounce(subscriber, 7).replace("\"Tag\": \"Test\"", "\"Tag\": \"Te\\u0000st\"");
        given().auth().preemptive().basic(KEYS.postmarkUser, KEYS.postmarkPassword).contentType("application/json")
                .body(body).post("/v1/webhooks/postmark").then().statusCode(200)
                .body("accepted", equalTo(0)).body("rejected", equalTo(1));
        assertNothingPublishedFor(subscriber);
    }

    @Test
    void postmarkWrongCredentialsAre401AndNothingIsPublished() {
        String subscriber = "pm-bad-" + UUID.randomUUID();
        given().auth().preemptive().basic(KEYS.postmarkUser, "wrong").contentType("application/json")
                .body(postmarkBounce(subscriber, 1)).post("/v1/webhooks/postmark").then().statusCode(401)
                .contentType("application/problem+json");
        given().contentType("application/json").body(postmarkBounce(subscriber, 1)).post("/v1/webhooks/postmark")
                .then().statusCode(401);
        assertNothingPublishedFor(subscriber);
    }

    // ---------------------------------------------------------------- SES through SNS

    private static ObjectNode snsNotification(String type, String message, String extraKey, String extraValue)
            throws Exception {
        ObjectNode sns = JSON.createObjectNode();
        sns.put("Type", type);
        sns.put("MessageId", UUID.randomUUID().toString());
        if (extraKey != null) {
            sns.put(extraKey, extraValue);
        }
        sns.put("TopicArn", "arn:aws:sns:us-west-2:123456789012:ses-events");
        sns.put("Message", message);
        sns.put("Timestamp", "2017-08-05T00:41:02.843Z");
        sns.put("SignatureVersion", "2");
        sns.put("SigningCertURL",
                "https://sns.us-west-2.amazonaws.com/SimpleNotificationService-f3ecfb7224c7233fe7bb5f59f96de52f.pem");
        sns.put("UnsubscribeURL", "https://sns.us-west-2.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=x");
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(KEYS.snsPrivateKey);
        signer.update(SnsMessage.stringToSign(sns).getBytes(StandardCharsets.UTF_8));
        sns.put("Signature", Base64.getEncoder().encodeToString(signer.sign()));
        return sns;
    }

    private static String sesBounce(String subscriber) {
        return """
                {
                  "eventType": "Bounce",
                  "bounce": {
                    "bounceType": "Permanent",
                    "bounceSubType": "General",
                    "bouncedRecipients": [{"emailAddress": "recipient@example.com", "action": "failed",
                                           "status": "5.1.1", "diagnosticCode": "smtp; 550 5.1.1 user unknown"}],
                    "timestamp": "2017-08-05T00:41:02.669Z",
                    "feedbackId": "01000157c44f053b-61b59c11-9236-11e6-8f96-7be8aexample-000000",
                    "reportingMTA": "dsn; mta.example.com"
                  },
                  "mail": {
                    "timestamp": "2017-08-05T00:40:02.012Z",
                    "source": "Sender Name <sender@example.com>",
                    "sourceArn": "arn:aws:ses:us-east-1:123456789012:identity/sender@example.com",
                    "sendingAccountId": "123456789012",
                    "messageId": "EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000",
                    "destination": ["recipient@example.com"],
                    "headersTruncated": false,
                    "tags": {"ses:configuration-set": ["ConfigSet"], "cohort_subscriber_id": ["%s"]}
                  }
                }""".formatted(subscriber);
    }

    @Test
    void sesEventsArriveAsSignedSnsNotifications() throws Exception {
        String subscriber = "ses-" + UUID.randomUUID();
        String open = """
                {"eventType": "Open",
                 "mail": {"timestamp": "2017-08-09T22:00:19.652Z", "source": "sender@example.com",
                          "messageId": "EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000",
                          "destination": ["recipient@example.com"],
                          "tags": {"cohort_subscriber_id": ["%s"]}},
                 "open": {"ipAddress": "192.0.2.1", "timestamp": "2017-08-09T22:00:40.025Z",
                          "userAgent": "Mozilla/5.0 (iPhone; CPU iPhone OS 10_3_3 like Mac OS X)"}}""".formatted(subscriber);
        for (String message : List.of(sesBounce(subscriber), open)) {
            given().contentType("text/plain; charset=UTF-8")
                    .body(snsNotification("Notification", message, null, null).toString())
                    .post("/v1/webhooks/ses").then().statusCode(200).body("accepted", equalTo(1));
        }
        Map<String, JsonNode> seen = byEvent(eventsOf(subscriber, 2));
        assertEquals("General", seen.get("Email Bounced:hard").path("properties").path("bounceSubType").asText());
        assertEquals("2017-08-09T22:00:40.025Z", seen.get("Email Opened:false").path("timestamp").asText());
    }

    @Test
    void sesBadSignatureForeignCertHostAndSubscriptionConfirmation() throws Exception {
        String subscriber = "ses-bad-" + UUID.randomUUID();
        ObjectNode tampered = snsNotification("Notification", sesBounce(subscriber), null, null);
        tampered.put("Message", sesBounce(subscriber).replace("Permanent", "Transient"));
        given().contentType("text/plain").body(tampered.toString()).post("/v1/webhooks/ses").then().statusCode(401)
                .contentType("application/problem+json");

        ObjectNode foreign = snsNotification("Notification", sesBounce(subscriber), null, null);
        foreign.put("SigningCertURL", "https://sns.us-west-2.amazonaws.com.attacker.example/cert.pem");
        given().contentType("text/plain").body(foreign.toString()).post("/v1/webhooks/ses").then().statusCode(401);

        ObjectNode confirmation = snsNotification("SubscriptionConfirmation",
                "You have chosen to subscribe to the topic arn:aws:sns:us-west-2:123456789012:ses-events.",
                "SubscribeURL", "https://sns.us-west-2.amazonaws.com/?Action=ConfirmSubscription&Token=2336412f37");
        confirmation.remove("Signature");
        confirmation.put("Token", "2336412f37");
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(KEYS.snsPrivateKey);
        signer.update(SnsMessage.stringToSign(confirmation).getBytes(StandardCharsets.UTF_8));
        confirmation.put("Signature", Base64.getEncoder().encodeToString(signer.sign()));
        given().contentType("text/plain").body(confirmation.toString()).post("/v1/webhooks/ses").then().statusCode(200)
                .body("subscription", equalTo("pending")).body("accepted", equalTo(0));
        assertNothingPublishedFor(subscriber);
    }
}
