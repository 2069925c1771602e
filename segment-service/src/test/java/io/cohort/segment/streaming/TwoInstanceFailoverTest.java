package io.cohort.segment.streaming;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.cohort.contracts.MembershipChange;
import io.cohort.contracts.SegmentMembershipEvent;
import io.cohort.contracts.Topics;
import io.cohort.devstack.DevStack;
import io.cohort.segment.domain.ActiveSegments;
import io.cohort.segment.domain.Condition;
import io.cohort.segment.domain.Membership;
import io.cohort.segment.domain.Operator;
import io.cohort.segment.domain.Segment;
import io.cohort.segment.domain.SegmentDefinition;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two instances of the membership topology against the devstack broker (distinct state
 * directories and application.server values, one application id): both hold partitions; every
 * subscriber's lookup is answered by the owner either instance names; then one instance stops in
 * the middle of a stream of changes and the other takes its partitions over from the changelogs.
 * Every subscriber must end with exactly the transitions of their vectors (entered, exited, entered:
 * none lost, none doubled, read committed) and be answered by the survivor.
 */
class TwoInstanceFailoverTest {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final int SUBSCRIBERS = 60;
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final Segment openers = new Segment(UUID.randomUUID(), 1, Instant.now(), SegmentDefinition.rule(
            "Failover openers " + run, new Condition.Compare("emails_opened_30d", Operator.GTE, 3)));
    private final List<KafkaStreams> instances = new ArrayList<>();

    @AfterEach
    void stop() {
        instances.forEach(instance -> instance.close(Duration.ofSeconds(10)));
    }

    @Test
    void theSurvivorTakesOverFromTheChangelogsWithExactMemberships() {
        String bootstrap = DevStack.shared().kafkaBootstrapServers();
        KafkaStreams a = start(bootstrap, "a", 7001);
        KafkaStreams b = start(bootstrap, "b", 7002);
        await().atMost(WAIT).until(() -> a.state() == KafkaStreams.State.RUNNING
                && b.state() == KafkaStreams.State.RUNNING && !StreamsMembers.localPartitions(a).isEmpty()
                && !StreamsMembers.localPartitions(b).isEmpty());

        List<String> subscribers = new ArrayList<>();
        for (int i = 0; i < SUBSCRIBERS; i++) {
            subscribers.add("failover-" + run + "-" + i);
        }
        try (KafkaProducer<String, String> producer = producer(bootstrap)) {
            subscribers.forEach(s -> send(producer, s, 1, 5));
            producer.flush();
            await().atMost(WAIT).until(() -> subscribers.stream().allMatch(s -> lookup(s, a).size() == 1
                    && lookup(s, b).size() == 1));
            for (String s : subscribers) {
                assertEquals(owner(s, a), owner(s, b), s + ": both instances name the same owner");
            }
            // both instances own someone, and each asks the owner the other names
            Map<String, Integer> owners = new HashMap<>();
            subscribers.forEach(s -> owners.merge(owner(s, a).activeHost().host() + ":"
                    + owner(s, a).activeHost().port(), 1, Integer::sum));
            assertEquals(2, owners.size(), "subscribers spread over both instances: " + owners);

            // mid-stream: exits and re-entries in flight while instance a leaves
            for (String s : subscribers.subList(0, SUBSCRIBERS / 2)) {
                send(producer, s, 2, 1);
                send(producer, s, 3, 5);
            }
            producer.flush();
            a.close(new KafkaStreams.CloseOptions().leaveGroup(true).timeout(Duration.ofSeconds(30)));
            for (String s : subscribers.subList(SUBSCRIBERS / 2, SUBSCRIBERS)) {
                send(producer, s, 2, 1);
                send(producer, s, 3, 5);
            }
            producer.flush();
        }
        await().atMost(WAIT).until(() -> b.state() == KafkaStreams.State.RUNNING
                && StreamsMembers.localPartitions(b).size() == 3);

        Map<String, List<MembershipChange>> changes = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer(bootstrap)) {
            await().atMost(WAIT).until(() -> {
                read(consumer, changes);
                return subscribers.stream().allMatch(s -> changes.getOrDefault(s, List.of()).size() >= 3);
            });
            read(consumer, changes); // anything doubled would be committed by now too
        }
        List<MembershipChange> expected = List.of(MembershipChange.ENTERED, MembershipChange.EXITED,
                MembershipChange.ENTERED);
        for (String s : subscribers) {
            assertEquals(expected, changes.get(s), s + ": exactly one event per real transition");
            List<Membership> held = lookup(s, b);
            assertEquals(1, held.size(), s + " answered by the survivor");
            assertEquals(openers.id(), held.get(0).segmentId());
            assertFalse(owner(s, b).activeHost().port() == 7001, "nothing routed to the stopped instance");
        }
        assertTrue(b.metadataForAllStreamsClients().stream().allMatch(m -> m.hostInfo().port() == 7002));
    }

    private KafkaStreams start(String bootstrap, String name, int port) {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "segment-failover-test-" + run);
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.STATE_DIR_CONFIG, "target/kafka-streams-failover/" + run + "/" + name);
        config.put(StreamsConfig.APPLICATION_SERVER_CONFIG, "localhost:" + port);
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        config.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 0);
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        KafkaStreams instance = new KafkaStreams(MembershipTopology.build(JSON,
                () -> new ActiveSegments(1, List.of(openers)), Clock.systemUTC(), new MembershipTopology.Settings(
                        Duration.ofSeconds(1), Duration.ofMillis(50), 1000), TaskListener.NONE), config);
        instances.add(instance);
        instance.start();
        return instance;
    }

    /** Where either instance says the subscriber lives. */
    private static KeyQueryMetadata owner(String subscriber, KafkaStreams asked) {
        return asked.queryMetadataForKey(MembershipTopology.MEMBERSHIPS, subscriber, Serdes.String().serializer());
    }

    /** The subscriber's memberships, asked of {@code asked} and answered from the owner it names. */
    private List<Membership> lookup(String subscriber, KafkaStreams asked) {
        KeyQueryMetadata metadata = owner(subscriber, asked);
        KafkaStreams owner = instances.stream().filter(i -> i.state() == KafkaStreams.State.RUNNING)
                .filter(i -> StreamsMembers.localPartitions(i).contains(metadata.partition()))
                .findFirst().orElseThrow(() -> new AssertionError("no running instance owns " + metadata));
        StoredMemberships held = owner.store(StoreQueryParameters.<ReadOnlyKeyValueStore<String, StoredMemberships>>
                fromNameAndType(MembershipTopology.MEMBERSHIPS, QueryableStoreTypes.keyValueStore())
                .withPartition(metadata.partition())).get(subscriber);
        return held == null ? List.of() : held.items();
    }

    private void send(KafkaProducer<String, String> producer, String subscriber, long version, int opens) {
        producer.send(new ProducerRecord<>(Topics.FEATURES, subscriber, "{\"schemaVersion\":1,\"subscriberId\":\""
                + subscriber + "\",\"version\":" + version + ",\"computedAt\":\"" + Instant.now()
                + "\",\"features\":{\"emails_opened_30d\":" + opens + "}}"));
    }

    private void read(KafkaConsumer<String, byte[]> consumer, Map<String, List<MembershipChange>> changes) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
            SegmentMembershipEvent event;
            try {
                event = JSON.readValue(record.value(), SegmentMembershipEvent.class);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            if (event.segmentId().equals(openers.id().toString())) {
                changes.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(event.change());
            }
        }
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, byte[]> consumer(String bootstrap) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.SEGMENT_MEMBERSHIP).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }
}
