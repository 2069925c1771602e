package io.cohort.feature.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.cohort.contracts.EventEnvelope;
import io.cohort.contracts.EventType;
import io.cohort.contracts.FeatureVector;
import io.cohort.contracts.Topics;
import io.cohort.devstack.DevStack;
import io.cohort.devstack.TopicRecords;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Test helpers: write events as other services would, read back the vectors really published. */
final class FeatureTopics {

    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private FeatureTopics() {
    }

    static String bootstrap() {
        return DevStack.shared().kafkaBootstrapServers();
    }

    static EventEnvelope track(String subscriberId, String event, Map<String, Object> properties, Instant at) {
        return new EventEnvelope(EventEnvelope.SCHEMA_VERSION, UUID.randomUUID().toString(), EventType.TRACK,
                subscriberId, null, null, event, null, properties, null, null, at, null, at);
    }

    static void send(EventEnvelope event) {
        sendRaw(event.subscriberKey(), json(event));
    }

    static void sendRaw(String key, String value) {
        TopicRecords.send(bootstrap(), Topics.EVENTS, key, value);
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * UTC calendar days from one instant's day to another's, as the "days since" features count: a test
     * whose events are minutes old may straddle midnight, so it derives its expectation instead of fixing it.
     */
    static double utcDaysBetween(Instant from, Instant to) {
        return java.time.temporal.ChronoUnit.DAYS.between(java.time.LocalDate.ofInstant(from, java.time.ZoneOffset.UTC),
                java.time.LocalDate.ofInstant(to, java.time.ZoneOffset.UTC));
    }

    /** Every vector published for the subscriber so far, in order (tombstones as null). */
    static List<FeatureVector> vectors(TopicRecords features, String subscriberId) {
        return features.pollKey(subscriberId).stream().map(r -> r.value() == null ? null : read(r.value())).toList();
    }

    static FeatureVector read(String value) {
        try {
            FeatureVector vector = JSON.readValue(value, FeatureVector.class);
            if (vector == null) {
                // the JSON text "null" is not a tombstone: compaction would keep the subscriber's key
                throw new AssertionError("a record value of JSON null was published instead of a tombstone");
            }
            return vector;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
