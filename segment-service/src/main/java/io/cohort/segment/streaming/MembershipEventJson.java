package io.cohort.segment.streaming;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.contracts.IsoInstants;
import io.cohort.contracts.MembershipChange;
import io.cohort.contracts.SegmentMembershipEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes a {@link SegmentMembershipEvent} as exactly the JSON the object mapper writes for it (same
 * fields in the same order, nulls written, enum wire names, ISO-8601 instants; tested byte for byte
 * against the mapper), straight onto a generator: the mapper's bean serialiser and its
 * {@code DateTimeFormatter} were a visible share of the stream thread's time per event.
 */
final class MembershipEventJson implements Serializer<SegmentMembershipEvent> {

    private final JsonFactory factory;

    MembershipEventJson(ObjectMapper json) {
        this.factory = json.getFactory();
    }

    @Override
    public byte[] serialize(String topic, SegmentMembershipEvent event) {
        if (event == null) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(320);
        try (JsonGenerator g = factory.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("schemaVersion", event.schemaVersion());
            g.writeStringField("eventId", event.eventId());
            g.writeStringField("subscriberId", event.subscriberId());
            g.writeStringField("segmentId", event.segmentId());
            g.writeStringField("segmentName", event.segmentName());
            g.writeNumberField("segmentVersion", event.segmentVersion());
            g.writeStringField("change", wireName(event.change()));
            g.writeStringField("reason", event.reason());
            g.writeBooleanField("holdout", event.holdout());
            Instant at = event.occurredAt();
            // what the mapper's InstantSerializer writes with WRITE_DATES_AS_TIMESTAMPS off (ISO_INSTANT)
            g.writeStringField("occurredAt", at == null ? null : IsoInstants.format(at));
            g.writeEndObject();
        } catch (IOException e) {
            throw new SerializationException("cannot write a SegmentMembershipEvent", e);
        }
        return out.toByteArray();
    }

    /** The {@code @JsonProperty} names of {@link MembershipChange}. */
    private static String wireName(MembershipChange change) {
        if (change == null) {
            return null;
        }
        return switch (change) {
            case ENTERED -> "entered";
            case EXITED -> "exited";
        };
    }
}
