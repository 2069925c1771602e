package io.cohort.contracts;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/**
 * One validated event on {@link Topics#EVENTS}, shaped like a Segment/RudderStack tracking call so
 * existing pipelines map onto it field for field. {@code receivedAt} is set by ingest-service;
 * {@code timestamp} is the client's time after clock-skew correction. The IP address in
 * {@code context} is dropped at ingest and never reaches the topic.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record EventEnvelope(
        int schemaVersion,
        String messageId,
        EventType type,
        String userId,
        String anonymousId,
        String accountId,
        String event,
        String name,
        Map<String, Object> properties,
        Map<String, Object> traits,
        Map<String, Object> context,
        Instant timestamp,
        Instant sentAt,
        Instant receivedAt) {

    public static final int SCHEMA_VERSION = 1;

    /** The Kafka key: the subscriber id when known, else the anonymous id. Never an email address. */
    @JsonIgnore
    public String subscriberKey() {
        return userId != null ? userId : anonymousId;
    }
}
