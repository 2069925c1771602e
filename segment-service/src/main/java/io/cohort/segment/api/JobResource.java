package io.cohort.segment.api;

import io.cohort.segment.messaging.Sweeper;
import io.cohort.support.security.Scopes;
import jakarta.annotation.security.RolesAllowed;
import io.cohort.segment.persistence.JobRepository;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Backfills and sweeps with their progress; a sweep can also be run on demand. */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "jobs", description = "Backfills and time-based sweeps")
public class JobResource {

    static final int RECENT = 50;

    private final JobRepository jobs;
    private final Sweeper sweeper;

    public JobResource(JobRepository jobs, Sweeper sweeper) {
        this.jobs = jobs;
        this.sweeper = sweeper;
    }

    @RolesAllowed(Scopes.SEGMENTS_READ)
    @GET
    @Path("/jobs")
    @Operation(summary = "The 50 newest backfills and sweeps, newest first")
    public Responses.Jobs list() {
        return new Responses.Jobs(jobs.recent(RECENT).stream().map(JobResource::job).toList());
    }

    @RolesAllowed(Scopes.SEGMENTS_READ)
    @GET
    @Path("/jobs/{id}")
    @Operation(summary = "One job: status running/completed/failed, processed of total views, transitions")
    public Responses.Job get(@PathParam("id") String id) {
        return find(id);
    }

    // not get(): a call to an operation, even from here, is checked against that operation's scope
    private Responses.Job find(String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException("No job with id " + id);
        }
        return jobs.find(uuid).map(JobResource::job).orElseThrow(() -> new NotFoundException("No job with id " + id));
    }

    // now what the schedule does hourly: memberships re-evaluated as an edit would, nothing new shown
    @RolesAllowed(Scopes.SEGMENTS_WRITE)
    @POST
    @Path("/sweeps")
    @Operation(summary = "Run a sweep now (it also runs every segment.sweep.interval); returns the finished job")
    public Responses.Job sweep() {
        return find(sweeper.sweep().toString());
    }

    static Responses.Job job(JobRepository.Job j) {
        return new Responses.Job(j.id().toString(), j.kind(), j.segmentId() == null ? null : j.segmentId().toString(),
                j.segmentVersion(), j.status(), j.processed(), j.total(), j.entered(), j.exited(), j.startedAt(),
                j.finishedAt());
    }
}
