package io.cohort.feature.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.cohort.contracts.CanonicalEvents;
import io.cohort.contracts.EventEnvelope;
import io.cohort.contracts.EventType;
import io.cohort.contracts.Topics;
import io.cohort.devstack.DevStack;
import io.cohort.devstack.DevStackTestResource;
import io.cohort.devstack.TopicRecords;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Raw paths (no client-side encoding): ids are taken whole or refused (issue 15, items 4 and 6). */
@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
class PathIdGuardTest {

    private static final List<String> ID_PATHS = List.of("/v1/subscribers/%s/features", "/v1/subscribers/%s/profile",
            "/v1/subscribers/%s/timeline", "/v1/accounts/%s/features");

    private static void refused(String rawPath) {
        given().urlEncodingEnabled(false).get(rawPath).then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("errors.pointer", hasItem("/id"));
    }

    @Test
    void aNulInAnIdIsA400ProblemNotA500() {
        for (String path : ID_PATHS) {
            refused(path.formatted("a%00b"));
            refused(path.formatted("a%00"));
        }
    }

    @Test
    void aSemicolonInAnIdIsRefusedInsteadOfReadingThePrefixAsAnotherSubscriber() throws Exception {
        String user = "u-" + UUID.randomUUID();
        Instant now = Instant.now();
        send(user, now);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().get("/v1/subscribers/{id}/features", user).then().statusCode(200));
        for (String path : ID_PATHS) {
            refused(path.formatted(user + ";x=1"));
            refused(path.formatted(user + ";"));
        }
    }

    @Test
    void anEncodedSemicolonIsPartOfTheIdTakenWhole() throws Exception {
        String user = "a;b-" + UUID.randomUUID();
        send(user, Instant.now());
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().urlEncodingEnabled(false).get("/v1/subscribers/" + user.replace(";", "%3B") + "/features")
                        .then().statusCode(200).body("subscriberId", equalTo(user)));
    }

    private static void send(String user, Instant at) throws Exception {
        EventEnvelope event = new EventEnvelope(EventEnvelope.SCHEMA_VERSION, UUID.randomUUID().toString(),
                EventType.TRACK, user, null, null, CanonicalEvents.EMAIL_DELIVERED, null, null, null, null, at, null, at);
        TopicRecords.send(DevStack.shared().kafkaBootstrapServers(), Topics.EVENTS, user,
                new com.fasterxml.jackson.databind.ObjectMapper().registerModule(
                        new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
                        .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                        .writeValueAsString(event));
    }
}
