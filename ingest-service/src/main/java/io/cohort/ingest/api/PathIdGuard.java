package io.cohort.ingest.api;

import io.cohort.contracts.http.FieldViolation;
import io.cohort.contracts.http.ProblemDetail;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Locale;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Ids in paths are taken whole or refused. JAX-RS reads a raw {@code ;} as the start of matrix
 * parameters, so {@code /v1/subscribers/a;b/consent} would act on subscriber {@code a}; and
 * {@code %00} decodes to a NUL no table can store. Both are refused before routing, on every path,
 * with a 400 problem; an id that really contains {@code ;} is sent percent-encoded ({@code %3B})
 * and then arrives whole.
 */
public class PathIdGuard {

    @ServerRequestFilter(preMatching = true)
    public Response refuseAmbiguousPaths(HttpServerRequest request) {
        // the request target as sent: the JAX-RS request URI has matrix parameters stripped already
        String target = request.uri();
        if (target == null) {
            return null;
        }
        int query = target.indexOf('?');
        String path = query < 0 ? target : target.substring(0, query);
        String message = null;
        if (path.indexOf(';') >= 0) {
            message = "must not contain a raw ';' (it would start matrix parameters and cut the id short); "
                    + "percent-encode it as %3B";
        } else if (path.toLowerCase(Locale.ROOT).contains("%00")) {
            message = "must not contain %00 (the NUL character)";
        }
        if (message == null) {
            return null;
        }
        return ProblemResponses.problem(ProblemDetail.invalid("The request path is invalid",
                List.of(new FieldViolation("/path", message))));
    }
}
