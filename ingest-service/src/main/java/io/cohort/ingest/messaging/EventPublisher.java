package io.cohort.ingest.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.contracts.EventEnvelope;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Publishes validated events on {@code cohort.events.v1}, keyed by subscriber, and waits for the broker.
 *
 * <p>A plain Kafka producer rather than a reactive-messaging emitter: each envelope is serialised
 * once, on the calling (worker) thread, by {@link EnvelopeJson}, and the whole list is handed to
 * the producer before any acknowledgement is awaited, so a batch costs one broker round trip, not a per-message pipeline.
 * Guarantees are unchanged: {@code acks=all} with idempotence, and {@link #publishAll} returns only
 * when every record is acknowledged (it throws otherwise, rolling the caller's claims back).
 * Broker connection settings ({@code kafka.*}: bootstrap servers, TLS, SASL) are Quarkus's shared
 * Kafka configuration.
 */
@ApplicationScoped
public class EventPublisher {

    /** Longer than the producer's own delivery timeout, so a failed send surfaces as its exception. */
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(35);

    private final EnvelopeJson json;
    private final String topic;
    private final Producer<String, byte[]> producer;

    public EventPublisher(ObjectMapper json, @Identifier("default-kafka-broker") Map<String, Object> kafka,
            @ConfigProperty(name = "cohort.ingest.events.topic", defaultValue = "cohort.events.v1") String topic,
            @ConfigProperty(name = "cohort.ingest.events.linger-ms", defaultValue = "5") int lingerMs,
            @ConfigProperty(name = "cohort.ingest.events.batch-size", defaultValue = "131072") int batchSize,
            @ConfigProperty(name = "cohort.ingest.events.compression", defaultValue = "none") String compression) {
        this.json = new EnvelopeJson(json);
        this.topic = topic;
        this.producer = new KafkaProducer<>(producerConfig(kafka, lingerMs, batchSize, compression),
                new StringSerializer(), new ByteArraySerializer());
    }

    /** Quarkus's shared {@code kafka.*} settings (bootstrap servers, TLS, SASL) without its own keys. */
    static Map<String, Object> clientConfig(Map<String, Object> kafka) {
        Map<String, Object> config = new HashMap<>();
        kafka.forEach((key, value) -> {
            // Quarkus-only keys of the shared map, not client settings
            if (!key.startsWith("tls") && !key.startsWith("devservices") && !key.startsWith("health")
                    && !key.startsWith("snappy")) {
                config.put(key, value);
            }
        });
        return config;
    }

    static Map<String, Object> producerConfig(Map<String, Object> kafka, int lingerMs, int batchSize,
            String compression) {
        Map<String, Object> config = clientConfig(kafka);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "ingest-events");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        config.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, batchSize);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 20_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        return config;
    }

    /** Returns once the broker has acknowledged every event; throws if any was not written. */
    public void publishAll(List<EventEnvelope> envelopes) {
        if (envelopes.isEmpty()) {
            return;
        }
        Future<?>[] acks = new Future<?>[envelopes.size()];
        for (int i = 0; i < acks.length; i++) {
            EventEnvelope envelope = envelopes.get(i);
            acks[i] = producer.send(new ProducerRecord<>(topic, envelope.subscriberKey(), serialize(envelope)));
        }
        long deadline = System.nanoTime() + ACK_TIMEOUT.toNanos();
        try {
            for (Future<?> ack : acks) {
                ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishFailedException("interrupted while waiting for the broker", e);
        } catch (ExecutionException e) {
            throw new PublishFailedException("the broker did not take an event: " + e.getCause().getClass().getName(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new PublishFailedException("no acknowledgement from the broker within " + ACK_TIMEOUT, e);
        }
    }

    private byte[] serialize(EventEnvelope envelope) {
        try {
            return json.write(envelope);
        } catch (RuntimeException e) {
            throw new PublishFailedException("an event could not be serialised", e);
        }
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(10));
    }

    /** A send that was not acknowledged; the caller's transaction rolls back. */
    public static class PublishFailedException extends RuntimeException {
        PublishFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
