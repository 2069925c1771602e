package io.cohort.model.api;

import io.cohort.contracts.http.FieldViolation;
import io.cohort.contracts.http.ProblemDetail;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Ids in paths (family, version, cluster, job) are taken whole or refused. The router treats a raw
 * {@code ;} as the start of matrix parameters and binds only what comes before it, so
 * {@code /v1/models/clustering.behavioural;x/versions} would act on another name than the one sent;
 * a NUL ({@code %00}) is no id anyone can hold. Either in the raw path is a 400 problem naming the
 * path parameter, before any resource runs. A percent-encoded semicolon ({@code %3B}) is part of
 * the id and arrives whole.
 */
public class PathIds {

    private static final String HINT = "must be taken whole: no ';' (matrix parameters are not supported;"
            + " send %3B for a ';' in the id) and no NUL";

    @ServerRequestFilter
    public Response refuseCutIds(ContainerRequestContext request, HttpServerRequest wire) {
        // what resources see has the matrix parameters cut off already: look at the path as sent
        String sent = wire.uri();
        int query = sent.indexOf('?');
        String rawPath = query < 0 ? sent : sent.substring(0, query);
        String offending = null;
        for (String segment : rawPath.split("/")) {
            if (segment.indexOf(';') >= 0 || segment.toLowerCase(Locale.ROOT).contains("%00")) {
                offending = segment;
                break;
            }
        }
        if (offending == null) {
            return null;
        }
        String bound = decoded(offending.split(";", 2)[0]);
        String pointer = request.getUriInfo().getPathParameters().entrySet().stream()
                .filter(parameter -> parameter.getValue().contains(bound))
                .map(parameter -> "/" + parameter.getKey()).findFirst().orElse("/");
        return ProblemResponses.problem(ProblemDetail.invalid("The path holds an id that cannot be used as sent;"
                + " nothing was read or changed", List.of(new FieldViolation(pointer, HINT))));
    }

    private static String decoded(String rawSegment) {
        try {
            return URLDecoder.decode(rawSegment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return rawSegment;
        }
    }
}
