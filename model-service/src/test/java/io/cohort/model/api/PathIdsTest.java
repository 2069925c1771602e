package io.cohort.model.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import io.cohort.devstack.DevStackTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 items 4 and 6: a raw ';' made the router act on the part of an id before it (matrix
 * parameters), and a NUL is no id: both are 400 problems naming the path parameter. Sent raw
 * (urlEncodingEnabled false), as a client writing the path by hand would.
 */
@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
class PathIdsTest {

    @Test
    void aSemicolonInAPathIdIsRefusedNotCutOff() {
        // before: answered with clustering.behavioural's versions (200)
        given().urlEncodingEnabled(false).get("/v1/models/clustering.behavioural;x/versions")
                .then().statusCode(400).contentType(startsWith("application/problem+json"))
                .body("errors.pointer", hasItem("/family"));
        given().urlEncodingEnabled(false).contentType(ContentType.JSON).body("{\"k\":3}")
                .post("/v1/models/clustering.behavioural;k=4/versions:train")
                .then().statusCode(400).body("errors.pointer", hasItem("/family"));
        given().urlEncodingEnabled(false).get("/v1/models/clustering.behavioural/versions/1;2")
                .then().statusCode(400).body("errors.pointer", hasItem("/version"));
    }

    @Test
    void aNulInAPathIdIsRefused() {
        given().urlEncodingEnabled(false).get("/v1/models/clustering%00behavioural/versions")
                .then().statusCode(400).contentType(startsWith("application/problem+json"))
                .body("status", equalTo(400)).body("errors.pointer", hasItem("/family"));
        given().urlEncodingEnabled(false).get("/v1/jobs/00000000-0000-0000-0000-00000000000%00")
                .then().statusCode(400).body("errors.pointer", hasItem("/id"));
    }

    @Test
    void anEncodedSemicolonIsPartOfTheIdAndArrivesWhole() {
        given().urlEncodingEnabled(false).get("/v1/models/clustering.behavioural%3Bx/versions")
                .then().statusCode(404).body("title", equalTo("Unknown model family"));
    }
}
