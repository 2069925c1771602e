package io.cohort.support.security;

import io.quarkus.security.ForbiddenException;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A valid token without the operation's scope: 403 as problem+json naming the scope, instead of
 * Quarkus's empty 403, so the caller knows which grant to ask for. Found by every service that
 * depends on service-support (its classes are indexed through META-INF/beans.xml). A request
 * without a token never gets here: Quarkus answers 401 with its {@code WWW-Authenticate} challenge.
 */
public class MissingScopeMapper {

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, ResourceInfo resource) {
        ScopeProblem problem = ScopeProblem.missing(RequiredScopes.of(resource == null ? null : resource.getResourceMethod()));
        return Response.status(403).type(ScopeProblem.MEDIA_TYPE).entity(problem).build();
    }
}
