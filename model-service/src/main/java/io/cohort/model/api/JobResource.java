package io.cohort.model.api;

import io.cohort.support.security.Scopes;
import jakarta.annotation.security.RolesAllowed;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.contracts.http.ProblemDetail;
import io.cohort.model.persistence.TrainingJobRepository.Job;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Asynchronous training jobs. */
@Path("/v1/jobs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "models")
@Blocking
public class JobResource {

    private final PropensityJobs jobs;
    private final ObjectMapper json;

    public JobResource(PropensityJobs jobs, ObjectMapper json) {
        this.jobs = jobs;
        this.json = json;
    }

    @RolesAllowed(Scopes.MODELS_READ)
    @GET
    @Path("/{id}")
    @Operation(summary = "A training job: state (queued, running, succeeded, failed), progress 0..1, stage, version")
    @APIResponse(responseCode = "404", description = "unknown job",
            content = @Content(mediaType = ProblemDetail.MEDIA_TYPE, schema = @Schema(implementation = ProblemDetail.class)))
    public JobDocument job(@PathParam("id") String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw unknown(id);
        }
        return jobs.find(uuid).map(job -> JobDocument.of(job, json)).orElseThrow(() -> unknown(id));
    }

    private static ProblemException unknown(String id) {
        return new ProblemException(ProblemDetail.of(404, "Unknown job", "There is no training job '" + id + "'"));
    }

    /** A training job as the API shows it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record JobDocument(String id, String family, String state, double progress, String stage,
            Integer version, String error, JsonNode settings, Instant createdAt, Instant updatedAt) {

        static JobDocument of(Job job, ObjectMapper json) {
            JsonNode settings;
            try {
                settings = json.readTree(job.request());
            } catch (JsonProcessingException e) {
                settings = null;
            }
            return new JobDocument(job.id().toString(), job.family(), job.state(), job.progress(), job.stage(),
                    job.version(), job.error(), settings, job.createdAt(), job.updatedAt());
        }
    }
}
