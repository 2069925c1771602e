package io.cohort.feature.api;

import io.cohort.support.security.Scopes;
import jakarta.annotation.security.RolesAllowed;
import io.cohort.contracts.http.ProblemDetail;
import io.cohort.feature.persistence.FeatureStore;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** An account's (ABM) rollup, as copied onto every contact's vector. */
@Path("/v1/accounts")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "accounts", description = "Account (ABM) rollups")
public class AccountResource {

    private final FeatureStore store;

    public AccountResource(FeatureStore store) {
        this.store = store;
    }

    @RolesAllowed(Scopes.FEATURES_READ)
    @GET
    @Path("/{id}/features")
    @Operation(summary = "The account's traits, rollup and account_* features as of now")
    @APIResponse(responseCode = "200", description = "The account",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AccountFeatures.class)))
    @APIResponse(responseCode = "404", description = "No group call, contact or intent signal names this account",
            content = @Content(mediaType = ProblemDetail.MEDIA_TYPE, schema = @Schema(implementation = ProblemDetail.class)))
    public AccountFeatures features(@PathParam("id") @Size(max = 255, message = "must be at most 255 characters") String id) {
        return store.account(id).map(view -> new AccountFeatures(view.accountId(), view.rollup().tier(),
                view.rollup().target(), view.traits(), view.rollup().contacts(), view.rollup().engagedContacts30d(),
                view.rollup().intentSignals30d(), view.rollup().intentByTopic30d(), view.rollup().pricingIntent30d(),
                view.rollup().revenue365d().doubleValue(), view.features()))
                .orElseThrow(() -> new AccountNotFoundException("Nothing is held about this account"));
    }

    /**
     * Response body. {@code tier} is null when unknown; {@code features} holds exactly the
     * {@code account_*} features its contacts carry.
     */
    @RegisterForReflection
    public record AccountFeatures(String accountId, Integer tier, boolean target, Map<String, Object> traits,
            long contacts, long engagedContacts30d, long intentSignals30d, Map<String, Long> intentByTopic30d,
            long pricingIntent30d, double revenue365d, Map<String, Double> features) {
    }
}
