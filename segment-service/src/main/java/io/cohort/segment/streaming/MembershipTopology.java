package io.cohort.segment.streaming;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.contracts.SegmentMembershipEvent;
import io.cohort.contracts.Topics;
import io.cohort.segment.domain.ActiveSegments;
import io.cohort.segment.domain.SubscriberView;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The memberships stream: features and scores (co-partitioned by subscriber id) update a view per
 * subscriber in {@link #VIEWS}; each changed view is evaluated against the active segments, the
 * memberships kept in {@link #MEMBERSHIPS}, and one entered/exited event per real transition goes to
 * {@link Topics#SEGMENT_MEMBERSHIP}; records that can never be used go to
 * {@link Topics#SEGMENT_SERVICE_DLQ}. Both stores are persistent (RocksDB) with changelog topics;
 * with exactly-once v2 the store writes, the events, the dead letters and the input offsets commit
 * together.
 */
public final class MembershipTopology {

    public static final String VIEWS = "subscriber-views";
    public static final String MEMBERSHIPS = "subscriber-memberships";
    static final String FEATURES_SOURCE = "features";
    static final String SCORES_SOURCE = "scores";
    static final String PROCESSOR = "memberships";
    static final String SINK = "membership-events";
    static final String DEAD_LETTERS = "dead-letters";

    private MembershipTopology() {
    }

    /**
     * @param segments the active definitions, read per record (kept fresh by the caller)
     * @param rescanEvery how often each task checks whether the definitions changed and, if so,
     *        re-evaluates every view it holds (the streams form of a backfill)
     */
    public static Topology build(ObjectMapper json, Supplier<ActiveSegments> segments, Clock clock,
            Duration rescanEvery) {
        Topology topology = new Topology();
        topology.addSource(FEATURES_SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                Topics.FEATURES);
        topology.addSource(SCORES_SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                Topics.SCORES);
        topology.addProcessor(PROCESSOR, () -> new MembershipProcessor(json, segments, clock, rescanEvery),
                FEATURES_SOURCE, SCORES_SOURCE);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(VIEWS), Serdes.String(),
                new JsonSerde<>(json, SubscriberView.class)), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(MEMBERSHIPS),
                Serdes.String(), new JsonSerde<>(json, StoredMemberships.class)), PROCESSOR);
        topology.addSink(SINK, Topics.SEGMENT_MEMBERSHIP, Serdes.String().serializer(),
                new JsonSerde<>(json, SegmentMembershipEvent.class).serializer(), PROCESSOR);
        topology.addSink(DEAD_LETTERS, Topics.SEGMENT_SERVICE_DLQ, Serdes.String().serializer(),
                Serdes.ByteArray().serializer(), PROCESSOR);
        return topology;
    }
}
