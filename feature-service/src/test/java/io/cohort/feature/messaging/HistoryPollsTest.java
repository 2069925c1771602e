package io.cohort.feature.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The history consumer asks for larger fetches only where it is off the hot path (streams engine). */
class HistoryPollsTest {

    private static final HistoryPolls.Settings SETTINGS = new HistoryPolls.Settings() {
        @Override
        public int fetchMinBytes() {
            return 524288;
        }

        @Override
        public Duration fetchMaxWait() {
            return Duration.ofMillis(500);
        }
    };
    private static final Map<String, Object> CONSUMER = Map.of("group.id", "feature-service",
            "max.poll.records", "2000");

    @Test
    void underTheStreamsEngineTheHistoryConsumerWaitsForFullerFetches() {
        Map<String, Object> config = HistoryPolls.customize(true, SETTINGS, EventConsumer.CHANNEL, CONSUMER);
        assertEquals("524288", config.get("fetch.min.bytes"));
        assertEquals("500", config.get("fetch.max.wait.ms"));
        assertEquals("2000", config.get("max.poll.records"), "the rest is kept");
    }

    @Test
    void underThePostgresEngineTheHotPathKeepsKafkasDefaults() {
        assertEquals(CONSUMER, HistoryPolls.customize(false, SETTINGS, EventConsumer.CHANNEL, CONSUMER));
    }

    @Test
    void otherChannelsAndExplicitSettingsAreLeftAlone() {
        assertEquals(CONSUMER, HistoryPolls.customize(true, SETTINGS, ErasureConsumer.CHANNEL, CONSUMER));
        Map<String, Object> explicit = Map.of("group.id", "feature-service", "fetch.min.bytes", "1");
        assertEquals("1", HistoryPolls.customize(true, SETTINGS, EventConsumer.CHANNEL, explicit)
                .get("fetch.min.bytes"));
    }
}
