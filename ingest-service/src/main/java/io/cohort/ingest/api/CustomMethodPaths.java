package io.cohort.ingest.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import java.net.URI;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Custom methods are addressed with a literal colon ({@code /v1/subscribers/{id}:unsuppress},
 * {@code /v1/admin/write-keys/{id}:rotate}, as in
 * Google's API design guide). Some HTTP clients percent-encode that colon ({@code %3Aunsuppress})
 * and the router matches the raw path, so such calls would miss the resource: decode the colon of
 * a known custom method at the end of the path before matching (a {@code %3A} inside an id stays
 * as it is).
 */
public class CustomMethodPaths {

    private static final Pattern ENCODED_METHOD = Pattern.compile("%3[aA](unsuppress|rotate)$");

    @ServerRequestFilter(preMatching = true)
    public void decodeColon(ContainerRequestContext request) {
        URI uri = request.getUriInfo().getRequestUri();
        String path = uri.getRawPath();
        if (path != null && ENCODED_METHOD.matcher(path).find()) {
            String query = uri.getRawQuery();
            request.setRequestUri(URI.create(ENCODED_METHOD.matcher(path).replaceAll(":$1")
                    + (query == null ? "" : "?" + query)));
        }
    }
}
