package io.cohort.devstack.security;

import io.cohort.devstack.DevStack;
import io.cohort.devstack.Roles;
import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;
import io.restassured.filter.Filter;

/**
 * Every RestAssured call of a {@code @QuarkusTest} carries a bearer token of the devstack's real
 * issuer, for the development admin (every scope): tests exercise the service with security on, as
 * it runs in production. A call that sets its own {@code Authorization} keeps it; {@code noFilters()}
 * sends none. A service's test module enables it by listing this class in
 * {@code src/test/resources/META-INF/services/io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback};
 * what each operation requires is proven separately by {@link OpenApiScopeWalk}.
 */
public class BearerTokenCallback implements QuarkusTestBeforeEachCallback {

    private static volatile String token;

    /** A filter rather than a default request specification: a specification would also pin port 8080. */
    private static final Filter ADMIN_TOKEN = (request, response, context) -> {
        if (!request.getHeaders().hasHeaderWithName("Authorization")) {
            request.header("Authorization", "Bearer " + adminToken());
        }
        return context.next(request, response);
    };

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        if (!RestAssured.filters().contains(ADMIN_TOKEN)) {
            RestAssured.filters(ADMIN_TOKEN);
        }
    }

    /** A token of the shared devstack's issuer holding every scope, minted once per test JVM. */
    public static String adminToken() {
        if (token == null) {
            token = DevStack.shared().tokens().mint("admin", Roles.ADMIN);
        }
        return token;
    }
}
