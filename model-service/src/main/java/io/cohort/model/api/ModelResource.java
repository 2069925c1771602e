package io.cohort.model.api;

import io.cohort.support.security.Scopes;
import jakarta.annotation.security.RolesAllowed;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.contracts.http.ProblemDetail;
import io.cohort.model.api.ModelDocuments.FamilyList;
import io.cohort.model.api.ModelDocuments.FamilySummary;
import io.cohort.model.api.ModelDocuments.GenericVersionDocument;
import io.cohort.model.api.ModelDocuments.GenericVersionList;
import io.cohort.model.api.ModelDocuments.GenericVersionSummary;
import io.cohort.model.persistence.GenericVersion;
import io.cohort.model.api.ModelDocuments.ProvenanceDocument;
import io.cohort.model.api.ModelDocuments.VersionDocument;
import io.cohort.model.api.ModelDocuments.VersionList;
import io.cohort.model.api.ModelDocuments.VersionSummary;
import io.cohort.model.domain.ModelFamilies;
import io.cohort.model.domain.propensity.PropensityFamilies;
import io.cohort.model.persistence.ModelRegistry;
import io.cohort.model.persistence.StoredVersion;
import io.smallrye.common.annotation.Blocking;
import io.cohort.contracts.http.FieldViolation;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.PUT;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
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
    private final PropensityJobs propensityJobs;
    private final MonitoringService monitoring;
    private final ObjectMapper json;
    /** What a CLV or send-time training body may hold. */
    private static final Set<String> SNAPSHOT_PARAMETERS = Set.of("autoActivate");

    public ModelResource(ModelRegistry registry, TrainingService training, PropensityJobs propensityJobs,
            MonitoringService monitoring, ObjectMapper json) {
        this.monitoring = monitoring;
        this.propensityJobs = propensityJobs;
        this.registry = registry;
        this.training = training;
        this.json = json;
    }

    @RolesAllowed(Scopes.MODELS_READ)
    @GET
    @Operation(summary = "Every model family with its active version and number of versions")
    public FamilyList families() {
        return new FamilyList(ModelFamilies.ALL.stream()
                .map(family -> new FamilySummary(family, registry.activeVersion(family).orElse(null),
                        registry.count(family)))
                .toList());
    }

    @RolesAllowed(Scopes.MODELS_READ)
    @GET
    @Path("/{family}/versions")
    @Operation(summary = "Versions of a family, newest first")
    @APIResponse(responseCode = "404", description = "unknown family",
            content = @Content(mediaType = ProblemDetail.MEDIA_TYPE, schema = @Schema(implementation = ProblemDetail.class)))
    public Object versions(@PathParam("family") String family) {
        requireFamily(family);
        if (!ModelFamilies.CLUSTERING_BEHAVIOURAL.equals(family)) {
            return new GenericVersionList(family,
                    registry.listGeneric(family).stream().map(GenericVersionSummary::of).toList());
        }
        return new VersionList(family, registry.list(family).stream().map(VersionSummary::of).toList());
    }

    @RolesAllowed(Scopes.MODELS_READ)
    @GET
    @Path("/{family}/versions/{version}")
    @Operation(summary = "One version: metrics, clusters with names and centroids, hyperparameters, preprocessing")
    @APIResponse(responseCode = "404", description = "unknown family or version",
            content = @Content(mediaType = ProblemDetail.MEDIA_TYPE, schema = @Schema(implementation = ProblemDetail.class)))
    public Object version(@PathParam("family") String family, @PathParam("version") int version) {
        requireFamily(family);
        if (!ModelFamilies.CLUSTERING_BEHAVIOURAL.equals(family)) {
            return GenericVersionDocument.of(registry.findGeneric(family, version)
                    .orElseThrow(() -> ProblemException.unknownVersion(family, version)));
        }
        return VersionDocument.of(find(family, version));
    }

    @RolesAllowed(Scopes.MODELS_READ)
    @GET
    @Path("/{family}/versions/{version}/provenance")
    @Operation(summary = "Tribuo provenance of a version: data, trainer and its settings, library versions")
    public ProvenanceDocument provenance(@PathParam("family") String family, @PathParam("version") int version) {
        requireFamily(family);
        return registry.provenance(family, version)
                .map(provenance -> new ProvenanceDocument(family, version, provenance))
                .orElseThrow(() -> ProblemException.unknownVersion(family, version));
    }

    @RolesAllowed(Scopes.MODELS_TRAIN)
    @POST
    @Path("/{family}/versions:train")
    @Operation(summary = "Train a new version on every subscriber's current features, activate it and rescore",
            description = "Synchronous. clustering.behavioural: K-Means++ by default (without k, k in 4..12 is chosen"
                    + " by the best mean silhouette) or {\"algorithm\":\"hdbscan\",\"minClusterSize\":n}, which finds"
                    + " the clusters itself and publishes subscribers in no cluster as cluster -1 (noise).")
    @APIResponse(responseCode = "201", description = "trained, active, every subscriber rescored",
            content = @Content(schema = @Schema(implementation = VersionDocument.class)))
    @APIResponse(responseCode = "400", description = "k outside 2..20 or given with hdbscan (/k), unknown algorithm"
            + " (/algorithm), minClusterSize outside 2..10000 or given with kmeans (/minClusterSize)",
            content = @Content(mediaType = ProblemDetail.MEDIA_TYPE, schema = @Schema(implementation = ProblemDetail.class)))
    @APIResponse(responseCode = "404", description = "unknown family",
            content = @Content(mediaType = ProblemDetail.MEDIA_TYPE, schema = @Schema(implementation = ProblemDetail.class)))
    @APIResponse(responseCode = "409", description = "not enough subscribers to train; HDBSCAN found no cluster",
            content = @Content(mediaType = ProblemDetail.MEDIA_TYPE, schema = @Schema(implementation = ProblemDetail.class)))
    @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = TrainRequest.class)))
    public Response train(@PathParam("family") String family, @QueryParam("async") String asyncParameter,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body) {
        // the body is optional and often sent without a content type (curl -X POST), so it is read here
        requireFamily(family);
        boolean async = async(asyncParameter);
        if (PropensityFamilies.find(family).isPresent()) {
            BodyFields fields = BodyFields.read(json, contentType, body, PropensityTrainRequest.PARAMETERS);
            PropensityTrainRequest request = PropensityTrainRequest.of(fields);
            fields.requireValid();
            JobResource.JobDocument job = JobResource.JobDocument.of(propensityJobs.submit(family, request), json);
            return Response.accepted(job).location(UriBuilder.fromPath("/v1/jobs/{id}").build(job.id())).build();
        }
        boolean clustering = ModelFamilies.CLUSTERING_BEHAVIOURAL.equals(family);
        BodyFields fields = BodyFields.read(json, contentType, body,
                clustering ? TrainRequest.PARAMETERS : SNAPSHOT_PARAMETERS);
        TrainRequest request = clustering ? TrainRequest.of(fields) : null;
        Boolean autoActivate = clustering ? request.autoActivate() : fields.bool("autoActivate");
        fields.requireValid();
        if (clustering) {
            training.validate(request);
        }
        boolean activate = autoActivate == null || autoActivate;
        if (async) {
            // clustering, CLV and send time as a job (202) instead of the synchronous 201
            Object settings = clustering ? request : autoActivate == null ? null : Map.of("autoActivate", autoActivate);
            JobResource.JobDocument job = JobResource.JobDocument.of(propensityJobs.submitTraining(family, settings,
                    () -> clustering ? done(training.train(family, request))
                            : done(training.trainOnSnapshots(family, activate))), json);
            return Response.accepted(job).location(UriBuilder.fromPath("/v1/jobs/{id}").build(job.id())).build();
        }
        if (!clustering) {
            GenericVersion trained = training.trainOnSnapshots(family, activate).stored();
            return Response.created(UriBuilder.fromPath("/v1/models/{family}/versions/{version}")
                            .build(family, trained.version()))
                    .entity(GenericVersionDocument.of(trained))
                    .build();
        }
        StoredVersion stored = training.train(family, request);
        return Response.created(UriBuilder.fromPath("/v1/models/{family}/versions/{version}")
                        .build(family, stored.version()))
                .entity(VersionDocument.of(stored))
                .build();
    }

    /** JAX-RS would answer a 404 for ?async=yes; anything but true or false is a 400 naming it. */
    private static boolean async(String parameter) {
        if (parameter == null || parameter.isEmpty() || parameter.equalsIgnoreCase("false")) {
            return false;
        }
        if (parameter.equalsIgnoreCase("true")) {
            return true;
        }
        throw new ValidationFailedException("The query is invalid",
                List.of(new FieldViolation("?async", "must be true or false")));
    }

    private static PropensityJobs.Done done(StoredVersion stored) {
        return new PropensityJobs.Done(stored.version(), stored.metrics().comparison().reason());
    }

    private static PropensityJobs.Done done(TrainingService.SnapshotVersion trained) {
        return new PropensityJobs.Done(trained.stored().version(), trained.decision().reason());
    }

    @RolesAllowed(Scopes.MODELS_ACTIVATE)
    @POST
    @Path("/{family}/versions/{version: [0-9]+}:activate")
    @Operation(summary = "Make a version (candidate or retired) the active one, retire the previous one and rescore")
    @APIResponse(responseCode = "200", description = "the version, now active")
    @APIResponse(responseCode = "404", description = "unknown family or version",
            content = @Content(mediaType = ProblemDetail.MEDIA_TYPE, schema = @Schema(implementation = ProblemDetail.class)))
    public Object activate(@PathParam("family") String family, @PathParam("version") int version,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body) {
        requireFamily(family);
        BodyFields.read(json, contentType, body, Set.of()).requireValid();
        training.activate(family, version);
        return version(family, version);
    }

    @RolesAllowed(Scopes.MODELS_READ)
    @GET
    @Path("/{family}/monitoring")
    @Operation(summary = "Drift of the active version: PSI per feature and per score, training vs current subscribers;"
            + " for propensity/churn also calibration of the served scores against realised outcomes")
    @APIResponse(responseCode = "409", description = "no active version (or no drift baseline for it)",
            content = @Content(mediaType = ProblemDetail.MEDIA_TYPE, schema = @Schema(implementation = ProblemDetail.class)))
    public MonitoringService.Report monitoring(@PathParam("family") String family) {
        requireFamily(family);
        return monitoring.report(family);
    }

    @RolesAllowed(Scopes.MODELS_TRAIN)
    @PUT
    @Path("/{family}/versions/{version}/clusters/{clusterId}")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ClusterRename.class)))
    @Operation(summary = "Rename a cluster (body {\"name\": \"...\"}); the name replaces the generated one")
    @APIResponse(responseCode = "200", description = "the version document with the new name")
    @APIResponse(responseCode = "400", description = "name missing, blank or longer than 200 characters (pointer /name)",
            content = @Content(mediaType = ProblemDetail.MEDIA_TYPE, schema = @Schema(implementation = ProblemDetail.class)))
    @APIResponse(responseCode = "404", description = "unknown family, version or cluster",
            content = @Content(mediaType = ProblemDetail.MEDIA_TYPE, schema = @Schema(implementation = ProblemDetail.class)))
    public VersionDocument renameCluster(@PathParam("family") String family, @PathParam("version") int version,
            @PathParam("clusterId") int clusterId, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            byte[] body) {
        if (!ModelFamilies.CLUSTERING_BEHAVIOURAL.equals(family)) {
            requireFamily(family);
            throw new ProblemException(ProblemDetail.of(404, "Not a clustering family",
                    "Family '" + family + "' has no clusters"));
        }
        BodyFields fields = BodyFields.read(json, contentType, body, Set.of("name"));
        String given = fields.text("name");
        fields.requireValid();
        String name = given == null ? null : given.strip();
        if (name == null || name.isEmpty() || name.length() > 200) {
            throw new ValidationFailedException("The cluster name is invalid", List.of(new FieldViolation("/name",
                    name == null ? "is required" : "must be 1 to 200 characters, not blank")));
        }
        training.renameCluster(family, version, clusterId, name);
        return VersionDocument.of(find(family, version));
    }

    @RolesAllowed(Scopes.MODELS_TRAIN)
    @PATCH
    @Path("/{family}/versions/{version}/clusters/{clusterId}")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ClusterRename.class)))
    @Operation(summary = "Rename a cluster (same as PUT; name is the only editable field)")
    public VersionDocument patchCluster(@PathParam("family") String family, @PathParam("version") int version,
            @PathParam("clusterId") int clusterId, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            byte[] body) {
        return renameCluster(family, version, clusterId, contentType, body);
    }

    /** Body of a cluster rename (documentation only: the body is read by {@link BodyFields}). */
    public record ClusterRename(String name) {
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
