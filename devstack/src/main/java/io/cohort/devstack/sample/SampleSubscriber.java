package io.cohort.devstack.sample;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/** One generated subscriber: who they are and the Segment-spec calls that describe their history. */
public record SampleSubscriber(String id, Persona persona, List<Map<String, Object>> calls) {

    /** Number of track calls named {@code event} dated within the last {@code days} days before {@code now}. */
    public long count(String event, int days, Instant now) {
        Instant since = now.minus(days, ChronoUnit.DAYS);
        return calls.stream()
                .filter(c -> event.equals(c.get("event")))
                .filter(c -> Instant.parse((String) c.get("timestamp")).isAfter(since))
                .count();
    }
}
