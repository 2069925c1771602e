package io.cohort.ingest.domain.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WebhookMappingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final SubscriberIds ids = new SubscriberIds(Optional.of("pepper"));

    @Test
    void pseudonymsIgnoreCaseAndSpacesAndDependOnThePepper() {
        assertEquals(ids.pseudonym("Ann@Example.com "), ids.pseudonym("ann@example.com"));
        assertNotEquals(ids.pseudonym("ann@example.com"),
                new SubscriberIds(Optional.of("other")).pseudonym("ann@example.com"));
        assertTrue(ids.pseudonym("ann@example.com").matches("em_[0-9a-f]{64}"));
        assertEquals(null, new SubscriberIds(Optional.empty()).resolve(null, "ann@example.com"));
        assertEquals("s-1", ids.resolve(" s-1 ", "ann@example.com"));
    }

    @Test
    void snsUrlsMustBeHttpsOnAnSnsHost() {
        SnsMessage.snsUri("https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-x.pem", "SigningCertURL");
        SnsMessage.snsUri("https://sns.cn-north-1.amazonaws.com.cn/x.pem", "SigningCertURL");
        for (String bad : new String[] {"http://sns.eu-west-1.amazonaws.com/x.pem",
                "https://sns.eu-west-1.amazonaws.com.evil.example/x.pem", "https://evil.example/sns.eu-west-1.amazonaws.com",
                "https://sns.eu-west-1.amazonaws.com:8443/x.pem", "https://user@sns.eu-west-1.amazonaws.com/x.pem",
                "https://s3.amazonaws.com/x.pem"}) {
            assertThrows(WebhookPayloadException.class, () -> SnsMessage.snsUri(bad, "SigningCertURL"), bad);
        }
    }

    @Test
    void theSnsCanonicalStringFollowsAwsKeyOrder() throws Exception {
        var notification = JSON.readTree("""
                {"Type":"Notification","MessageId":"m","TopicArn":"t","Subject":"s","Message":"{}",
                 "Timestamp":"2024-01-01T00:00:00Z","SignatureVersion":"2"}""");
        assertEquals("Message\n{}\nMessageId\nm\nSubject\ns\nTimestamp\n2024-01-01T00:00:00Z\nTopicArn\nt\nType\nNotification\n",
                SnsMessage.stringToSign(notification));
    }

    @Test
    void aSendGridSignatureFromAnotherKeyIsRefused() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        var configured = ec.generateKeyPair();
        var other = ec.generateKeyPair();
        byte[] body = "[]".getBytes(StandardCharsets.UTF_8);
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(other.getPrivate());
        signer.update("1700000000".getBytes(StandardCharsets.UTF_8));
        signer.update(body);
        String signature = Base64.getEncoder().encodeToString(signer.sign());
        var webhook = new SendGridWebhook(Base64.getEncoder().encodeToString(configured.getPublic().getEncoded()));
        assertThrows(WebhookAuthenticationException.class, () -> webhook.verify(signature, "1700000000", body));
        assertThrows(WebhookAuthenticationException.class, () -> webhook.verify("not base64!", "1700000000", body));
    }

    @Test
    void sesWithoutASubscriberTagGivesOneEventPerRecipientByPseudonym() throws Exception {
        var ses = JSON.readTree("""
                {"eventType":"Complaint",
                 "complaint":{"complainedRecipients":[{"emailAddress":"a@example.com"},{"emailAddress":"b@example.com"}],
                              "timestamp":"2024-01-01T00:00:00Z","complaintFeedbackType":"abuse"},
                 "mail":{"messageId":"ses-1","destination":["a@example.com","b@example.com"]}}""");
        WebhookCalls calls = SesWebhook.map("sns-1", ses, ids);
        assertEquals(2, calls.calls().size());
        assertEquals(ids.pseudonym("b@example.com"), calls.calls().get(1).get("userId"));
        assertEquals("Email Marked as Spam", calls.calls().get(0).get("event"));
        assertTrue(!calls.calls().toString().contains("@example.com"), "no address in the calls");
    }

    @Test
    void unmappedProviderEventsAreIgnored() throws Exception {
        WebhookCalls calls = SendGridWebhook.map(JSON.readTree("""
                [{"event":"processed","email":"a@example.com","sg_event_id":"1"},
                 {"event":"deferred","email":"a@example.com","sg_event_id":"2"}]"""), ids);
        assertEquals(0, calls.calls().size());
        assertEquals(2, calls.ignored());
        assertEquals(Map.of("provider", "postmark", "machineOpen", false, "firstOpen", true, "email_id", "m-1"),
                PostmarkWebhook.map(JSON.readTree("""
                        {"RecordType":"Open","Recipient":"a@example.com","MessageID":"m-1","FirstOpen":true,
                         "ReceivedAt":"2024-01-01T00:00:00Z"}"""), ids).calls().get(0).get("properties"));
    }
}
