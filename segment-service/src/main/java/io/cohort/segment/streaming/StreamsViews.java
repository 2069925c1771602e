package io.cohort.segment.streaming;

import io.cohort.segment.domain.SubscriberView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.function.Consumer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Every view of this instance's active partitions of {@link MembershipTopology#VIEWS}, each partition
 * queried on its own ({@link StoreQueryParameters#withPartition}) so a partition that moves away
 * mid-read fails the whole read instead of silently dropping its views (e.g. for a preview, which
 * the caller merges with the other instances' answers).
 */
@ApplicationScoped
public class StreamsViews {

    private final Instance<KafkaStreams> streams;

    public StreamsViews(Instance<KafkaStreams> streams) {
        this.streams = streams;
    }

    /** Hands every local view to {@code sink}; unavailable while not running, restoring or rebalancing. */
    public void forEachLocal(Consumer<SubscriberView> sink) {
        KafkaStreams kafkaStreams = streams.isResolvable() ? streams.get() : null;
        if (kafkaStreams == null || kafkaStreams.state() != KafkaStreams.State.RUNNING) {
            throw new StreamsUnavailableException("stream processing is not running ("
                    + (kafkaStreams == null ? "absent" : kafkaStreams.state()) + ")");
        }
        for (int partition : StreamsMembers.localPartitions(kafkaStreams)) {
            try (KeyValueIterator<String, SubscriberView> all = kafkaStreams.store(StoreQueryParameters
                    .<ReadOnlyKeyValueStore<String, SubscriberView>>fromNameAndType(MembershipTopology.VIEWS,
                            QueryableStoreTypes.keyValueStore()).withPartition(partition)).all()) {
                all.forEachRemaining(entry -> sink.accept(entry.value));
            } catch (InvalidStateStoreException e) {
                throw new StreamsUnavailableException("views store not queryable: " + e.getMessage());
            }
        }
    }
}
