package io.cohort.segment.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.segment.application.StreamsCutoffs;
import io.cohort.segment.domain.LookalikeResult;
import io.cohort.segment.domain.PreviewTally;
import io.cohort.segment.domain.SegmentDefinition;
import io.cohort.segment.streaming.EngineConfig;
import io.cohort.segment.streaming.StreamsLookup;
import io.cohort.segment.streaming.StreamsUnavailableException;
import io.cohort.segment.streaming.StreamsViews;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * {@code POST /v1/segments:preview} under the streams engine: the definition is evaluated against the
 * views of this instance's active partitions ({@link StreamsViews}) and of every other instance holding
 * partitions, asked the same endpoint marked {@link StreamsLookup#FORWARDED_HEADER} with a
 * {@link Forwarded} body: the submitted definition plus what the asking instance resolved once for
 * all (top-N% cutoff over every instance, model-service's lookalike answer, the evaluation time), so
 * every instance decides as one would. The tallies add up ({@link PreviewTally}) to the PostgreSQL
 * path's answer for the same views. Any instance not answering, or stores restoring or moving, make
 * it a 503 with Retry-After, never a partial count.
 */
@ApplicationScoped
public class StreamsPreviews {

    static final String PATH = "/v1/segments:preview";

    private final StreamsViews views;
    private final StreamsLookup lookup;
    private final StreamsCutoffs cutoffs;
    private final EngineConfig config;
    private final ObjectMapper json;
    private final Clock clock;

    public StreamsPreviews(StreamsViews views, StreamsLookup lookup, StreamsCutoffs cutoffs, EngineConfig config,
            ObjectMapper json, Clock clock) {
        this.views = views;
        this.lookup = lookup;
        this.cutoffs = cutoffs;
        this.config = config;
        this.json = json;
        this.clock = clock;
    }

    /**
     * The body another instance receives: {@code definition} as submitted (a template reference
     * included), and the resolved {@code cutoff}, {@code similarities} and {@code at}.
     */
    public record Forwarded(Object definition, Double cutoff, Map<String, Double> similarities, Instant at) {
    }

    public boolean enabled() {
        return lookup.enabled();
    }

    /** Over every instance; {@code body} is the request as submitted, {@code definition} parsed from it. */
    Responses.Preview everywhere(Object body, SegmentDefinition definition, LookalikeResult lookalike) {
        Double cutoff = cutoffs.forDefinition(definition);
        Map<String, Double> similarities = lookalike == null ? Map.of() : lookalike.similarities();
        Instant at = clock.instant();
        PreviewTally tally = local(definition, cutoff, similarities, at);
        String forwarded;
        try {
            forwarded = json.writeValueAsString(new Forwarded(body, cutoff, similarities, at));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the preview could not be written for the other instances", e);
        }
        for (StreamsLookup.Remote other : lookup.others()) {
            Responses.Preview remote = read(lookup.post(other, PATH, forwarded, config.streams().previewTimeout()));
            tally.plus(new PreviewTally.Result(remote.size(), remote.sample(), remote.evaluatedSubscribers(),
                    remote.byRfmGroup()));
        }
        return response(tally.result());
    }

    /** Another instance asked: this instance's partitions only, with what that instance resolved. */
    Responses.Preview forwarded(Object body, String failure) {
        Forwarded asked;
        try {
            asked = json.convertValue(body, Forwarded.class);
        } catch (IllegalArgumentException e) {
            throw new jakarta.ws.rs.BadRequestException("not a forwarded preview");
        }
        if (asked == null || asked.at() == null) {
            throw new jakarta.ws.rs.BadRequestException("not a forwarded preview");
        }
        SegmentDefinition definition = DefinitionInput.parse(asked.definition(), failure).definition();
        return response(local(definition, asked.cutoff(), asked.similarities(), asked.at()).result());
    }

    private PreviewTally local(SegmentDefinition definition, Double cutoff, Map<String, Double> similarities,
            Instant at) {
        PreviewTally tally = new PreviewTally(definition, cutoff, similarities, at, SegmentPreviewResource.SAMPLE_SIZE);
        views.forEachLocal(tally::add);
        return tally;
    }

    private static Responses.Preview response(PreviewTally.Result result) {
        return new Responses.Preview(result.size(), result.sample(), result.evaluatedSubscribers(),
                result.byRfmGroup());
    }

    private Responses.Preview read(String body) {
        try {
            return json.readValue(body, Responses.Preview.class);
        } catch (IOException e) {
            throw new StreamsUnavailableException("another instance's preview could not be read: " + e.getMessage());
        }
    }
}
