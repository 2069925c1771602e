package io.cohort.model.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.contracts.http.ProblemDetail;
import io.cohort.model.api.ModelDocuments.FamilyList;
import io.cohort.model.api.ModelDocuments.FamilySummary;
import io.cohort.model.api.ModelDocuments.ProvenanceDocument;
import io.cohort.model.api.ModelDocuments.VersionDocument;
import io.cohort.model.api.ModelDocuments.VersionList;
import io.cohort.model.api.ModelDocuments.VersionSummary;
import io.cohort.model.domain.ModelFamilies;
import io.cohort.model.persistence.ModelRegistry;
import io.cohort.model.persistence.StoredVersion;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The model registry: families, their versions, and training new versions. */
@Path("/v1/models")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "models")
@Blocking
public class ModelResource {

    private final ModelRegistry registry;
    private final TrainingService training;
    private final ObjectMapper json;

    public ModelResource(ModelRegistry registry, TrainingService training, ObjectMapper json) {
        this.registry = registry;
        this.training = training;
        this.json = json;
    }

    @GET
    @Operation(summary = "Every model family with its active version and number of versions")
    public FamilyList families() {
        return new FamilyList(ModelFamilies.ALL.stream()
                .map(family -> new FamilySummary(family, registry.activeVersion(family).orElse(null),
                        registry.count(family)))
                .toList());
    }

    @GET
    @Path("/{family}/versions")
    @Operation(summary = "Versions of a family, newest first")
    @APIResponse(responseCode = "404", description = "unknown family",
            content = @Content(mediaType = ProblemDetail.MEDIA_TYPE, schema = @Schema(implementation = ProblemDetail.class)))
    public VersionList versions(@PathParam("family") String family) {
        requireFamily(family);
        return new VersionList(family, registry.list(family).stream().map(VersionSummary::of).toList());
    }

    @GET
    @Path("/{family}/versions/{version}")
    @Operation(summary = "One version: metrics, clusters with names and centroids, hyperparameters, preprocessing")
    @APIResponse(responseCode = "404", description = "unknown family or version",
            content = @Content(mediaType = ProblemDetail.MEDIA_TYPE, schema = @Schema(implementation = ProblemDetail.class)))
    public VersionDocument version(@PathParam("family") String family, @PathParam("version") int version) {
        return VersionDocument.of(find(family, version));
    }

    @GET
    @Path("/{family}/versions/{version}/provenance")
    @Operation(summary = "Tribuo provenance of a version: data, trainer and its settings, library versions")
    public ProvenanceDocument provenance(@PathParam("family") String family, @PathParam("version") int version) {
        requireFamily(family);
        return registry.provenance(family, version)
                .map(provenance -> new ProvenanceDocument(family, version, provenance))
                .orElseThrow(() -> ProblemException.unknownVersion(family, version));
    }

    @POST
    @Path("/{family}/versions:train")
    @Operation(summary = "Train a new version on every subscriber's current features, activate it and rescore",
            description = "Synchronous. Without k, k in 2..8 is chosen by the best mean silhouette.")
    @APIResponse(responseCode = "201", description = "trained, active, every subscriber rescored",
            content = @Content(schema = @Schema(implementation = VersionDocument.class)))
    @APIResponse(responseCode = "400", description = "k outside 2..20 (pointer /k)",
            content = @Content(mediaType = ProblemDetail.MEDIA_TYPE, schema = @Schema(implementation = ProblemDetail.class)))
    @APIResponse(responseCode = "404", description = "unknown family",
            content = @Content(mediaType = ProblemDetail.MEDIA_TYPE, schema = @Schema(implementation = ProblemDetail.class)))
    @APIResponse(responseCode = "409", description = "not enough subscribers to train",
            content = @Content(mediaType = ProblemDetail.MEDIA_TYPE, schema = @Schema(implementation = ProblemDetail.class)))
    @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = TrainRequest.class)))
    public Response train(@PathParam("family") String family, String body) throws JsonProcessingException {
        // the body is optional and often sent without a content type (curl -X POST), so read it here
        TrainRequest request = body == null || body.isBlank() ? null : json.readValue(body, TrainRequest.class);
        StoredVersion stored = training.train(family, request);
        return Response.created(UriBuilder.fromPath("/v1/models/{family}/versions/{version}")
                        .build(family, stored.version()))
                .entity(VersionDocument.of(stored))
                .build();
    }

    private StoredVersion find(String family, int version) {
        requireFamily(family);
        return registry.find(family, version).orElseThrow(() -> ProblemException.unknownVersion(family, version));
    }

    private static void requireFamily(String family) {
        if (!ModelFamilies.isKnown(family)) {
            throw ProblemException.unknownFamily(family);
        }
    }
}
