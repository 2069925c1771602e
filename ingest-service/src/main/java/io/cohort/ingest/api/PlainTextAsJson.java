package io.cohort.ingest.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Segment's browser library (analytics.js) posts its JSON as {@code text/plain} so browsers skip
 * the CORS preflight; the tracking calls read such bodies as JSON.
 */
public class PlainTextAsJson {

    @ServerRequestFilter(preMatching = true)
    public void plainTextIsJson(ContainerRequestContext request) {
        MediaType type = request.getMediaType();
        if (type != null && type.isCompatible(MediaType.TEXT_PLAIN_TYPE)
                && request.getUriInfo().getPath().startsWith("/v1/")) {
            request.getHeaders().putSingle(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON);
        }
    }
}
