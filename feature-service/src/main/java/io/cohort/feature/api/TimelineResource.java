package io.cohort.feature.api;

import io.cohort.support.security.Scopes;
import jakarta.annotation.security.RolesAllowed;
import io.cohort.contracts.http.FieldViolation;
import io.cohort.contracts.http.ProblemDetail;
import io.cohort.feature.persistence.FeatureStore;
import io.cohort.feature.persistence.RecentEventRepository;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A subscriber's most recent events (the newest {@code cohort.feature.timeline.keep}), newest first, paged. */
@Path("/v1/subscribers/{id}/timeline")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "features")
public class TimelineResource {

    private static final int DEFAULT_LIMIT = 20;
    private static final int MAX_LIMIT = 100;

    private final FeatureStore store;

    public TimelineResource(FeatureStore store) {
        this.store = store;
    }

    /** One event as it arrived: its own type, name, time and properties (never traits or context). */
    public record Event(String messageId, String type, String event, String name, Instant occurredAt,
            Map<String, Object> properties) {
    }

    private static final Instant EARLIEST_CURSOR = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST_CURSOR = Instant.parse("9999-12-31T23:59:59.999999Z");

    /** A page; {@code nextCursor} is null on the last page. */
    public record Page(List<Event> items, String nextCursor) {
    }

    @RolesAllowed(Scopes.PROFILES_READ)
    @GET
    @Operation(summary = "The subscriber's recent events, newest first")
    @APIResponse(responseCode = "200", description = "A page of events",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Page.class)))
    @APIResponse(responseCode = "400", description = "Bad limit or cursor",
            content = @Content(mediaType = ProblemDetail.MEDIA_TYPE, schema = @Schema(implementation = ProblemDetail.class)))
    @APIResponse(responseCode = "404", description = "Unknown (or erased) subscriber",
            content = @Content(mediaType = ProblemDetail.MEDIA_TYPE, schema = @Schema(implementation = ProblemDetail.class)))
    public Page timeline(@PathParam("id") @Size(max = 255, message = "must be at most 255 characters") String id,
            @QueryParam("limit") String limitParam, @QueryParam("cursor") String cursor) {
        int limit = DEFAULT_LIMIT;
        if (limitParam != null) {
            try {
                limit = Integer.parseInt(limitParam);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new InvalidRequestException(List.of(new FieldViolation("/limit",
                        "must be an integer between 1 and " + MAX_LIMIT)));
            }
        }
        Instant beforeAt = null;
        Long beforeSeq = null;
        if (cursor != null) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|");
                beforeAt = Instant.parse(parts[0]);
                beforeSeq = Long.parseLong(parts[1]);
                if (beforeAt.isBefore(EARLIEST_CURSOR) || beforeAt.isAfter(LATEST_CURSOR)) {
                    // parseable, but beyond what the database can compare with: never one of ours
                    throw new IllegalArgumentException("cursor instant out of range");
                }
            } catch (RuntimeException e) {
                throw new InvalidRequestException(List.of(new FieldViolation("/cursor",
                        "is not a cursor returned by this endpoint")));
            }
        }
        List<RecentEventRepository.Item> items = store.timeline(id, beforeAt, beforeSeq, limit + 1)
                .orElseThrow(() -> new SubscriberNotFoundException("No events are held for this subscriber"));
        boolean more = items.size() > limit;
        List<RecentEventRepository.Item> page = more ? items.subList(0, limit) : items;
        String next = null;
        if (more) {
            RecentEventRepository.Item last = page.get(page.size() - 1);
            next = Base64.getUrlEncoder().withoutPadding().encodeToString(
                    (last.occurredAt() + "|" + last.seq()).getBytes(StandardCharsets.UTF_8));
        }
        return new Page(page.stream().map(i -> new Event(i.messageId(), i.type(), i.event(), i.name(),
                i.occurredAt(), i.properties())).toList(), next);
    }
}
