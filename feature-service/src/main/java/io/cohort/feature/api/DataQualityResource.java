package io.cohort.feature.api;

import io.cohort.support.security.Scopes;
import jakarta.annotation.security.RolesAllowed;
import io.cohort.feature.domain.DataQuality;
import io.cohort.feature.persistence.DataQualityRepository;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The data-quality report (also exported as {@code cohort.feature.data.quality} gauges). */
@Path("/v1/data-quality")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "data quality")
public class DataQualityResource {

    private final DataQualityRepository quality;

    public DataQualityResource(DataQualityRepository quality) {
        this.quality = quality;
    }

    @RolesAllowed(Scopes.FEATURES_READ)
    @GET
    @Operation(summary = "Counters since the service's data began, and profile activity")
    public DataQuality.Report report() {
        return quality.report();
    }
}
