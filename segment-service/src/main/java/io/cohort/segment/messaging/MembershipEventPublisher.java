package io.cohort.segment.messaging;

import io.cohort.contracts.SegmentMembershipEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/** Publishes membership events keyed by subscriber id and waits for the broker's acknowledgements. */
@ApplicationScoped
public class MembershipEventPublisher {

    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

    private final MutinyEmitter<SegmentMembershipEvent> events;

    public MembershipEventPublisher(
            @Channel("membership-out") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 2048)
            MutinyEmitter<SegmentMembershipEvent> events) {
        this.events = events;
    }

    /** Returns once every event is acknowledged; throws if any was not written. */
    public void publishAll(List<SegmentMembershipEvent> batch) {
        List<Uni<Void>> acks = new ArrayList<>(batch.size());
        for (SegmentMembershipEvent event : batch) {
            acks.add(events.sendMessage(Message.of(event).addMetadata(
                    OutgoingKafkaRecordMetadata.<String>builder().withKey(event.subscriberId()).build())));
        }
        if (!acks.isEmpty()) {
            Uni.join().all(acks).andFailFast().await().atMost(ACK_TIMEOUT);
        }
    }
}
