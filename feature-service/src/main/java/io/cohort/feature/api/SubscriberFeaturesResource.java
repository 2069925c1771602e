package io.cohort.feature.api;

import io.cohort.contracts.FeatureVector;
import io.cohort.contracts.http.ProblemDetail;
import io.cohort.feature.persistence.FeatureStore;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A subscriber's current feature vector, exactly as last published on {@code cohort.features.v1}. */
@Path("/v1/subscribers")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "features", description = "Per-subscriber feature vectors")
public class SubscriberFeaturesResource {

    private final FeatureStore store;

    public SubscriberFeaturesResource(FeatureStore store) {
        this.store = store;
    }

    @GET
    @Path("/{id}/features")
    @Operation(summary = "The subscriber's current feature vector")
    @APIResponse(responseCode = "200", description = "The vector as last computed and published",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = FeatureVector.class)))
    @APIResponse(responseCode = "404", description = "No events were ever seen for this subscriber (or they were erased)",
            content = @Content(mediaType = ProblemDetail.MEDIA_TYPE, schema = @Schema(implementation = ProblemDetail.class)))
    public FeatureVector features(@PathParam("id") @Size(max = 255, message = "must be at most 255 characters") String id) {
        return store.currentVector(id)
                .orElseThrow(() -> new SubscriberNotFoundException("No feature vector is held for this subscriber"));
    }

    @GET
    @Path("/{id}/profile")
    @Operation(summary = "The subscriber's profile: traits, consent, suppression, timezone, account, first/last seen")
    @APIResponse(responseCode = "200", description = "The stored profile",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = SubscriberProfile.class)))
    @APIResponse(responseCode = "404", description = "No events were ever seen for this subscriber (or they were erased)",
            content = @Content(mediaType = ProblemDetail.MEDIA_TYPE, schema = @Schema(implementation = ProblemDetail.class)))
    public SubscriberProfile profile(@PathParam("id") @Size(max = 255, message = "must be at most 255 characters") String id) {
        return store.profile(id).map(SubscriberProfile::of)
                .orElseThrow(() -> new SubscriberNotFoundException("No profile is held for this subscriber"));
    }
}
