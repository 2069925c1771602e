package io.cohort.segment.api;

import io.cohort.segment.domain.LookalikeResult;
import io.cohort.segment.persistence.MembershipStore;
import io.cohort.segment.streaming.StreamsLookup;
import io.cohort.support.security.Scopes;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code POST /v1/segments:preview}: what a definition would contain, before saving it. Under the
 * streams engine from the views in the stores of every instance ({@link StreamsPreviews}).
 */
@Path("/v1/segments:preview")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "segments")
public class SegmentPreviewResource {

    static final int SAMPLE_SIZE = 20;

    private final MembershipStore store;
    private final Lookalikes lookalikes;
    private final StreamsPreviews streams;

    public SegmentPreviewResource(MembershipStore store, Lookalikes lookalikes, StreamsPreviews streams) {
        this.store = store;
        this.lookalikes = lookalikes;
        this.streams = streams;
    }

    // which subscribers a definition would hold (size, a sample of ids): a member read, not an edit
    @RolesAllowed(Scopes.MEMBERS_READ)
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Evaluate a definition (same body as create) over every known subscriber; stores nothing")
    public Responses.Preview preview(Object body,
            @Parameter(hidden = true) @HeaderParam(StreamsLookup.FORWARDED_HEADER) String forwarded) {
        String failure = "The segment definition is invalid; nothing was stored";
        if (streams.enabled() && forwarded != null) {
            // another instance asks for its share: this instance's partitions, with what it resolved
            return streams.forwarded(body, failure);
        }
        var parsed = DefinitionInput.parse(body, failure);
        LookalikeResult lookalike = lookalikes.fetch(parsed.definition(), null, failure);
        if (streams.enabled()) {
            return streams.everywhere(body, parsed.definition(), lookalike);
        }
        MembershipStore.Preview preview = store.preview(parsed.definition(), SAMPLE_SIZE, lookalike);
        return new Responses.Preview(preview.size(), preview.sample(), preview.evaluatedSubscribers(),
                preview.byRfmGroup());
    }
}
