package io.cohort.segment.streaming;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.segment.domain.MemberMerge;
import io.cohort.segment.persistence.MembershipRepository.HoldoutFilter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Member pages and sizes of one segment from this instance's share of the {@link MembershipTopology#MEMBERS}
 * store: each active partition is queried on its own ({@link StoreQueryParameters#withPartition}), its
 * range read in key order and the partitions merged by {@link MemberMerge}. The other instances'
 * shares are fetched and merged by the caller (see {@code api/StreamsMemberPages}).
 */
@ApplicationScoped
public class StreamsMembers {

    private final Instance<KafkaStreams> streams;
    private final StreamsLookup lookup;
    private final ObjectMapper json;

    public StreamsMembers(Instance<KafkaStreams> streams, StreamsLookup lookup, ObjectMapper json) {
        this.streams = streams;
        this.lookup = lookup;
        this.json = json;
    }

    /** One member of the local store. */
    public record Entry(String subscriberId, StoredMember member) {
    }

    /** Which members a listing wants. */
    public record Filter(HoldoutFilter holdout, boolean eligibleOnly) {

        boolean accepts(StoredMember member) {
            if (eligibleOnly && !member.eligible()) {
                return false;
            }
            return switch (holdout) {
                case INCLUDE -> true;
                case EXCLUDE -> !member.holdout();
                case ONLY -> member.holdout();
            };
        }
    }

    /** Members, send-eligible members and held-out members of a segment. */
    public record Counts(long size, long eligible, long holdout) {

        public Counts plus(Counts other) {
            return new Counts(size + other.size, eligible + other.eligible, holdout + other.holdout);
        }
    }

    /** Up to {@code limit} members after {@code after} ("" from the start) over this instance's partitions. */
    public MemberMerge.Page<Entry> localPage(UUID segmentId, String after, int limit, Filter filter) {
        KafkaStreams kafkaStreams = running();
        List<MemberMerge.Page<Entry>> pages = new ArrayList<>();
        for (int partition : localPartitions(kafkaStreams)) {
            List<Entry> items = new ArrayList<>();
            boolean more = false;
            try (KeyValueIterator<String, StoredMember> range = store(kafkaStreams, partition)
                    .range(MemberIndex.from(segmentId, after), MemberIndex.to(segmentId))) {
                while (range.hasNext()) {
                    KeyValue<String, StoredMember> entry = range.next();
                    String subscriberId = MemberIndex.subscriberOf(entry.key);
                    if (subscriberId.equals(after) || !filter.accepts(entry.value)) {
                        continue;
                    }
                    if (items.size() == limit) {
                        more = true;
                        break;
                    }
                    items.add(new Entry(subscriberId, entry.value));
                }
            } catch (InvalidStateStoreException e) {
                throw new StreamsUnavailableException("members store not queryable: " + e.getMessage());
            }
            pages.add(new MemberMerge.Page<>(items, more));
        }
        return MemberMerge.merge(pages, Entry::subscriberId, limit);
    }

    /** The segment's counts over this instance's partitions. */
    public Counts localCounts(UUID segmentId) {
        KafkaStreams kafkaStreams = running();
        long size = 0;
        long eligible = 0;
        long holdout = 0;
        for (int partition : localPartitions(kafkaStreams)) {
            try (KeyValueIterator<String, StoredMember> range = store(kafkaStreams, partition)
                    .range(MemberIndex.from(segmentId, ""), MemberIndex.to(segmentId))) {
                while (range.hasNext()) {
                    StoredMember member = range.next().value;
                    size++;
                    eligible += member.eligible() ? 1 : 0;
                    holdout += member.holdout() ? 1 : 0;
                }
            } catch (InvalidStateStoreException e) {
                throw new StreamsUnavailableException("members store not queryable: " + e.getMessage());
            }
        }
        return new Counts(size, eligible, holdout);
    }

    /** The segment's counts over every instance: this one's plus each other's {@code GET /v1/segments/{id}/size}. */
    public Counts counts(UUID segmentId) {
        Counts counts = localCounts(segmentId);
        for (StreamsLookup.Remote other : lookup.others()) {
            try {
                JsonNode size = json.readTree(lookup.ask(other, "/v1/segments/" + segmentId + "/size"));
                counts = counts.plus(new Counts(size.path("size").asLong(), size.path("eligible").asLong(),
                        size.path("holdout").asLong()));
            } catch (IOException e) {
                throw new StreamsUnavailableException("another instance's size could not be read");
            }
        }
        return counts;
    }

    private KafkaStreams running() {
        KafkaStreams kafkaStreams = streams.isResolvable() ? streams.get() : null;
        if (kafkaStreams == null || kafkaStreams.state() != KafkaStreams.State.RUNNING) {
            throw new StreamsUnavailableException("stream processing is not running ("
                    + (kafkaStreams == null ? "absent" : kafkaStreams.state()) + ")");
        }
        return kafkaStreams;
    }

    /** The partitions of this instance's active tasks (one sub-topology: task partition = store partition). */
    static Set<Integer> localPartitions(KafkaStreams kafkaStreams) {
        Set<Integer> partitions = new TreeSet<>();
        for (ThreadMetadata thread : kafkaStreams.metadataForLocalThreads()) {
            thread.activeTasks().forEach(task -> partitions.add(task.taskId().partition()));
        }
        return partitions;
    }

    private static ReadOnlyKeyValueStore<String, StoredMember> store(KafkaStreams kafkaStreams, int partition) {
        return kafkaStreams.store(StoreQueryParameters.<ReadOnlyKeyValueStore<String, StoredMember>>fromNameAndType(
                MembershipTopology.MEMBERS, QueryableStoreTypes.keyValueStore()).withPartition(partition));
    }
}
