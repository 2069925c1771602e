package io.cohort.segment.api;

import io.cohort.segment.domain.SegmentTemplates;
import io.cohort.segment.persistence.MembershipStore;
import io.cohort.support.security.Scopes;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The five starter segments; instantiating one creates an ordinary rule segment. */
@Path("/v1/segment-templates")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "segments")
public class TemplateResource {

    private final MembershipStore store;
    private final SegmentResource segments;

    public TemplateResource(MembershipStore store, SegmentResource segments) {
        this.store = store;
        this.segments = segments;
    }

    @RolesAllowed(Scopes.SEGMENTS_READ)
    @GET
    @Operation(summary = "The starter segment templates with their definitions")
    public Responses.Templates list() {
        return new Responses.Templates(SegmentTemplates.ALL.stream()
                .map(t -> new Responses.Template(t.key(), t.name(), t.description(), t.definition())).toList());
    }

    @RolesAllowed(Scopes.SEGMENTS_WRITE)
    @POST
    @Path("/{key: [^/:]+}:instantiate")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a segment from a template; the body may override name, holdoutPercent and actions")
    public Response instantiate(@PathParam("key") String key, Object body, @Context UriInfo uri) {
        if (SegmentTemplates.find(key).isEmpty()) {
            throw new NotFoundException("No segment template '" + key + "'; templates: " + SegmentTemplates.keys());
        }
        Map<Object, Object> request = new LinkedHashMap<>();
        if (body instanceof Map<?, ?> map) {
            request.putAll(map);
        } else if (body != null) {
            throw new ValidationFailedException("The template overrides are invalid",
                    java.util.List.of(new io.cohort.contracts.http.FieldViolation("/", "must be a JSON object")));
        }
        request.put("template", key);
        DefinitionInput.Parsed parsed = DefinitionInput.parse(request,
                "The segment definition is invalid; nothing was stored");
        return segments.created(store.create(parsed.definition()), parsed.template(),
                uri.getBaseUriBuilder().path("v1/segments"));
    }
}
