package io.cohort.model.messaging;

import io.cohort.contracts.SubscriberScores;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Publishes on {@code cohort.scores.v1}, keyed by subscriber id, and waits for the broker. Call it
 * with no transaction active: awaiting a Mutiny ack inside one breaks it (see the shared brief).
 */
@ApplicationScoped
public class ScoresPublisher {

    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

    private final MutinyEmitter<Record<String, SubscriberScores>> scores;

    public ScoresPublisher(@Channel("scores-out") MutinyEmitter<Record<String, SubscriberScores>> scores) {
        this.scores = scores;
    }

    /** Returns once the broker acknowledged every record; throws if any was not written. */
    public void publishAll(List<SubscriberScores> records) {
        List<Uni<Void>> acks = new ArrayList<>(records.size());
        for (SubscriberScores record : records) {
            acks.add(scores.send(Record.of(record.subscriberId(), record)));
        }
        await(acks);
    }

    /** Publishes a tombstone so the compacted topic forgets the subscriber's scores. */
    public void publishTombstone(String subscriberId) {
        await(List.of(scores.send(Record.of(subscriberId, null))));
    }

    private static void await(List<Uni<Void>> acks) {
        if (!acks.isEmpty()) {
            Uni.join().all(acks).andFailFast().await().atMost(ACK_TIMEOUT);
        }
    }
}
