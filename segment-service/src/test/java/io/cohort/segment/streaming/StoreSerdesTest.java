package io.cohort.segment.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.cohort.segment.domain.Membership;
import io.cohort.segment.domain.ScoreVersion;
import io.cohort.segment.domain.SubscriberView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

/** Round trips of the stores' binary values, and JSON values of earlier versions still read. */
class StoreSerdesTest {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final Instant AT = Instant.parse("2026-03-01T10:00:00.123456789Z");

    @Test
    void viewsRoundTripWithEveryFieldSetOrMissing() {
        SubscriberView full = new SubscriberView("sub-ü-😀", 7L,
                Map.of("orders_90d", 3.0, "aov", -0.0, "tiny", Double.MIN_VALUE, "huge", Double.MAX_VALUE),
                new ScoreVersion(7, AT, 4), 2, "Clúster ☃", Map.of("country", "DE", "city", "Zürich 東京", "empty", ""),
                AT.minusSeconds(3600), Map.of("churn", 0.25), Map.of("churn", List.of("low_opens", "ñ"), "x", List.of()));
        roundTrip(StoreSerdes.views(JSON), full);
        roundTrip(StoreSerdes.views(JSON), SubscriberView.empty("s1"));
        roundTrip(StoreSerdes.views(JSON), new SubscriberView(null, null, null, new ScoreVersion(0, null, null), null,
                null, null, null, null, null));
        roundTrip(StoreSerdes.views(JSON), new SubscriberView("s", Long.MIN_VALUE, Map.of(), null, Integer.MIN_VALUE,
                null, Map.of("long", "l".repeat(70_000)), Instant.MIN, Map.of(), Map.of()));
    }

    @Test
    void randomViewsRoundTrip() {
        Random random = new Random(16);
        Serde<SubscriberView> serde = StoreSerdes.views(JSON);
        for (int i = 0; i < 500; i++) {
            Map<String, Double> features = new HashMap<>();
            Map<String, String> labels = new HashMap<>();
            Map<String, List<String>> reasons = new HashMap<>();
            for (int j = random.nextInt(40); j > 0; j--) {
                features.put(text(random), random.nextGaussian() * 1e6);
                labels.put(text(random), text(random));
                reasons.put(text(random), List.of(text(random), text(random)));
            }
            ScoreVersion version = random.nextBoolean() ? null : new ScoreVersion(random.nextLong(),
                    random.nextBoolean() ? null : Instant.ofEpochSecond(random.nextInt(), random.nextInt(1_000_000_000)),
                    random.nextBoolean() ? null : random.nextInt());
            roundTrip(serde, new SubscriberView(text(random), random.nextBoolean() ? null : random.nextLong(), features,
                    version, random.nextBoolean() ? null : random.nextInt(), random.nextBoolean() ? null : text(random),
                    labels, random.nextBoolean() ? null : Instant.ofEpochMilli(random.nextLong() >> 20), features,
                    reasons));
        }
    }

    @Test
    void membershipsAndMembersRoundTrip() {
        List<Membership> items = new ArrayList<>();
        items.add(new Membership(UUID.randomUUID(), "Openers ✉", 3, AT, true));
        items.add(new Membership(UUID.randomUUID(), null, 0, null, false));
        items.add(new Membership(null, "", -1, Instant.EPOCH, false));
        roundTrip(StoreSerdes.memberships(JSON), new StoredMemberships(items));
        roundTrip(StoreSerdes.memberships(JSON), new StoredMemberships(List.of()));
        roundTrip(StoreSerdes.members(JSON), new StoredMember(AT, true, false));
        roundTrip(StoreSerdes.members(JSON), new StoredMember(null, false, true));
    }

    @Test
    void nullStaysNull() {
        assertNull(StoreSerdes.views(JSON).serializer().serialize("t", null));
        assertNull(StoreSerdes.views(JSON).deserializer().deserialize("t", null));
        assertNull(StoreSerdes.members(JSON).deserializer().deserialize("t", null));
    }

    @Test
    void jsonWrittenByEarlierVersionsIsStillRead() throws Exception {
        SubscriberView view = new SubscriberView("s1", 2L, Map.of("a", 1.5), new ScoreVersion(2, AT, 1), 3, "c",
                Map.of("l", "v"), AT, Map.of("churn", 0.5), Map.of("churn", List.of("r")));
        assertEquals(view, StoreSerdes.views(JSON).deserializer().deserialize("t", JSON.writeValueAsBytes(view)));
        StoredMemberships memberships = new StoredMemberships(List.of(new Membership(UUID.randomUUID(), "n", 1, AT,
                true)));
        assertEquals(memberships, StoreSerdes.memberships(JSON).deserializer().deserialize("t",
                JSON.writeValueAsBytes(memberships)));
        StoredMember member = new StoredMember(AT, false, true);
        assertEquals(member, StoreSerdes.members(JSON).deserializer().deserialize("t", JSON.writeValueAsBytes(member)));
    }

    @Test
    void unknownOrTruncatedValuesFailAsSerializationErrors() {
        Serde<SubscriberView> serde = StoreSerdes.views(JSON);
        byte[] bytes = serde.serializer().serialize("t", SubscriberView.empty("subscriber"));
        assertThrows(SerializationException.class,
                () -> serde.deserializer().deserialize("t", Arrays.copyOf(bytes, bytes.length - 3)));
        assertThrows(SerializationException.class, () -> serde.deserializer().deserialize("t", new byte[] {9, 0}));
        assertThrows(SerializationException.class, () -> serde.deserializer().deserialize("t", new byte[0]));
    }

    private static <T> void roundTrip(Serde<T> serde, T value) {
        byte[] bytes = serde.serializer().serialize("t", value);
        assertEquals(io.cohort.support.streams.BinarySerde.FORMAT_1, bytes[0]);
        T back = serde.deserializer().deserialize("t", bytes);
        assertEquals(value, back);
    }

    private static String text(Random random) {
        StringBuilder s = new StringBuilder();
        for (int i = random.nextInt(12); i > 0; i--) {
            int kind = random.nextInt(4);
            s.appendCodePoint(kind == 0 ? 'a' + random.nextInt(26) : kind == 1 ? 0xE0 + random.nextInt(64)
                    : kind == 2 ? 0x4E00 + random.nextInt(500) : 0x1F600 + random.nextInt(50));
        }
        return s.toString();
    }
}
