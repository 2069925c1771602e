package io.cohort.ingest.messaging;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import io.cohort.devstack.DevStackTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** With the devstack's broker up, readiness reports the events producer UP with its topic. */
@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
class EventsProducerReadinessTest {

    @Test
    void readinessListsTheEventsProducerUp() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'cohort-events-producer' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'cohort-events-producer' }.data.topic", equalTo("cohort.events.v1"))
                .body("checks.find { it.name == 'cohort-events-producer' }.data.brokers", greaterThanOrEqualTo(1));
    }
}
