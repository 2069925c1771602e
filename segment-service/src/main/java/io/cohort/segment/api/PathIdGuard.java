package io.cohort.segment.api;

import io.cohort.contracts.http.FieldViolation;
import io.cohort.contracts.http.ProblemDetail;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Ids in paths are taken whole or refused. The router reads {@code ;} as the start of matrix
 * parameters, so {@code /v1/subscribers/a;b/plan} would be answered for subscriber {@code a}; and a
 * NUL ({@code %00}) cannot be stored or looked up in PostgreSQL. A raw path with either, or a query
 * parameter holding a NUL, is a 400 problem naming the parameter before any resource runs. An
 * encoded semicolon ({@code %3B}) arrives whole in the id and is an id like any other.
 */
public class PathIdGuard {

    @ServerRequestFilter
    public Response refuseUnsafeIds(ContainerRequestContext request, HttpServerRequest raw) {
        // the request URI seen by resources has the matrix parameters cut off already: read the wire's
        String uri = raw.uri();
        int query = uri.indexOf('?');
        String rawPath = query < 0 ? uri : uri.substring(0, query);
        List<FieldViolation> errors = new ArrayList<>();
        if ((rawPath.indexOf(';') >= 0 || rawPath.toLowerCase(Locale.ROOT).contains("%00"))) {
            errors.add(new FieldViolation(pathPointer(rawPath, request.getUriInfo().getPathParameters()),
                    "must not contain ';' (matrix parameters are not supported) or a NUL character; "
                            + "percent-encode a ';' that is part of the id as %3B"));
        }
        request.getUriInfo().getQueryParameters().forEach((name, values) -> {
            if (values.stream().anyMatch(v -> v != null && v.indexOf('\u0000') >= 0)) {
                errors.add(new FieldViolation("?" + name, "must not contain a NUL character"));
            }
        });
        if (errors.isEmpty()) {
            return null;
        }
        return ProblemResponses.problem(ProblemDetail.invalid("The request path or query is invalid; nothing was "
                + "read or changed", errors));
    }

    /**
     * The path parameter the offending segment was bound to: the router gives it the decoded part of
     * the segment before any {@code ;}. Falls back to the whole path when no parameter matches (a
     * literal segment).
     */
    static String pathPointer(String rawPath, MultivaluedMap<String, String> parameters) {
        for (String segment : rawPath.split("/")) {
            int semicolon = segment.indexOf(';');
            boolean nul = segment.toLowerCase(Locale.ROOT).contains("%00");
            if (semicolon < 0 && !nul) {
                continue;
            }
            String bound = decode(semicolon < 0 ? segment : segment.substring(0, semicolon));
            for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
                if (parameter.getValue().contains(bound)) {
                    return "/" + parameter.getKey();
                }
            }
            return "/";
        }
        return "/";
    }

    private static String decode(String rawSegment) {
        try {
            return java.net.URLDecoder.decode(rawSegment.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return rawSegment;
        }
    }
}
