package io.cohort.feature.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.contracts.http.FieldViolation;
import io.cohort.feature.domain.FeatureCalculator;
import io.cohort.feature.domain.PointInTime;
import jakarta.ws.rs.core.StreamingOutput;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/** What the point-in-time endpoints (training sets, feature exports) share: the asOf rules and NDJSON paging. */
final class PointInTimeRequests {

    static final String NDJSON = "application/x-ndjson";
    private static final int PAGE = 500;

    private PointInTimeRequests() {
    }

    /**
     * The cutoff of {@code asOf} (the start of its UTC day), or null after adding why it is refused to
     * {@code errors}: missing, unreadable, in the future, before 1970, or so old that the 365 days before
     * it are no longer kept per day ({@code keepDays}).
     */
    static Instant cutoff(String asOf, Clock clock, int keepDays, List<FieldViolation> errors) {
        if (asOf == null) {
            errors.add(new FieldViolation("/asOf", "is required"));
            return null;
        }
        Instant parsed;
        try {
            parsed = Instant.parse(asOf);
        } catch (DateTimeParseException e) {
            errors.add(new FieldViolation("/asOf", "must be an ISO-8601 instant such as 2026-01-31T00:00:00Z"));
            return null;
        }
        // checked before any arithmetic on it: Instant.parse accepts years far beyond what plus() survives
        if (parsed.isBefore(Instant.EPOCH) || parsed.isAfter(clock.instant())) {
            errors.add(new FieldViolation("/asOf", "must be in the past (and after 1970-01-01T00:00:00Z)"));
            return null;
        }
        Instant cutoff = PointInTime.cutoff(parsed);
        // the features read the 365 days before the cutoff: they must all still be kept per day
        if (cutoff.minus(Duration.ofDays(FeatureCalculator.LONGEST_WINDOW_DAYS))
                .isBefore(clock.instant().minus(Duration.ofDays(keepDays)))) {
            errors.add(new FieldViolation("/asOf", "is older than the daily history kept for point-in-time features "
                    + "(asOf must be within the last " + (keepDays - FeatureCalculator.LONGEST_WINDOW_DAYS) + " days)"));
        }
        return cutoff;
    }

    /**
     * Streams pages of rows as NDJSON, one short transaction per page: {@code page} is given the last id
     * of the previous page ("" first) and the page size; a short page ends the stream.
     */
    static <R> StreamingOutput ndjson(ObjectMapper json, BiFunction<String, Integer, List<R>> page,
            Function<R, String> id) {
        return out -> {
            String after = "";
            while (true) {
                List<R> rows = page.apply(after, PAGE);
                for (R row : rows) {
                    out.write(json.writeValueAsBytes(row));
                    out.write("\n".getBytes(StandardCharsets.UTF_8));
                }
                out.flush();
                if (rows.size() < PAGE) {
                    return;
                }
                after = id.apply(rows.get(rows.size() - 1));
            }
        };
    }
}
