package io.cohort.ingest.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;

import io.cohort.devstack.DevStackTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The Vert.x upload route POST /v1/imports is in the OpenAPI document beside the scanned resources. */
@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
class OpenApiDocumentTest {

    @Test
    void theImportUploadIsDocumentedWithItsBodyTypesAndResponses() {
        given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/v1/imports'.post.requestBody.content.keySet()",
                        hasItems("text/csv", "application/octet-stream"))
                .body("paths.'/v1/imports'.post.parameters.find { it.name == 'kind' }.schema.enum",
                        hasItems("subscribers", "events"))
                .body("paths.'/v1/imports'.post.responses.keySet()", hasItems("202", "400", "401", "413", "415"))
                .body("paths.'/v1/imports'.post.responses.'202'.content.'application/json'.schema.'$ref'",
                        equalTo("#/components/schemas/ImportAccepted"))
                .body("components.schemas.ImportAccepted.properties.id", notNullValue())
                // the scanned resources are still there
                .body("paths.'/v1/imports/{id}'.get", notNullValue())
                .body("paths.'/v1/batch'.post", notNullValue());
    }

    @Test
    void unsuppressAndMergeAreDocumented() {
        given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/v1/subscribers/{id}:unsuppress'.post.summary", notNullValue())
                .body("paths.'/v1/merge'.post.summary", notNullValue());
    }
}
