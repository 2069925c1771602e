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
    private final Recorder listener = new Recorder();
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> erasures;
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
        // pages of 2 views every 100 ms, so a rescan of a few views spans several punctuations
        driver = new TopologyTestDriver(MembershipTopology.build(JSON, segments::get, Clock.fixed(NOW,
                ZoneOffset.UTC), new MembershipTopology.Settings(Duration.ofSeconds(1), Duration.ofMillis(100), 2),
                listener), config);
        erasures = driver.createInputTopic(Topics.ERASURE, Serdes.String().serializer(),
                Serdes.ByteArray().serializer());
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
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        driver.advanceWallClockTime(Duration.ofMillis(100));
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

    @Test
    void theMemberIndexFollowsEveryTransitionAndTheSuppressionOfTheView() {
        features.pipeInput("s7", vector("s7", 1, 5));
        features.pipeInput("s8", vector("s8", 1, 5));
        scores.pipeInput("s8", scores("s8", 1, 2));
        assertEquals(List.of("s7", "s8"), members(OPENERS));
        assertEquals(List.of("s8"), members(CLUSTER_2));
        StoredMember s7 = member(OPENERS, "s7");
        assertEquals(NOW, s7.enteredAt());
        assertTrue(s7.eligible());

        features.pipeInput("s7", ("{\"schemaVersion\":1,\"subscriberId\":\"s7\",\"version\":2,\"features\":"
                + "{\"emails_opened_30d\":6,\"unsubscribed\":1}}").getBytes(StandardCharsets.UTF_8));
        assertTrue(member(OPENERS, "s7").suppressed(), "the index follows the view's suppression");
        features.pipeInput("s7", vector("s7", 3, 1)); // no longer an opener
        assertEquals(List.of("s8"), members(OPENERS));
        features.pipeInput("s8", (byte[]) null);
        assertEquals(List.of(), members(OPENERS));
        assertEquals(List.of(), members(CLUSTER_2));
    }

    private List<String> members(Segment segment) {
        List<String> ids = new java.util.ArrayList<>();
        try (var range = driver.<String, StoredMember>getKeyValueStore(MembershipTopology.MEMBERS)
                .range(MemberIndex.from(segment.id(), ""), MemberIndex.to(segment.id()))) {
            range.forEachRemaining(entry -> ids.add(MemberIndex.subscriberOf(entry.key)));
        }
        return ids;
    }

    private StoredMember member(Segment segment, String subscriber) {
        return driver.<String, StoredMember>getKeyValueStore(MembershipTopology.MEMBERS)
                .get(MemberIndex.key(segment.id(), subscriber));
    }

    @Test
    void aRescanIsPagedAcrossPunctuationsAndReportsItsProgress() {
        for (int i = 0; i < 5; i++) {
            features.pipeInput("r" + i, vector("r" + i, 1, 5));
        }
        drain();
        Segment heavy = new Segment(UUID.randomUUID(), 3, NOW, SegmentDefinition.rule("Heavy openers",
                new Condition.Compare("emails_opened_30d", Operator.GTE, 5)));
        segments.set(new ActiveSegments(2, List.of(OPENERS, CLUSTER_2, heavy)));
        driver.advanceWallClockTime(Duration.ofSeconds(1)); // the change is noticed: nothing evaluated yet
        TaskRescan started = listener.last();
        assertEquals(0, started.done());
        assertEquals(false, started.covers(heavy.id(), 3));
        driver.advanceWallClockTime(Duration.ofMillis(100)); // first page: two views
        assertEquals(2, drain().size());
        assertEquals(2, listener.last().done());
        assertEquals(false, listener.last().covers(heavy.id(), 3));
        driver.advanceWallClockTime(Duration.ofMillis(100));
        driver.advanceWallClockTime(Duration.ofMillis(100));
        List<SegmentMembershipEvent> rest = drain();
        assertEquals(List.of("r2", "r3", "r4"), rest.stream().map(SegmentMembershipEvent::subscriberId).toList(),
                "resumed after the last key, each view once");
        TaskRescan done = listener.last();
        assertTrue(done.covers(heavy.id(), 3));
        assertEquals(false, done.covers(heavy.id(), 4), "a later version is not covered");
        assertEquals(5, done.finishedViews());
        assertEquals(new TaskRescan.Transitions(3, 5, 0), done.transitionsOf(heavy.id(), 3),
                "the rescan's transitions of that version: a backfill job's entered/exited");
        assertEquals(new TaskRescan.Transitions(4, 0, 0), done.transitionsOf(heavy.id(), 4));
        driver.advanceWallClockTime(Duration.ofSeconds(2));
        assertEquals(List.of(), drain(), "nothing changed since: no second rescan");
    }

    @Test
    void anErasureExitsEveryMembershipAndDropsDataFromBeforeIt() {
        features.pipeInput("e1", vector("e1", 1, 5));
        drain();
        erasures.pipeInput("e1", ("{\"schemaVersion\":1,\"requestId\":\"r\",\"subscriberId\":\"e1\","
                + "\"requestedAt\":\"" + NOW.plusSeconds(60) + "\"}").getBytes(StandardCharsets.UTF_8));
        List<SegmentMembershipEvent> out = drain();
        assertEquals(1, out.size());
        assertEquals(MembershipChange.EXITED, out.get(0).change());
        assertEquals("subscriber erased", out.get(0).reason());
        assertNull(driver.getKeyValueStore(MembershipTopology.VIEWS).get("e1"));
        assertEquals(List.of(), members(OPENERS));

        features.pipeInput("e1", vector("e1", 2, 5)); // computed at NOW, before the erasure: still in flight
        scores.pipeInput("e1", scores("e1", 2, 2));
        assertEquals(List.of(), drain());
        assertNull(driver.getKeyValueStore(MembershipTopology.VIEWS).get("e1"));
        assertEquals(2, listener.outcomes.stream().filter(o -> o.endsWith("suppressed")).count());

        features.pipeInput("e1", ("{\"schemaVersion\":1,\"subscriberId\":\"e1\",\"version\":3,\"computedAt\":\""
                + NOW.plusSeconds(120) + "\",\"features\":{\"emails_opened_30d\":5}}").getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(MembershipChange.ENTERED), drain().stream().map(SegmentMembershipEvent::change).toList(),
                "data computed after the erasure is a new start");
        erasures.pipeInput("e1", (byte[]) null); // the request compacted away: the register keeps it
        assertEquals(List.of(), drain());
        Object registered = driver.getKeyValueStore(MembershipTopology.ERASED)
                .get(io.cohort.contracts.ErasedIds.hash("e1"));
        assertEquals(NOW.plusSeconds(60).toString(), registered);
        assertNull(driver.getKeyValueStore(MembershipTopology.ERASED).get("e1"), "never the id itself");
    }

    @Test
    void theListenerCountsOutcomesDeadLettersAndTransitions() {
        features.pipeInput("m1", vector("m1", 1, 5));
        features.pipeInput("m1", vector("m1", 1, 5));
        features.pipeInput("m1", "junk".getBytes(StandardCharsets.UTF_8));
        features.pipeInput("m1", (byte[]) null);
        assertEquals(List.of(Topics.FEATURES + " applied", Topics.FEATURES + " stale", Topics.FEATURES + " erased"),
                listener.outcomes);
        assertEquals(List.of(Topics.FEATURES), listener.deadLetters);
        assertEquals(List.of(MembershipChange.ENTERED, MembershipChange.EXITED), listener.changes);
    }

    /** Records what the tasks report. */
    static final class Recorder implements TaskListener {

        final List<String> outcomes = new java.util.ArrayList<>();
        final List<String> deadLetters = new java.util.ArrayList<>();
        final List<MembershipChange> changes = new java.util.ArrayList<>();
        private TaskRescan last;

        @Override
        public void record(String topic, String outcome) {
            outcomes.add(topic + " " + outcome);
        }

        @Override
        public void deadLettered(String topic) {
            deadLetters.add(topic);
        }

        @Override
        public void transitions(List<io.cohort.segment.domain.Transition> transitions) {
            transitions.forEach(t -> changes.add(t.change()));
        }

        @Override
        public void rescan(String taskId, TaskRescan progress) {
            last = progress;
        }

        TaskRescan last() {
            return last;
        }
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
