package io.cohort.ingest.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cohort.contracts.Topics;
import io.cohort.devstack.DevStack;
import io.cohort.devstack.DevStackTestResource;
import io.cohort.devstack.TopicRecords;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
class ErasureResourceTest {

    @Test
    void anErasureRequestIsPublishedKeyedBySubscriber() {
        String user = "u-" + UUID.randomUUID();
        String requestId = given().delete("/v1/subscribers/" + user)
                .then().statusCode(202).body("requestId", notNullValue()).extract().path("requestId");
        try (var erasures = new TopicRecords(DevStack.shared().kafkaBootstrapServers(), Topics.ERASURE)) {
            var records = await().atMost(Duration.ofSeconds(30)).until(() -> erasures.pollKey(user), r -> r.size() == 1);
            String value = records.get(0).value();
            assertTrue(value.contains("\"subscriberId\":\"" + user + "\""), value);
            assertTrue(value.contains(requestId), value);
        }
    }

    @Test
    void anOverlongSubscriberIdIsRefused() {
        given().delete("/v1/subscribers/" + "x".repeat(256))
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].pointer", equalTo("/id"));
    }
}
