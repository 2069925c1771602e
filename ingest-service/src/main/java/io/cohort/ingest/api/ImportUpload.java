package io.cohort.ingest.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.contracts.http.FieldViolation;
import io.cohort.contracts.http.ProblemDetail;
import io.cohort.ingest.domain.csv.CsvRows;
import io.cohort.ingest.persistence.ImportJobRepository;
import io.cohort.support.security.ScopeProblem;
import io.cohort.support.security.Scopes;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * {@code POST /v1/imports?kind=subscribers|events}: the CSV body (text/csv, optionally gzip) is
 * streamed to {@code cohort.ingest.imports.dir} as it arrives, never held in memory, then an import
 * job is recorded and queued; the answer is 202 with the job id. A plain Vert.x route, ahead of the
 * tracking API's 500 KB body limit, so files of up to {@code cohort.ingest.imports.max-size}
 * (default 1 GB) can be sent. Needs the scope {@code imports:write}: a bearer token holding it or a
 * server write key granted it. Not a JAX-RS resource, so the route checks the identity Quarkus
 * authenticated (proactively, by quarkus-oidc or {@link WriteKeyMechanism}) itself: none is a 401 with
 * the bearer challenge, one without the scope the 403 problem naming it, as {@code @RolesAllowed}.
 */
@ApplicationScoped
public class ImportUpload {

    private static final Logger LOG = Logger.getLogger(ImportUpload.class);

    /** After Quarkus's authentication route (order -200, SecurityHandlerPriorities.AUTHENTICATION). */
    static final int ROUTE_ORDER = -150;

    private final ImportJobRepository jobs;
    private final ImportProcessor processor;
    private final ObjectMapper json;
    private final Clock clock;
    private final Path dir;
    private final long maxSize;

    public ImportUpload(ImportJobRepository jobs, ImportProcessor processor,
            ObjectMapper json, Clock clock,
            @ConfigProperty(name = "cohort.ingest.imports.dir") Path dir,
            @ConfigProperty(name = "cohort.ingest.imports.max-size", defaultValue = "1073741824") long maxSize) {
        this.jobs = jobs;
        this.processor = processor;
        this.json = json;
        this.clock = clock;
        this.dir = dir;
        this.maxSize = maxSize;
    }

    void routes(@Observes Router router) {
        router.post("/v1/imports").order(ROUTE_ORDER).handler(this::upload);
    }

    private void upload(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        request.pause();
        SecurityIdentity identity = ctx.user() instanceof QuarkusHttpUser user ? user.getSecurityIdentity() : null;
        if (identity == null || identity.isAnonymous()) {
            send(ctx, ProblemDetail.of(401, "Unauthorized",
                    "Send a bearer token with the scope imports:write, or a server write key granted it"), "Bearer");
            return;
        }
        if (!identity.hasRole(Scopes.IMPORTS_WRITE)) {
            forbidden(ctx);
            return;
        }
        CsvRows.Kind kind = CsvRows.Kind.parse(request.getParam("kind"));
        if (kind == null) {
            send(ctx, ProblemDetail.invalid("The import kind is missing or unknown",
                    List.of(new FieldViolation("/kind", "query parameter kind must be subscribers or events"))), null);
            return;
        }
        String type = request.getHeader("Content-Type");
        if (type != null && type.toLowerCase().startsWith("multipart/")) {
            send(ctx, ProblemDetail.of(415, "Unsupported Media Type",
                    "Send the CSV file itself as the request body (Content-Type: text/csv)"), null);
            return;
        }
        String length = request.getHeader("Content-Length");
        if (length != null && length.matches("\\d{1,19}") && Long.parseLong(length) > maxSize) {
            send(ctx, tooLarge(), null);
            return;
        }
        receive(ctx, kind);
    }

    /** The 403 problem naming the scope, as MissingScopeMapper answers for a resource. */
    private void forbidden(RoutingContext ctx) {
        if (ctx.response().ended()) {
            return;
        }
        ctx.response().setStatusCode(403).putHeader("Content-Type", ScopeProblem.MEDIA_TYPE)
                .putHeader("Connection", "close")
                .end(write(ScopeProblem.missing(List.of(Scopes.IMPORTS_WRITE))));
    }

    private void receive(RoutingContext ctx, CsvRows.Kind kind) {
        HttpServerRequest request = ctx.request();
        UUID id = UUID.randomUUID();
        Path file = dir.resolve(id + ".csv").toAbsolutePath();
        if ("100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
            request.response().writeContinue();
        }
        ctx.vertx().fileSystem().mkdirs(dir.toAbsolutePath().toString())
                .compose(v -> ctx.vertx().fileSystem().open(file.toString(),
                        new OpenOptions().setCreate(true).setWrite(true).setTruncateExisting(true)))
                .compose(out -> request.pipeTo(out))
                .compose(v -> ctx.vertx().<Long>executeBlocking(() -> {
                    long size = Files.size(file);
                    if (size > maxSize) {
                        throw new TooLarge();
                    }
                    jobs.create(id, kind.wireName(), file.toString(), size, Instant.now(clock));
                    processor.submit(id);
                    return size;
                }, false))
                .onSuccess(size -> {
                    LOG.infof("import %s queued (%s, %d bytes)", id, kind.wireName(), size);
                    ctx.response().setStatusCode(202).putHeader("Content-Type", "application/json")
                            .putHeader("Location", "/v1/imports/" + id)
                            .end(write(Map.of("id", id.toString(), "kind", kind.wireName(), "status",
                                    ImportJobRepository.QUEUED, "bytes", size, "statusUrl", "/v1/imports/" + id)));
                })
                .onFailure(e -> fail(ctx, e, file));
    }

    private void fail(RoutingContext ctx, Throwable e, Path file) {
        if (file != null) {
            ctx.vertx().fileSystem().delete(file.toString()).onFailure(ignored -> { });
        }
        if (e instanceof TooLarge) {
            send(ctx, tooLarge(), null);
        } else {
            LOG.errorf("import upload failed: %s", e.getClass().getName());
            send(ctx, ProblemDetail.of(500, "Internal Server Error", "The upload could not be stored; send it again"),
                    null);
        }
    }

    private ProblemDetail tooLarge() {
        return ProblemDetail.of(413, "Content Too Large", "An import file may be at most " + maxSize
                + " bytes (cohort.ingest.imports.max-size); split it");
    }

    private void send(RoutingContext ctx, ProblemDetail problem, String challenge) {
        if (ctx.response().ended()) {
            return;
        }
        var response = ctx.response().setStatusCode(problem.status()).putHeader("Content-Type", ProblemDetail.MEDIA_TYPE);
        if (challenge != null) {
            response.putHeader("WWW-Authenticate", challenge);
        }
        // the body was not read: close the connection rather than drain an unwanted upload
        response.putHeader("Connection", "close");
        response.end(write(problem));
    }

    private String write(Object body) {
        try {
            return json.writeValueAsString(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class TooLarge extends RuntimeException {
        TooLarge() {
            super("too large", null, false, false);
        }
    }

}
