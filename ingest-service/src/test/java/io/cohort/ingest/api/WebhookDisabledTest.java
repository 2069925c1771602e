package io.cohort.ingest.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.cohort.devstack.DevStackTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Without configuration every provider is off (403); an unknown provider is 404. Both problems. */
@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
class WebhookDisabledTest {

    @Test
    void unconfiguredProvidersAreForbidden() {
        for (String provider : new String[] {"sendgrid", "mailgun", "postmark", "ses"}) {
            given().contentType("application/json").body("[]").post("/v1/webhooks/" + provider)
                    .then().statusCode(403).contentType("application/problem+json").body("status", equalTo(403));
        }
    }

    @Test
    void unknownProviderIsNotFound() {
        given().contentType("application/json").body("{}").post("/v1/webhooks/sparkpost")
                .then().statusCode(404).contentType("application/problem+json");
    }
}
