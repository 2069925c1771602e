package io.cohort.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WireFormatTest {

    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    @Test
    void envelopeUsesSegmentFieldNamesAndLowerCaseTypes() throws Exception {
        var envelope = new EventEnvelope(1, "m-1", EventType.TRACK, "u-1", null, null, "Email Opened", null,
                Map.of("campaignId", "c-9"), null, null, Instant.parse("2026-01-02T03:04:05Z"), null,
                Instant.parse("2026-01-02T03:04:06Z"));
        JsonNode tree = json.readTree(json.writeValueAsString(envelope));
        assertEquals("track", tree.get("type").asText());
        assertEquals("m-1", tree.get("messageId").asText());
        assertEquals("2026-01-02T03:04:05Z", tree.get("timestamp").asText());
        assertFalse(tree.has("anonymousId"), "nulls are left out of the wire format");
        assertFalse(tree.has("subscriberKey"), "derived key is not a field");
        assertEquals(envelope, json.readValue(json.writeValueAsString(envelope), EventEnvelope.class));
    }

    @Test
    void subscriberKeyPrefersUserIdOverAnonymousId() {
        var both = new EventEnvelope(1, "m", EventType.PAGE, "u", "a", null, null, null, null, null, null, null, null, null);
        var anonymous = new EventEnvelope(1, "m", EventType.PAGE, null, "a", null, null, null, null, null, null, null, null, null);
        assertEquals("u", both.subscriberKey());
        assertEquals("a", anonymous.subscriberKey());
    }

    @Test
    void membershipEventsRoundTripWithLowerCaseChange() throws Exception {
        var event = new SegmentMembershipEvent(1, "e", "u", "s", "Engaged", 2, MembershipChange.ENTERED, "rule", false,
                Instant.EPOCH);
        String text = json.writeValueAsString(event);
        assertTrue(text.contains("\"change\":\"entered\""), text);
        assertEquals(event, json.readValue(text, SegmentMembershipEvent.class));
    }

    @Test
    void readersIgnoreFieldsAddedByNewerMinorVersions() throws Exception {
        String newer = "{\"schemaVersion\":1,\"subscriberId\":\"u\",\"version\":3,\"features\":{\"orders_90d\":2.0},\"extra\":true}";
        FeatureVector vector = json.readValue(newer, FeatureVector.class);
        assertEquals(3, vector.version());
        assertEquals(2.0, vector.features().get(FeatureNames.ORDERS_90D));
    }

    @Test
    void labelsAndReasonCodesRoundTripAndOldRecordsReadWithout() throws Exception {
        var vector = new FeatureVector(1, "u", 4, Instant.EPOCH, java.util.Map.of(FeatureNames.RFM_R_SCORE, 5.0),
                java.util.Map.of(FeatureNames.RFM_GROUP, "Champions"));
        assertEquals(vector, json.readValue(json.writeValueAsString(vector), FeatureVector.class));
        FeatureVector old = json.readValue("{\"schemaVersion\":1,\"subscriberId\":\"u\",\"version\":1,\"features\":{}}",
                FeatureVector.class);
        assertEquals(java.util.Map.of(), old.labelsOrEmpty());

        var scores = new SubscriberScores(1, "u", 4, Instant.EPOCH, null, java.util.Map.of(ScoreNames.CHURN_90D, 0.25),
                java.util.Map.of(ScoreNames.CHURN_90D, 2),
                java.util.Map.of(ScoreNames.CHURN_90D, java.util.List.of(FeatureNames.DAYS_SINCE_LAST_OPEN)));
        assertEquals(scores, json.readValue(json.writeValueAsString(scores), SubscriberScores.class));
    }

    @Test
    void prefixedFeatureNamesAreKnownOnlyWithAKey() {
        assertTrue(FeatureNames.isKnownNumeric(FeatureNames.HOUR_OF_WEEK_ENGAGEMENT_PREFIX + "17"));
        assertTrue(FeatureNames.isKnownNumeric(FeatureNames.ORDERS_90D));
        assertEquals(false, FeatureNames.isKnownNumeric(FeatureNames.HOUR_OF_WEEK_ENGAGEMENT_PREFIX));
        assertEquals(false, FeatureNames.isKnownNumeric("no_such_feature"));
    }

    @Test
    void compactedTopicsAreTheStateTopics() {
        var compacted = Topics.ALL.stream().filter(TopicSpec::compacted).map(TopicSpec::name).toList();
        assertEquals(java.util.List.of(Topics.ERASURE, Topics.FEATURES, Topics.SCORES), compacted);
        assertEquals(30L * 24 * 3600 * 1000, TopicSpec.timeRetained("t", 30).retentionMs());
    }
}
