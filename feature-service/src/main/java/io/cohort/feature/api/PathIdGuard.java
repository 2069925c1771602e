package io.cohort.feature.api;

import io.cohort.contracts.http.FieldViolation;
import io.cohort.contracts.http.ProblemDetail;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.Locale;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Ids in paths are taken whole or refused: a {@code ;} starts matrix parameters, so {@code a;b} would
 * be read as {@code a} (another subscriber), and {@code %00} decodes to a NUL no id can contain (and
 * PostgreSQL cannot store), which used to end in a 500. Both are refused with a 400 problem before
 * any resource is matched. An encoded {@code %3B} is part of the id and kept. Every path parameter
 * of this service is an id named {@code id}.
 */
public class PathIdGuard {

    @ServerRequestFilter(preMatching = true)
    public jakarta.ws.rs.core.Response refuseAmbiguousIds(HttpServerRequest request) {
        // the request target as sent: the JAX-RS request URI has matrix parameters cut off already
        String raw = request.uri();
        int query = raw.indexOf('?');
        String path = (query < 0 ? raw : raw.substring(0, query)).toLowerCase(Locale.ROOT);
        if (!path.contains(";") && !path.contains("%00")) {
            return null;
        }
        return ProblemResponses.problem(ProblemDetail.invalid("The path is invalid", List.of(new FieldViolation("/id",
                "must not contain ';' (matrix parameters) or NUL (%00)"))));
    }
}
