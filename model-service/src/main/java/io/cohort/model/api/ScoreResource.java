package io.cohort.model.api;

import io.cohort.support.security.Scopes;
import jakarta.annotation.security.RolesAllowed;
import io.cohort.contracts.ClusterAssignment;
import io.cohort.contracts.http.ProblemDetail;
import io.cohort.model.domain.AdHocFeatures;
import io.cohort.model.domain.ClusterScorer;
import io.cohort.model.domain.ModelFamilies;
import io.cohort.model.domain.SubscriberPredictor;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import io.cohort.model.persistence.ModelRegistry;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Scores a feature vector that is not (or not yet) a subscriber's, e.g. to try a what-if. Stores nothing. */
@Path("/v1/score")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "scoring")
@Blocking
public class ScoreResource {

    private final ModelRegistry registry;
    private final ObjectMapper json;

    public ScoreResource(ModelRegistry registry, ObjectMapper json) {
        this.registry = registry;
        this.json = json;
    }

    @RolesAllowed(Scopes.MODELS_READ)
    @POST
    @Operation(summary = "Score an ad-hoc feature vector with the active versions",
            description = "Body {\"features\": {name: number|null}}; absent features are imputed as in training.")
    @APIResponse(responseCode = "400", description = "not a JSON object holding only features (pointer /, /features or"
            + " the unknown member's); unknown feature or not a finite number (/features/<name>)",
            content = @Content(mediaType = ProblemDetail.MEDIA_TYPE, schema = @Schema(implementation = ProblemDetail.class)))
    @APIResponse(responseCode = "409", description = "no active model version yet",
            content = @Content(mediaType = ProblemDetail.MEDIA_TYPE, schema = @Schema(implementation = ProblemDetail.class)))
    @APIResponse(responseCode = "415", description = "the body is not JSON",
            content = @Content(mediaType = ProblemDetail.MEDIA_TYPE, schema = @Schema(implementation = ProblemDetail.class)))
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ScoreRequest.class)))
    public ScoreResult score(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body) {
        // read strictly (BodyFields): unknown members, duplicate keys, null or non-JSON bodies are 400s, not ignored
        BodyFields fields = BodyFields.read(json, contentType, body, Set.of("features"));
        ObjectNode features = fields.object("features");
        fields.requireValid();
        AdHocFeatures.Parsed parsed = AdHocFeatures.parse(features == null ? Map.of()
                : Map.of("features", json.convertValue(features, Map.class)));
        if (!parsed.errors().isEmpty()) {
            throw new ValidationFailedException("The features are invalid", parsed.errors());
        }
        Optional<ModelRegistry.ActiveModel> active = registry.active(ModelFamilies.CLUSTERING_BEHAVIOURAL);
        Map<String, Double> scores = new TreeMap<>();
        Map<String, List<String>> reasons = new TreeMap<>();
        Map<String, Integer> versions = new TreeMap<>();
        ClusterAssignment cluster = null;
        if (active.isPresent()) {
            ClusterScorer.Assignment assignment = active.get().scorer().assign(parsed.features());
            cluster = new ClusterAssignment(active.get().family(), active.get().version(), assignment.clusterId(),
                    assignment.clusterName());
            versions.put(active.get().family(), active.get().version());
        }
        for (String family : ModelFamilies.PREDICTORS) {
            Optional<ModelRegistry.ActivePredictor> predictor = registry.activePredictor(family);
            if (predictor.isPresent()) {
                SubscriberPredictor.Prediction prediction = predictor.get().predictor().predict(parsed.features());
                scores.putAll(prediction.scores());
                reasons.putAll(prediction.reasons());
                versions.put(family, predictor.get().version());
            }
        }
        if (versions.isEmpty()) {
            throw new ProblemException(ProblemDetail.of(409, "No active model",
                    "There is no active model version; train one first"));
        }
        return new ScoreResult(cluster, scores.isEmpty() ? null : scores, reasons.isEmpty() ? null : reasons,
                versions);
    }

    /** Body of an ad-hoc scoring call (documentation only: the body is read by {@link BodyFields}). */
    public record ScoreRequest(Map<String, Double> features) {
    }

    /**
     * What the active models say about the vector: the cluster (if a clustering is active), named
     * scores ({@link io.cohort.contracts.ScoreNames}) with reason codes, and the version of every family used.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ScoreResult(ClusterAssignment cluster, Map<String, Double> scores,
            Map<String, List<String>> reasons, Map<String, Integer> modelVersions) {
    }
}
