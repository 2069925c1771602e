package io.cohort.segment.streaming;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.segment.domain.Predictive;
import io.cohort.segment.domain.SubscriberView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Top-N% cutoffs from the views in the stores: the score at rank ceil(n × p / 100) over every view
 * holding it, as the PostgreSQL path computes it ({@link Predictive#cutoff}), in two rounds over
 * the instances: how many views hold the score (n, hence the rank k), then each instance's k highest
 * values, merged; the k-th highest of the union is the cutoff. Only k values per instance travel.
 */
@ApplicationScoped
public class StreamsScores {

    private final Instance<KafkaStreams> streams;
    private final StreamsLookup lookup;
    private final ObjectMapper json;

    public StreamsScores(Instance<KafkaStreams> streams, StreamsLookup lookup, ObjectMapper json) {
        this.streams = streams;
        this.lookup = lookup;
        this.json = json;
    }

    /** This instance's views holding the score, and the {@code top} highest values, highest first. */
    public record Sample(long count, List<Double> top) {
    }

    /** The cutoff for the top {@code percent} of the score over every instance; null when nobody holds it. */
    public Double cutoff(String score, double percent) {
        long n = local(score, 0).count();
        List<StreamsLookup.Remote> others = lookup.others();
        for (StreamsLookup.Remote other : others) {
            n += ask(other, score, 0).count();
        }
        if (n == 0) {
            return null;
        }
        int rank = Predictive.rank(n, percent);
        List<Double> merged = new ArrayList<>(local(score, rank).top());
        for (StreamsLookup.Remote other : others) {
            merged.addAll(ask(other, score, rank).top());
        }
        merged.sort(java.util.Comparator.reverseOrder());
        // a view moved between the two rounds can shorten the union: the lowest value known is the best cutoff then
        return merged.isEmpty() ? null : merged.get(Math.min(rank, merged.size()) - 1);
    }

    /** Over this instance's active partitions. */
    public Sample local(String score, int top) {
        KafkaStreams kafkaStreams = streams.isResolvable() ? streams.get() : null;
        if (kafkaStreams == null || kafkaStreams.state() != KafkaStreams.State.RUNNING) {
            throw new StreamsUnavailableException("stream processing is not running");
        }
        PriorityQueue<Double> highest = new PriorityQueue<>();
        long count = 0;
        try (KeyValueIterator<String, SubscriberView> all = kafkaStreams.store(StoreQueryParameters
                .<ReadOnlyKeyValueStore<String, SubscriberView>>fromNameAndType(MembershipTopology.VIEWS,
                        QueryableStoreTypes.keyValueStore())).all()) {
            while (all.hasNext()) {
                Double value = all.next().value.scores().get(score);
                if (value == null || value.isNaN()) {
                    continue;
                }
                count++;
                if (top > 0 && (highest.size() < top || value > highest.peek())) {
                    highest.add(value);
                    if (highest.size() > top) {
                        highest.poll();
                    }
                }
            }
        } catch (InvalidStateStoreException e) {
            throw new StreamsUnavailableException("views store not queryable: " + e.getMessage());
        }
        List<Double> values = new ArrayList<>(highest);
        values.sort(java.util.Comparator.reverseOrder());
        return new Sample(count, values);
    }

    private Sample ask(StreamsLookup.Remote other, String score, int top) {
        try {
            return json.readValue(lookup.ask(other, "/v1/streams/scores/" + URLEncoder.encode(score,
                    StandardCharsets.UTF_8) + "?top=" + top), Sample.class);
        } catch (IOException e) {
            throw new StreamsUnavailableException("another instance's scores could not be read");
        }
    }
}
