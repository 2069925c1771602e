package io.cohort.ingest.api;

import io.cohort.contracts.http.ProblemDetail;
import io.cohort.ingest.persistence.ImportJobRepository;
import io.cohort.support.security.Scopes;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Progress of a CSV import ({@code POST /v1/imports?kind=subscribers|events} with the CSV as the
 * body, a plain Vert.x route, see {@link ImportUpload}). Scope {@code imports:write}, as the upload:
 * whoever imports follows the job (its errors name rows of the file); a bearer token or a server
 * key granted the scope.
 */
@RolesAllowed(Scopes.IMPORTS_WRITE)
@Path("/v1/imports")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "imports", description = "CSV imports of subscribers and historical events")
public class ImportResource {

    private final ImportJobRepository jobs;
    private final ImportProcessor processor;

    public ImportResource(ImportJobRepository jobs, ImportProcessor processor) {
        this.jobs = jobs;
        this.processor = processor;
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "An import job's status and progress",
            description = "status queued, running, completed or failed; rowsRead, accepted and rejected count data "
                    + "rows (not the header); errors lists the first refused rows by line (at most "
                    + "cohort.ingest.imports.max-errors, errorsTruncated when there were more).")
    public Response status(@PathParam("id") String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return notFound(id);
        }
        return jobs.find(uuid).map(job -> {
            List<ImportProcessor.ImportError> errors = processor.errorsOf(job.errors());
            return Response.ok(new ImportStatus(job.id().toString(), job.kind(), job.status(), job.fileBytes(),
                    job.rowsRead(), job.accepted(), job.rejected(), errors, job.rejected() > errors.size(),
                    job.failure(), job.createdAt(), job.updatedAt(), job.completedAt())).build();
        }).orElseGet(() -> notFound(id));
    }

    private static Response notFound(String id) {
        return ProblemResponses.problem(ProblemDetail.of(404, "Not Found", "No import " + id));
    }

    /** {@code GET /v1/imports/{id}} body. */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record ImportStatus(String id, String kind, String status, long bytes, long rowsRead, long accepted,
            long rejected, List<ImportProcessor.ImportError> errors, boolean errorsTruncated, String failure,
            Instant createdAt, Instant updatedAt, Instant completedAt) {
    }
}
