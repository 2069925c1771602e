package io.cohort.feature.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.feature.domain.AccountContribution;
import io.cohort.feature.domain.AccountRollup;
import io.cohort.feature.domain.AccountTally;
import io.cohort.feature.domain.DailyActivity;
import io.cohort.feature.domain.OrderTotals;
import io.cohort.feature.domain.RecentSends;
import io.cohort.feature.domain.StreamedSubscriber;
import io.cohort.feature.domain.SubscriberState;
import io.cohort.support.streams.BinarySerde;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class FeatureStoreSerdesTest {

    /** As the topology's mapper for values the first engine stored: zeros and empty collections left out. */
    private static final ObjectMapper COMPACT = TopologyFixture.JSON.copy().setDefaultPropertyInclusion(
            JsonInclude.Value.construct(JsonInclude.Include.NON_DEFAULT, JsonInclude.Include.ALWAYS));
    private static final Instant AT = Instant.parse("2026-12-07T10:15:30.123456789Z");

    @Test
    void aSubscriberWithEveryFieldSetComesBackEqual() {
        roundTrip(FeatureStoreSerdes.subscribers(COMPACT), fullSubscriber());
    }

    @Test
    void anUnknownSubscriberKeepsNullFeaturesApartFromNoFeatures() {
        StreamedSubscriber unknown = StreamedSubscriber.unknown("u-1");
        StreamedSubscriber back = roundTrip(FeatureStoreSerdes.subscribers(COMPACT), unknown);
        assertNull(back.features());
        StreamedSubscriber none = roundTrip(FeatureStoreSerdes.subscribers(COMPACT),
                unknown.published(1, AT, Map.of(), Map.of()));
        assertEquals(Map.of(), none.features());
    }

    @Test
    void accountValuesComeBackEqual() {
        AccountTally tally = new AccountTally("acme", 2, AT, true, AT.minusSeconds(5), 3, 2, 7,
                new BigDecimal("1234.50"), Map.of("pricing", 4L));
        roundTrip(FeatureStoreSerdes.accounts(COMPACT), new StreamedAccount(tally, rollup(), List.of("u-1", "u-2")));
        roundTrip(FeatureStoreSerdes.accounts(COMPACT), new StreamedAccount(null, null, List.of()));
        roundTrip(FeatureStoreSerdes.rollups(COMPACT), rollup());
        roundTrip(FeatureStoreSerdes.contributions(COMPACT), contribution());
        roundTrip(FeatureStoreSerdes.accountInputs(COMPACT), new AccountInput("acme", "u-1", contribution(), null));
        roundTrip(FeatureStoreSerdes.accountInputs(COMPACT), new AccountInput("acme", "u-1", null,
                new AccountTally.Traits("acme", null, true, false, AT)));
    }

    @Test
    void valuesTheFirstEngineStoredAsJsonAreStillRead() throws Exception {
        StreamedSubscriber subscriber = fullSubscriber();
        assertEquals(subscriber, FeatureStoreSerdes.subscribers(COMPACT).deserializer()
                .deserialize("t", COMPACT.writeValueAsBytes(subscriber)));
        AccountInput input = new AccountInput("acme", "u-1", contribution(), null);
        assertEquals(input, FeatureStoreSerdes.accountInputs(COMPACT).deserializer()
                .deserialize("t", COMPACT.writeValueAsBytes(input)));
    }

    @Test
    void theBinaryValueIsMuchSmallerThanTheJson() throws Exception {
        StreamedSubscriber subscriber = fullSubscriber();
        int binary = FeatureStoreSerdes.subscribers(COMPACT).serializer().serialize("t", subscriber).length;
        int json = COMPACT.writeValueAsBytes(subscriber).length;
        assertTrue(binary * 2 < json, binary + " bytes binary, " + json + " as JSON");
    }

    @Test
    void aTruncatedValueIsASerializationError() {
        Serde<StreamedSubscriber> serde = FeatureStoreSerdes.subscribers(COMPACT);
        byte[] bytes = serde.serializer().serialize("t", fullSubscriber());
        assertThrows(SerializationException.class,
                () -> serde.deserializer().deserialize("t", Arrays.copyOf(bytes, bytes.length - 2)));
    }

    private static StreamedSubscriber fullSubscriber() {
        LocalDate today = LocalDate.of(2026, 12, 7);
        List<DailyActivity> days = List.of(
                new DailyActivity(today.minusDays(200), 1, 0, 0, 1, new BigDecimal("19.990"), 1, 0, 0, 0, 0, 3, 1,
                        2, 1, 2, Map.of("shoes", 2L), Map.of(9, 1L)),
                new DailyActivity(today, 3, 2, 1, 0, BigDecimal.ZERO, 2, 1, 1, 1, 1, 0, 0, 0, 0, 0, Map.of(),
                        Map.of(0, 3L, 23, 1L)));
        return new StreamedSubscriber("u-ü-1", new SubscriberState(AT.minusSeconds(86_400 * 400), AT, AT.minusSeconds(7),
                null, true, false, true, false), AT.minusSeconds(60), "acme", "Europe/Berlin", "UTC", days,
                new OrderTotals(12, new BigDecimal("-3.25")),
                List.of(new RecentSends.RecentSend("c1", AT, true, AT), new RecentSends.RecentSend("c2", null, true,
                        AT.minusSeconds(3))),
                List.of(new StreamedSubscriber.IntentDay("acme", today, "pricing", 4)),
                Map.of("acme", contribution()), rollup(), 42, AT,
                Map.of("opens_30d", 2.0, "ratio", Double.NaN, "neg", -0.0), Map.of("timezone", "Europe/Berlin"));
    }

    private static AccountContribution contribution() {
        return new AccountContribution("acme", "u-1", true, true, 3, new BigDecimal("99.00"), Map.of("pricing", 2L));
    }

    private static AccountRollup rollup() {
        return new AccountRollup("acme", 1, true, 12, 4, Map.of("pricing", 3L, "security", 1L), 5,
                new BigDecimal("5000.5"));
    }

    private static <T> T roundTrip(Serde<T> serde, T value) {
        byte[] bytes = serde.serializer().serialize("t", value);
        assertEquals(BinarySerde.FORMAT_1, bytes[0]);
        T back = serde.deserializer().deserialize("t", bytes);
        assertEquals(value, back);
        return back;
    }
}
