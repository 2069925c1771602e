package io.cohort.e2e;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.cohort.contracts.SegmentMembershipEvent;
import io.cohort.contracts.Topics;
import io.cohort.devstack.TopicRecords;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Everything segment-service has published on {@link Topics#SEGMENT_MEMBERSHIP}, read from the start. */
final class MembershipEvents implements AutoCloseable {

    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private final TopicRecords topic;

    MembershipEvents(String bootstrapServers) {
        topic = new TopicRecords(bootstrapServers, Topics.SEGMENT_MEMBERSHIP);
    }

    /** Polls once more; every event so far, in arrival order. */
    List<SegmentMembershipEvent> events() {
        List<SegmentMembershipEvent> events = new ArrayList<>();
        for (var record : topic.poll()) {
            try {
                events.add(json.readValue(record.value(), SegmentMembershipEvent.class));
            } catch (Exception e) {
                throw new AssertionError("unreadable membership event: " + record.value(), e);
            }
        }
        return events;
    }

    /** Polls once more; the raw records so far (keys and JSON as published). */
    List<ConsumerRecord<String, String>> records() {
        return topic.poll();
    }

    @Override
    public void close() {
        topic.close();
    }
}
