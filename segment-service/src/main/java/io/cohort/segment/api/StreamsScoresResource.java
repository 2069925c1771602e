package io.cohort.segment.api;

import io.cohort.segment.streaming.StreamsLookup;
import io.cohort.segment.streaming.StreamsScores;
import io.cohort.support.security.Scopes;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Between instances of the streams engine only (not in the API documentation): one instance's
 * count of views holding a score and its highest values, for a top-N% cutoff ({@link StreamsScores}).
 * Answers only requests marked {@link StreamsLookup#FORWARDED_HEADER}; 404 under the postgres engine.
 * The other instances ask with segment-service's own token ({@code segments:read}).
 */
@Path("/v1/streams/scores")
@Produces(MediaType.APPLICATION_JSON)
public class StreamsScoresResource {

    static final int MAX_TOP = 1_000_000;

    private final StreamsScores scores;
    private final StreamsLookup lookup;

    public StreamsScoresResource(StreamsScores scores, StreamsLookup lookup) {
        this.scores = scores;
        this.lookup = lookup;
    }

    // a count and the highest values of a score, no ids: what a top-N% size reveals anyway
    @RolesAllowed(Scopes.SEGMENTS_READ)
    @GET
    @Path("/{score}")
    @Operation(hidden = true)
    public StreamsScores.Sample local(@PathParam("score") String score, @QueryParam("top") @DefaultValue("0") int top,
            @jakarta.ws.rs.HeaderParam(StreamsLookup.FORWARDED_HEADER) String forwarded) {
        if (!lookup.enabled() || forwarded == null || top < 0 || top > MAX_TOP) {
            throw new NotFoundException("No such resource");
        }
        return scores.local(score, top);
    }
}
