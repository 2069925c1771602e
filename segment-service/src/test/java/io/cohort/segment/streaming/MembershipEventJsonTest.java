package io.cohort.segment.streaming;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.cohort.contracts.MembershipChange;
import io.cohort.contracts.SegmentMembershipEvent;
import java.time.Instant;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The hand-written event JSON is byte for byte what the object mapper writes, for many events. */
class MembershipEventJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final String[] NAMES = {"Openers", "Big \"spenders\"", "Zürich ☃ 東京 😀", "tab\tnew\nline\\",
        "\u0001\u001f control", "", "</script>"};

    @Test
    void sameBytesAsTheMapperForManyEvents() throws Exception {
        MembershipEventJson writer = new MembershipEventJson(JSON);
        Random random = new Random(16);
        for (int i = 0; i < 2000; i++) {
            Instant at = switch (random.nextInt(5)) {
                case 0 -> null;
                case 1 -> Instant.ofEpochSecond(random.nextInt(2_000_000_000));
                case 2 -> Instant.ofEpochMilli(random.nextLong() >> 22);
                case 3 -> Instant.ofEpochSecond(random.nextInt(2_000_000_000), random.nextInt(1_000_000_000));
                default -> Instant.ofEpochSecond(random.nextInt(2_000_000_000), random.nextInt(1000) * 1000L);
            };
            MembershipChange change = random.nextInt(10) == 0 ? null : MembershipChange.values()[random.nextInt(2)];
            SegmentMembershipEvent event = new SegmentMembershipEvent(SegmentMembershipEvent.SCHEMA_VERSION,
                    UUID.randomUUID().toString(), "sub-" + NAMES[random.nextInt(NAMES.length)] + i,
                    UUID.randomUUID().toString(), random.nextInt(8) == 0 ? null : NAMES[random.nextInt(NAMES.length)],
                    random.nextInt(), change, random.nextInt(6) == 0 ? null : NAMES[random.nextInt(NAMES.length)]
                            + " >= " + random.nextDouble(), random.nextBoolean(), at);
            assertArrayEquals(JSON.writeValueAsBytes(event), writer.serialize("t", event), event.toString());
        }
    }

    @Test
    void theProcessorsEventsToo() throws Exception {
        MembershipEventJson writer = new MembershipEventJson(JSON);
        SegmentMembershipEvent event = MembershipProcessor.event(new io.cohort.segment.domain.Transition(
                UUID.randomUUID(), "Openers", 3, "s1", MembershipChange.ENTERED, "emails_opened_30d >= 3", true),
                Instant.parse("2026-03-01T10:00:00.120Z"));
        assertArrayEquals(JSON.writeValueAsBytes(event), writer.serialize("t", event));
        assertNull(writer.serialize("t", null));
    }
}
