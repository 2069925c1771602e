package io.cohort.ingest.messaging;

import io.cohort.contracts.ErasureRequest;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Publishes erasure requests on {@code cohort.erasure.v1}, keyed by subscriber, and waits for the broker. */
@ApplicationScoped
public class ErasurePublisher {

    private final MutinyEmitter<ErasureRequest> requests;

    public ErasurePublisher(@Channel("erasure-out") MutinyEmitter<ErasureRequest> requests) {
        this.requests = requests;
    }

    public void publish(ErasureRequest request) {
        requests.sendMessage(Message.of(request).addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder().withKey(request.subscriberId()).build()))
                .await().atMost(Duration.ofSeconds(30));
    }
}
