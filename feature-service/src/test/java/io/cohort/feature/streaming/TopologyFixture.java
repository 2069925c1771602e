package io.cohort.feature.streaming;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.cohort.contracts.ErasureRequest;
import io.cohort.contracts.EventEnvelope;
import io.cohort.contracts.EventType;
import io.cohort.contracts.FeatureVector;
import io.cohort.contracts.Topics;
import io.cohort.feature.domain.Rfm;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/** The features topology in a TopologyTestDriver, with a clock the test moves and helpers to read its outputs. */
final class TopologyFixture implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    static final Duration COALESCE = Duration.ofMillis(200);
    static final Duration SLIDE_CHECK = Duration.ofMinutes(1);

    final MovableClock clock;
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final TopologyTestDriver driver;
    final TestInputTopic<String, byte[]> events;
    final TestInputTopic<String, byte[]> erasures;
    final TestOutputTopic<String, byte[]> features;
    final TestOutputTopic<String, byte[]> deadLetters;
    volatile Rfm.Boundaries rfm;

    TopologyFixture(Instant start, int slidePage) {
        clock = new MovableClock(start);
        StreamsEngineConfig config = config(slidePage);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, FeatureTopology.APPLICATION_ID);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, System.getProperty("java.io.tmpdir") + "/feature-topology-"
                + UUID.randomUUID());
        driver = new TopologyTestDriver(FeatureTopology.build(JSON, () -> rfm, clock, config,
                new FeatureStreamMetrics(meters)), props, start);
        events = driver.createInputTopic(Topics.EVENTS, new StringSerializer(), new ByteArraySerializer());
        erasures = driver.createInputTopic(Topics.ERASURE, new StringSerializer(), new ByteArraySerializer());
        features = driver.createOutputTopic(Topics.FEATURES, new StringDeserializer(), new ByteArrayDeserializer());
        deadLetters = driver.createOutputTopic(Topics.FEATURE_SERVICE_DLQ, new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    /** The engine's settings as the tests run it: 200 ms ticks, one partition, the given rescan page. */
    static StreamsEngineConfig config(int slidePage) {
        return new StreamsEngineConfig() {
            public Duration coalesce() {
                return COALESCE;
            }

            public Duration accountCoalesce() {
                return COALESCE;
            }

            public Duration slideCheck() {
                return SLIDE_CHECK;
            }

            public int slidePage() {
                return slidePage;
            }

            public int partitions() {
                return 1;
            }

            public Duration forwardTimeout() {
                return Duration.ofSeconds(1);
            }

            public Duration rfmRefresh() {
                return Duration.ofMinutes(1);
            }
        };
    }

    static EventEnvelope track(String subscriber, String event, Map<String, Object> properties, Instant at) {
        return new EventEnvelope(1, UUID.randomUUID().toString(), EventType.TRACK, subscriber, null, null, event, null,
                properties, null, null, at, null, at);
    }

    static EventEnvelope withAccount(EventEnvelope e, String accountId) {
        return new EventEnvelope(e.schemaVersion(), e.messageId(), e.type(), e.userId(), e.anonymousId(), accountId,
                e.event(), e.name(), e.properties(), e.traits(), e.context(), e.timestamp(), e.sentAt(),
                e.receivedAt());
    }

    static EventEnvelope group(String subscriber, String accountId, Map<String, Object> traits, Instant at) {
        return new EventEnvelope(1, UUID.randomUUID().toString(), EventType.GROUP, subscriber, null, accountId, null,
                null, null, traits, null, at, null, at);
    }

    void send(EventEnvelope event) {
        events.pipeInput(event.subscriberKey(), bytes(event));
    }

    void erase(String subscriber, Instant requestedAt) {
        erasures.pipeInput(subscriber, bytes(new ErasureRequest(1, UUID.randomUUID().toString(), subscriber,
                requestedAt)));
    }

    /** Moves both the service clock and the driver's wall clock (punctuations) forward. */
    void advance(Duration by) {
        clock.advance(by);
        driver.advanceWallClockTime(by);
    }

    /** Every record on cohort.features.v1 since the last call: key and vector (null: a tombstone). */
    List<Map.Entry<String, FeatureVector>> published() {
        return features.readRecordsToList().stream().map(TopologyFixture::vector).toList();
    }

    private static Map.Entry<String, FeatureVector> vector(TestRecord<String, byte[]> record) {
        try {
            return new java.util.AbstractMap.SimpleEntry<>(record.key(),
                    record.value() == null ? null : JSON.readValue(record.value(), FeatureVector.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        driver.close();
    }

    /** A clock the test moves. */
    static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
