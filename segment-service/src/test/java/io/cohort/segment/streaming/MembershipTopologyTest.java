package io.cohort.segment.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.cohort.contracts.DeadLetterHeaders;
import io.cohort.contracts.MembershipChange;
import io.cohort.contracts.SegmentMembershipEvent;
import io.cohort.contracts.Topics;
import io.cohort.segment.domain.ActiveSegments;
import io.cohort.segment.domain.Condition;
import io.cohort.segment.domain.Operator;
import io.cohort.segment.domain.Segment;
import io.cohort.segment.domain.SegmentDefinition;
import io.cohort.segment.domain.SubscriberView;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The memberships stream on Kafka Streams' TopologyTestDriver: stores, transitions, tombstones. */
class MembershipTopologyTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final Segment OPENERS = new Segment(UUID.randomUUID(), 1, NOW, SegmentDefinition.rule("Openers",
            new Condition.Compare("emails_opened_30d", Operator.GTE, 3)));
    private static final Segment CLUSTER_2 = new Segment(UUID.randomUUID(), 1, NOW,
            SegmentDefinition.cluster("Cluster two", 2));

    private final AtomicReference<ActiveSegments> segments = new AtomicReference<>(
            new ActiveSegments(1, List.of(OPENERS, CLUSTER_2)));
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> features;
    private TestInputTopic<String, byte[]> scores;
    private TestOutputTopic<String, byte[]> events;
    private TestOutputTopic<String, byte[]> deadLetters;

    @BeforeEach
    void start() {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "segment-topology-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.STATE_DIR_CONFIG, "target/kafka-streams-test/" + UUID.randomUUID());
        driver = new TopologyTestDriver(MembershipTopology.build(JSON, segments::get, Clock.fixed(NOW,
                ZoneOffset.UTC), Duration.ofSeconds(1)), config);
        features = driver.createInputTopic(Topics.FEATURES, Serdes.String().serializer(),
                Serdes.ByteArray().serializer());
        scores = driver.createInputTopic(Topics.SCORES, Serdes.String().serializer(), Serdes.ByteArray().serializer());
        events = driver.createOutputTopic(Topics.SEGMENT_MEMBERSHIP, Serdes.String().deserializer(),
                Serdes.ByteArray().deserializer());
        deadLetters = driver.createOutputTopic(Topics.SEGMENT_SERVICE_DLQ, Serdes.String().deserializer(),
                Serdes.ByteArray().deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void entersOnceAndNotAgainForAnUnchangedOrOlderVector() {
        features.pipeInput("s1", vector("s1", 1, 5));
        List<SegmentMembershipEvent> first = drain();
        assertEquals(1, first.size());
        SegmentMembershipEvent entered = first.get(0);
        assertEquals(MembershipChange.ENTERED, entered.change());
        assertEquals("s1", entered.subscriberId());
        assertEquals(OPENERS.id().toString(), entered.segmentId());
        assertEquals("Openers", entered.segmentName());
        assertEquals(NOW, entered.occurredAt());

        features.pipeInput("s1", vector("s1", 1, 5)); // redelivered
        features.pipeInput("s1", vector("s1", 2, 4)); // newer, still a member
        features.pipeInput("s1", vector("s1", 1, 0)); // older than held: ignored
        assertEquals(List.of(), drain());
        assertEquals(1, memberships("s1").size());
    }

    @Test
    void exitsWhenTheVectorNoLongerMatches() {
        features.pipeInput("s2", vector("s2", 1, 5));
        features.pipeInput("s2", vector("s2", 2, 1));
        List<SegmentMembershipEvent> out = drain();
        assertEquals(List.of(MembershipChange.ENTERED, MembershipChange.EXITED),
                out.stream().map(SegmentMembershipEvent::change).toList());
        assertTrue(out.get(1).reason().contains("emails_opened_30d"), out.get(1).reason());
        assertNull(driver.getKeyValueStore(MembershipTopology.MEMBERSHIPS).get("s2"));
    }

    @Test
    void featuresAndScoresMergeIntoOneView() {
        features.pipeInput("s3", vector("s3", 7, 5));
        scores.pipeInput("s3", scores("s3", 7, 2));
        List<SegmentMembershipEvent> out = drain();
        assertEquals(List.of(OPENERS.id().toString(), CLUSTER_2.id().toString()),
                out.stream().map(SegmentMembershipEvent::segmentId).toList());
        SubscriberView view = (SubscriberView) driver.getKeyValueStore(MembershipTopology.VIEWS).get("s3");
        assertEquals(7L, view.featureVersion());
        assertEquals(2, view.clusterId());
        assertEquals(5.0, view.features().get("emails_opened_30d"));
        assertEquals(0.4, view.scores().get("p_click_7d"));

        scores.pipeInput("s3", scores("s3", 7, 2)); // same scores again: nothing
        assertEquals(List.of(), drain());
    }

    @Test
    void aTombstoneErasesTheViewAndExitsEveryMembership() {
        features.pipeInput("s4", vector("s4", 1, 5));
        scores.pipeInput("s4", scores("s4", 1, 2));
        drain();
        features.pipeInput("s4", (byte[]) null);
        List<SegmentMembershipEvent> out = drain();
        assertEquals(2, out.size());
        out.forEach(e -> {
            assertEquals(MembershipChange.EXITED, e.change());
            assertEquals("subscriber erased", e.reason());
        });
        assertNull(driver.getKeyValueStore(MembershipTopology.VIEWS).get("s4"));
        assertNull(driver.getKeyValueStore(MembershipTopology.MEMBERSHIPS).get("s4"));
        features.pipeInput("s4", (byte[]) null); // erased twice: nothing more
        assertEquals(List.of(), drain());
    }

    @Test
    void changedDefinitionsReEvaluateTheHeldViews() {
        features.pipeInput("s5", vector("s5", 1, 5));
        drain();
        Segment heavy = new Segment(UUID.randomUUID(), 1, NOW, SegmentDefinition.rule("Heavy openers",
                new Condition.Compare("emails_opened_30d", Operator.GTE, 5)));
        segments.set(new ActiveSegments(2, List.of(CLUSTER_2, heavy))); // Openers archived, Heavy created
        driver.advanceWallClockTime(Duration.ofSeconds(2));
        List<SegmentMembershipEvent> out = drain();
        assertEquals(2, out.size());
        assertEquals(MembershipChange.ENTERED, out.get(0).change());
        assertEquals(heavy.id().toString(), out.get(0).segmentId());
        assertEquals(MembershipChange.EXITED, out.get(1).change());
        assertEquals("segment archived", out.get(1).reason());
        driver.advanceWallClockTime(Duration.ofSeconds(2)); // same generation: nothing
        assertEquals(List.of(), drain());
    }

    @Test
    void anUnusableRecordIsDeadLetteredAndThePartitionMovesOn() {
        features.pipeInput("s6", "not json".getBytes(StandardCharsets.UTF_8));
        scores.pipeInput("s6", vector("other", 1, 5)); // not scores, and another subscriber
        features.pipeInput("s6", vector("other", 1, 5)); // names another subscriber than its key
        features.pipeInput("s6", vector("s6", 1, 5));
        assertEquals(1, drain().size());
        var dead = deadLetters.readRecordsToList();
        assertEquals(3, dead.size());
        assertEquals("s6", dead.get(0).key());
        assertEquals("not json", new String(dead.get(0).value(), StandardCharsets.UTF_8));
        assertEquals(Topics.FEATURES, header(dead.get(0), DeadLetterHeaders.TOPIC));
        assertEquals("0", header(dead.get(0), DeadLetterHeaders.OFFSET));
        assertEquals(Topics.SCORES, header(dead.get(1), DeadLetterHeaders.TOPIC));
        assertTrue(header(dead.get(2), DeadLetterHeaders.ERROR).contains("differs from the record key"));
        assertEquals("segment-service", header(dead.get(2), DeadLetterHeaders.SERVICE));
    }

    private static String header(org.apache.kafka.streams.test.TestRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private List<io.cohort.segment.domain.Membership> memberships(String subscriber) {
        StoredMemberships stored = (StoredMemberships) driver.getKeyValueStore(MembershipTopology.MEMBERSHIPS)
                .get(subscriber);
        return stored == null ? List.of() : stored.items();
    }

    private List<SegmentMembershipEvent> drain() {
        return events.readValuesToList().stream().map(bytes -> {
            try {
                return JSON.readValue(bytes, SegmentMembershipEvent.class);
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }).toList();
    }

    private static byte[] vector(String subscriber, long version, int opens) {
        return ("{\"schemaVersion\":1,\"subscriberId\":\"" + subscriber + "\",\"version\":" + version
                + ",\"computedAt\":\"" + NOW + "\",\"features\":{\"emails_opened_30d\":" + opens + "}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] scores(String subscriber, long featureVersion, int cluster) {
        return ("{\"schemaVersion\":1,\"subscriberId\":\"" + subscriber + "\",\"featureVersion\":" + featureVersion
                + ",\"scoredAt\":\"" + NOW + "\",\"cluster\":{\"modelFamily\":\"behavioural-kmeans\",\"modelVersion\":1,"
                + "\"clusterId\":" + cluster + ",\"clusterName\":\"Cluster " + cluster + "\"},"
                + "\"scores\":{\"p_click_7d\":0.4},\"modelVersions\":{\"behavioural-kmeans\":1}}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
