package io.cohort.feature.api;

import io.cohort.support.security.Scopes;
import jakarta.annotation.security.RolesAllowed;
import io.cohort.feature.domain.FeatureCatalog;
import io.cohort.feature.domain.FeatureDefinition;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** What each feature in a vector means, so consumers need not guess from the name. */
@Path("/v1/features/catalog")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "features")
public class FeatureCatalogResource {

    @RolesAllowed(Scopes.FEATURES_READ)
    @GET
    @Operation(summary = "Definitions of every published feature")
    public Catalog catalog() {
        return new Catalog(FeatureCatalog.FEATURES, FeatureCatalog.FAMILIES, FeatureCatalog.LABELS);
    }

    /**
     * Response body: {@code {"features": [...], "families": [...], "labels": [...]}}: the fixed numeric
     * features, the dynamic families (name = prefix + "<key>") and the categorical labels.
     */
    public record Catalog(List<FeatureDefinition> features, List<FeatureDefinition> families,
            List<FeatureDefinition> labels) {
    }
}
