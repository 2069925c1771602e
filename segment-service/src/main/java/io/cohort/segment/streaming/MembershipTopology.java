package io.cohort.segment.streaming;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.contracts.Topics;
import io.cohort.segment.domain.ActiveSegments;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The memberships stream: features, scores and erasure requests (co-partitioned by subscriber id)
 * update a view per subscriber in {@link #VIEWS}; each changed view is evaluated against the active
 * segments, the memberships kept in {@link #MEMBERSHIPS} and, by segment, in {@link #MEMBERS}; one
 * entered/exited event per real transition goes to {@link Topics#SEGMENT_MEMBERSHIP}; erasures are
 * registered in {@link #ERASED}; records that can never be used go to {@link Topics#SEGMENT_SERVICE_DLQ}.
 * Every store is persistent (RocksDB) with a changelog topic (binary values: {@link StoreSerdes}); with
 * exactly-once v2 the store writes, the events, the dead letters and the input offsets commit together.
 */
public final class MembershipTopology {

    public static final String VIEWS = "subscriber-views";
    public static final String MEMBERSHIPS = "subscriber-memberships";
    /** Memberships by segment ({@code <segmentId>/<subscriberId>}): member pages and sizes read a range of it. */
    public static final String MEMBERS = "segment-members";
    /** Erased subscribers: hashed id to the erasure's time (ISO-8601), never the id itself. */
    public static final String ERASED = "erased-subscribers";
    static final String FEATURES_SOURCE = "features";
    static final String SCORES_SOURCE = "scores";
    static final String ERASURE_SOURCE = "erasures";
    static final String PROCESSOR = "memberships";
    static final String SINK = "membership-events";
    static final String DEAD_LETTERS = "dead-letters";

    private MembershipTopology() {
    }

    /**
     * @param rescanCheck how often each task checks whether the definitions changed (then it rescans)
     * @param rescanPageInterval how often a rescan in progress evaluates its next page
     * @param rescanBatch views evaluated per page
     */
    public record Settings(Duration rescanCheck, Duration rescanPageInterval, int rescanBatch) {

        public Settings {
            if (rescanBatch < 1) {
                throw new IllegalArgumentException("rescanBatch must be at least 1");
            }
        }
    }

    /** With the default paging (pages of 1000 views every 50 ms) and nobody listening. */
    public static Topology build(ObjectMapper json, Supplier<ActiveSegments> segments, Clock clock,
            Duration rescanCheck) {
        return build(json, segments, clock, new Settings(rescanCheck, Duration.ofMillis(50), 1000), TaskListener.NONE);
    }

    /** @param segments the active definitions, read per record and per page (kept fresh by the caller) */
    public static Topology build(ObjectMapper json, Supplier<ActiveSegments> segments, Clock clock,
            Settings settings, TaskListener listener) {
        Topology topology = new Topology();
        topology.addSource(FEATURES_SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                Topics.FEATURES);
        topology.addSource(SCORES_SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                Topics.SCORES);
        topology.addSource(ERASURE_SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                Topics.ERASURE);
        topology.addProcessor(PROCESSOR, () -> new MembershipProcessor(json, segments, clock, settings, listener),
                FEATURES_SOURCE, SCORES_SOURCE, ERASURE_SOURCE);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(VIEWS), Serdes.String(),
                StoreSerdes.views(json)), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(MEMBERSHIPS),
                Serdes.String(), StoreSerdes.memberships(json)), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(MEMBERS),
                Serdes.String(), StoreSerdes.members(json)), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ERASED),
                Serdes.String(), Serdes.String()), PROCESSOR);
        topology.addSink(SINK, Topics.SEGMENT_MEMBERSHIP, Serdes.String().serializer(),
                new MembershipEventJson(json), PROCESSOR);
        topology.addSink(DEAD_LETTERS, Topics.SEGMENT_SERVICE_DLQ, Serdes.String().serializer(),
                Serdes.ByteArray().serializer(), PROCESSOR);
        return topology;
    }
}
