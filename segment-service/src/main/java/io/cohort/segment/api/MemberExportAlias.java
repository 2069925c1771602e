package io.cohort.segment.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import java.net.URI;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * {@code GET /v1/segments/{id}/members?format=csv} is the member export under its older name: it is
 * routed to {@code GET /v1/segments/{id}/members:export} before matching, so it needs that
 * operation's scope ({@code members:export}) rather than the page's ({@code members:read}); a reader
 * of pages cannot download every member at once by adding a query parameter.
 */
public class MemberExportAlias {

    private static final Pattern MEMBERS = Pattern.compile("/v1/segments/[^/]+/members/?");

    @ServerRequestFilter(preMatching = true)
    public void csvIsTheExport(ContainerRequestContext request) {
        if (!"GET".equals(request.getMethod())
                || !"csv".equals(request.getUriInfo().getQueryParameters().getFirst("format"))) {
            return;
        }
        URI uri = request.getUriInfo().getRequestUri();
        String path = uri.getRawPath();
        if (path != null && MEMBERS.matcher(path).matches()) {
            String query = uri.getRawQuery();
            request.setRequestUri(URI.create(path.replaceAll("/$", "") + ":export" + (query == null ? "" : "?" + query)));
        }
    }
}
