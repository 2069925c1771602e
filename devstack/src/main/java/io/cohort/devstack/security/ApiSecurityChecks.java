package io.cohort.devstack.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.cohort.devstack.DevStack;
import io.cohort.devstack.Roles;
import java.util.Set;

/**
 * The checks every secured service's {@code ApiSecurityTest} makes besides {@link OpenApiScopeWalk},
 * against the service under test (RestAssured's default base, with {@link BearerTokenCallback}'s
 * admin token unless a call says otherwise): one place, so the services cannot drift apart.
 */
public final class ApiSecurityChecks {

    private ApiSecurityChecks() {
    }

    /** Probes, metrics and the OpenAPI document answer without any token, as a kubelet or Prometheus calls. */
    public static void probesAndTheDocumentStayOpen() {
        for (String path : Set.of("/q/health/live", "/q/health/ready", "/q/metrics", "/q/openapi")) {
            // noFilters(): no token at all
            given().noFilters().when().get(path).then().statusCode(200);
        }
    }

    /**
     * A token signed by the right key but for another API is refused at {@code path} (a GET the admin
     * may call), while the admin's own token is not: the audience check is on.
     */
    public static void aTokenForAnotherAudienceIsRefused(String path) {
        String foreign = DevStack.shared().tokens().mint("admin", Roles.ADMIN, "other-api");
        given().header("Authorization", "Bearer " + foreign).when().get(path).then().statusCode(401);
        given().when().get(path).then().statusCode(200);
    }

    /** The OpenAPI document declares the bearer scheme, so Swagger UI's "Authorize" takes a token. */
    public static void theDocumentDeclaresTheBearerScheme() {
        given().when().get("/q/openapi?format=json").then().statusCode(200)
                .body("components.securitySchemes.bearer.type", equalTo("http"))
                .body("components.securitySchemes.bearer.scheme", equalTo("bearer"));
    }
}
