package io.cohort.segment.messaging;

import io.cohort.contracts.Topics;
import io.cohort.segment.persistence.ReadModelRefresher;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Every replica reads <em>all</em> partitions of {@code cohort.segment-membership.v1} to learn
 * which subscribers another replica changed, and marks them pending in its read model (which then
 * reloads them from the database). No consumer group: the partitions are assigned by hand and no
 * offset is committed, so every replica sees every event. At start the consumer begins
 * {@code segment.read-model.replay} before the replica started, which overlaps the read model's
 * initial load, so no commit falls between the load and the first event read. Only the record key
 * (the subscriber id) is used; a redelivered or duplicate event causes one more reload, nothing else.
 */
@ApplicationScoped
public class MembershipChangesListener {

    private static final Logger LOG = Logger.getLogger(MembershipChangesListener.class);

    private final ReadModelRefresher readModel;
    private final Map<String, Object> kafka;
    private final Duration replay;
    private final long startedAt = System.currentTimeMillis();
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, byte[]> consumer;

    public MembershipChangesListener(ReadModelRefresher readModel,
            @Identifier("default-kafka-broker") Map<String, Object> kafka,
            @ConfigProperty(name = "segment.read-model.replay", defaultValue = "PT1M") Duration replay) {
        this.readModel = readModel;
        this.kafka = kafka;
        this.replay = replay;
    }

    /** Off under the streams engine: it only keeps the PostgreSQL path's in-memory read model current. */
    @jakarta.inject.Inject
    io.cohort.segment.streaming.EngineConfig engine;

    void start(@Observes StartupEvent event) {
        if (engine.streamsEngine()) {
            return;
        }
        Thread thread = new Thread(this::run, "segment-membership-changes");
        thread.setDaemon(true);
        thread.start();
    }

    @PreDestroy
    void stop() {
        running = false;
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
    }

    private void run() {
        while (running) {
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(config(), new StringDeserializer(),
                    new ByteArrayDeserializer())) {
                consumer = c;
                List<TopicPartition> partitions = c.partitionsFor(Topics.SEGMENT_MEMBERSHIP).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                if (partitions.isEmpty()) {
                    throw new IllegalStateException("topic " + Topics.SEGMENT_MEMBERSHIP + " has no partitions yet");
                }
                c.assign(partitions);
                seekToReplayStart(c, partitions);
                while (running) {
                    Set<String> changed = new HashSet<>();
                    for (ConsumerRecord<String, byte[]> record : c.poll(Duration.ofMillis(500))) {
                        if (record.key() != null) {
                            changed.add(record.key());
                        }
                    }
                    if (!changed.isEmpty()) {
                        readModel.changedElsewhere(changed);
                    }
                }
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                // the broker may be unreachable: marks from this replica's own commits still arrive
                LOG.warnf("reading membership changes failed, retrying: %s", e.getMessage());
                pause();
            }
        }
    }

    private void seekToReplayStart(KafkaConsumer<String, byte[]> c, List<TopicPartition> partitions) {
        Map<TopicPartition, Long> at = new HashMap<>();
        partitions.forEach(p -> at.put(p, startedAt - replay.toMillis()));
        Map<TopicPartition, OffsetAndTimestamp> offsets = c.offsetsForTimes(at);
        for (TopicPartition partition : partitions) {
            OffsetAndTimestamp offset = offsets.get(partition);
            if (offset == null) {
                c.seekToEnd(List.of(partition));
            } else {
                c.seek(partition, offset.offset());
            }
        }
    }

    private Map<String, Object> config() {
        Map<String, Object> config = new HashMap<>();
        kafka.forEach((key, value) -> {
            // Quarkus-only keys of the shared map, not consumer settings
            if (!key.startsWith("tls") && !key.startsWith("devservices") && !key.startsWith("health")
                    && !key.startsWith("snappy")) {
                config.put(key, value);
            }
        });
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "segment-read-model");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // membership events written by a Kafka Streams transaction that aborted are replayed by the next owner
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return config;
    }

    private void pause() {
        try {
            Thread.sleep(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
