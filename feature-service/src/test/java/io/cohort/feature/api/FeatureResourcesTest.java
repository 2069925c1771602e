package io.cohort.feature.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.emptyOrNullString;

import io.cohort.contracts.FeatureNames;
import io.cohort.devstack.DevStackTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
class FeatureResourcesTest {

    @Test
    void unknownSubscriberIsA404Problem() {
        given().get("/v1/subscribers/{id}/features", "nobody-" + UUID.randomUUID())
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404))
                .body("title", equalTo("Subscriber not found"));
    }

    @Test
    void overlongIdIsA400ProblemNamingTheParameter() {
        given().get("/v1/subscribers/{id}/features", "x".repeat(300))
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.pointer", hasItem("/id"));
    }

    @Test
    void unknownPathIsA404Problem() {
        given().get("/v1/nowhere").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void catalogDefinesEveryFeature() {
        given().get("/v1/features/catalog")
                .then().statusCode(200)
                .body("features.name", containsInAnyOrder(FeatureNames.ALL.toArray()))
                .body("features.type", everyItem(equalTo("number")))
                .body("features.unit", everyItem(not(emptyOrNullString())))
                .body("features.window", hasItems("30d", "90d"))
                .body("features.definition", everyItem(not(emptyOrNullString())));
    }

    @Test
    void healthMetricsAndOpenApiAreServed() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", hasItems("Database connections health check"));
        given().get("/q/metrics").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200);
    }
}
