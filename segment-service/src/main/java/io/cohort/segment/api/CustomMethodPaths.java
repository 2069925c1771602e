package io.cohort.segment.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import java.net.URI;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Custom methods are addressed with a literal colon ({@code .../segments:preview}, as in Google's API
 * design guide). Some HTTP clients percent-encode that colon ({@code segments%3Apreview}) and the
 * router matches the raw path, so such calls would miss the resource: decode the colon before
 * matching.
 */
public class CustomMethodPaths {

    private static final Pattern ENCODED_COLON = Pattern.compile("%3[aA]");

    @ServerRequestFilter(preMatching = true)
    public void decodeColon(ContainerRequestContext request) {
        URI uri = request.getUriInfo().getRequestUri();
        String path = uri.getRawPath();
        if (path != null && ENCODED_COLON.matcher(path).find()) {
            String query = uri.getRawQuery();
            request.setRequestUri(URI.create(ENCODED_COLON.matcher(path).replaceAll(":")
                    + (query == null ? "" : "?" + query)));
        }
    }
}
