package io.cohort.ingest.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.cohort.devstack.DevStackTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/** Without cohort.ingest.admin-token (the default test profile has none) the admin API is off. */
@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
class WriteKeyAdminDisabledTest {

    @Test
    void theAdminApiRefusesEveryCallWhenNoTokenIsConfigured() {
        given().header("Authorization", "Bearer anything").contentType(ContentType.JSON).body("{\"name\":\"x\"}")
                .post("/v1/admin/write-keys").then().statusCode(403).contentType("application/problem+json")
                .body("status", equalTo(403));
        given().get("/v1/admin/write-keys").then().statusCode(403);
    }
}
