package io.cohort.feature.streaming;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.contracts.FeatureVector;
import io.cohort.contracts.Topics;
import io.cohort.feature.domain.AccountRollup;
import io.cohort.feature.domain.Rfm;
import io.cohort.support.streams.JsonSerde;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The features stream. Sub-topology 0, keyed by subscriber: {@code cohort.events.v1} and
 * {@code cohort.erasure.v1} feed {@link SubscriberFeatureProcessor}, which folds each event into
 * {@link #SUBSCRIBERS}, marks the subscriber (in memory, {@link PendingSubscribers}) and, every
 * coalescing interval, publishes each marked subscriber's changed vector to {@code cohort.features.v1}.
 * A subscriber whose contribution to an account changed sends it through the {@link #ACCOUNT_INPUTS} repartition
 * (keyed by account) to sub-topology 1, {@link AccountProcessor}, which keeps running sums per
 * account and fans a changed rollup out to every contact through the {@link #CONTACT_ROLLUPS}
 * repartition (keyed by subscriber, co-partitioned with the events) back into sub-topology 0, where
 * {@link AccountRollupReceiver} stores it with the subscriber and marks them. Everything commits
 * with exactly-once v2: store writes, outputs, dead letters and input offsets together.
 */
public final class FeatureTopology {

    public static final String APPLICATION_ID = "feature-service-features";
    public static final String SUBSCRIBERS = "subscriber-state";
    public static final String ERASED = "erased-subscribers";
    /** Per task: the day and RFM boundaries its subscribers were last slid to (so a restart does not rescan). */
    public static final String SLIDE = "slide-progress";
    public static final String ACCOUNT_CONTACTS = "account-contacts";
    public static final String ACCOUNTS = "account-tallies";
    public static final String DIRTY_ACCOUNTS = "dirty-accounts";
    public static final String ACCOUNT_INPUTS = "account-inputs";
    public static final String CONTACT_ROLLUPS = "contact-rollups";

    private FeatureTopology() {
    }

    /**
     * @param json    the application's mapper (vectors are written exactly as the PostgreSQL path writes them)
     * @param rfm     the RFM boundaries in force (read per computation; refreshed off the hot path)
     */
    public static Topology build(ObjectMapper json, Supplier<Rfm.Boundaries> rfm, Clock clock,
            StreamsEngineConfig config, FeatureStreamMetrics metrics) {
        // state values are binary (FeatureStoreSerdes); this mapper only reads values the first engine stored
        // as JSON. Caching folds a subscriber's writes within one commit interval into one RocksDB write and
        // one changelog record
        ObjectMapper compact = json.copy().setDefaultPropertyInclusion(
                JsonInclude.Value.construct(JsonInclude.Include.NON_DEFAULT, JsonInclude.Include.ALWAYS));
        PendingSubscribers pending = new PendingSubscribers();
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SUBSCRIBERS),
                Serdes.String(), FeatureStoreSerdes.subscribers(compact)).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ERASED), Serdes.String(),
                Serdes.String()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SLIDE), Serdes.String(),
                Serdes.String()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ACCOUNT_CONTACTS),
                Serdes.String(), FeatureStoreSerdes.contributions(compact)).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ACCOUNTS), Serdes.String(),
                FeatureStoreSerdes.accounts(compact)).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DIRTY_ACCOUNTS),
                Serdes.String(), Serdes.Long()).withCachingEnabled());

        KStream<String, Routed> out = builder.stream(List.of(Topics.EVENTS, Topics.ERASURE),
                        Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("events-and-erasures"))
                .process(() -> new SubscriberFeatureProcessor(json, rfm, clock, config, metrics, pending),
                        Named.as("subscriber-features"), SUBSCRIBERS, ERASED, SLIDE);
        Map<String, KStream<String, Routed>> routes = out.split(Named.as("route-"))
                .branch((key, routed) -> routed.route() == Routed.Route.VECTOR, Branched.as("vectors"))
                .branch((key, routed) -> routed.route() == Routed.Route.ACCOUNT, Branched.as("accounts"))
                .defaultBranch(Branched.as("dead-letters"));
        routes.get("route-vectors").mapValues(routed -> (FeatureVector) routed.payload(), Named.as("vector-values"))
                .to(Topics.FEATURES, Produced.with(Serdes.String(), Serdes.serdeFrom(new FeatureVectorJson(json),
                        new JsonSerde<>(json, FeatureVector.class).deserializer()))
                        .withName("features-sink"));
        routes.get("route-dead-letters").mapValues(routed -> (byte[]) routed.payload(), Named.as("dead-letter-values"))
                .to(Topics.FEATURE_SERVICE_DLQ, Produced.with(Serdes.String(), Serdes.ByteArray())
                        .withName("dead-letters-sink"));
        routes.get("route-accounts").mapValues(routed -> (AccountInput) routed.payload(), Named.as("account-values"))
                .repartition(Repartitioned.<String, AccountInput>as(ACCOUNT_INPUTS).withKeySerde(Serdes.String())
                        .withValueSerde(FeatureStoreSerdes.accountInputs(compact))
                        .withNumberOfPartitions(config.partitions()))
                .process(() -> new AccountProcessor(clock, config.accountCoalesce(), metrics), Named.as("accounts"),
                        ACCOUNT_CONTACTS, ACCOUNTS, DIRTY_ACCOUNTS)
                .repartition(Repartitioned.<String, AccountRollup>as(CONTACT_ROLLUPS).withKeySerde(Serdes.String())
                        .withValueSerde(FeatureStoreSerdes.rollups(compact))
                        .withNumberOfPartitions(config.partitions()))
                .process(() -> new AccountRollupReceiver(clock, pending), Named.as("contact-rollup-receiver"),
                        SUBSCRIBERS);
        return builder.build();
    }
}
