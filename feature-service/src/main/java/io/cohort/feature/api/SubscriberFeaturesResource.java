package io.cohort.feature.api;

import io.cohort.support.security.Scopes;
import jakarta.annotation.security.RolesAllowed;
import io.cohort.contracts.FeatureVector;
import io.cohort.contracts.http.ProblemDetail;
import io.cohort.feature.application.FeatureEngine;
import io.cohort.feature.persistence.FeatureStore;
import io.cohort.feature.streaming.StreamsFeatureLookup;
import io.cohort.support.streams.KeyOwner;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import java.net.http.HttpResponse;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
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
    private final FeatureEngine engine;
    private final StreamsFeatureLookup streams;

    public SubscriberFeaturesResource(FeatureStore store, FeatureEngine engine, StreamsFeatureLookup streams) {
        this.store = store;
        this.engine = engine;
        this.streams = streams;
    }

    @RolesAllowed(Scopes.FEATURES_READ)
    @GET
    @Path("/{id}/features")
    @Operation(summary = "The subscriber's current feature vector")
    @APIResponse(responseCode = "200", description = "The vector as last computed and published",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = FeatureVector.class)))
    @APIResponse(responseCode = "404", description = "No events were ever seen for this subscriber (or they were erased)",
            content = @Content(mediaType = ProblemDetail.MEDIA_TYPE, schema = @Schema(implementation = ProblemDetail.class)))
    @APIResponse(responseCode = "503", description = "Streams engine: the stores are restoring or moving; retry after the Retry-After seconds",
            content = @Content(mediaType = ProblemDetail.MEDIA_TYPE, schema = @Schema(implementation = ProblemDetail.class)))
    public Response features(@PathParam("id") @Size(max = 255, message = "must be at most 255 characters") String id,
            @Parameter(hidden = true) @HeaderParam(KeyOwner.FORWARDED_HEADER) String forwarded,
            @Parameter(hidden = true) @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        if (!engine.streams()) {
            return Response.ok(store.currentVector(id).orElseThrow(SubscriberFeaturesResource::notHeld)).build();
        }
        // the owning instance's store answers (interactive query), here or forwarded there once
        StreamsFeatureLookup.Answer answer = streams.vector(id, forwarded != null);
        if (answer instanceof StreamsFeatureLookup.Elsewhere elsewhere) {
            try {
                HttpResponse<String> owner = streams.forward(elsewhere.owner(), id, Optional.ofNullable(authorization))
                        .toCompletableFuture().join();
                return Response.status(owner.statusCode()).entity(owner.body())
                        .type(owner.headers().firstValue("Content-Type").orElse(MediaType.APPLICATION_JSON)).build();
            } catch (java.util.concurrent.CompletionException e) {
                throw new StreamsUnavailableException("the instance owning the subscriber did not answer");
            }
        }
        if (answer instanceof StreamsFeatureLookup.Unavailable unavailable) {
            throw new StreamsUnavailableException(unavailable.why());
        }
        return Response.ok(((StreamsFeatureLookup.Held) answer).vector().orElseThrow(SubscriberFeaturesResource::notHeld))
                .type(MediaType.APPLICATION_JSON).build();
    }

    private static SubscriberNotFoundException notHeld() {
        return new SubscriberNotFoundException("No feature vector is held for this subscriber");
    }

    // traits are personal data: support cases, not every reader of features
    @RolesAllowed(Scopes.PROFILES_READ)
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
