package io.cohort.ingest.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cohort.contracts.Topics;
import io.cohort.devstack.DevStack;
import io.cohort.devstack.DevStackTestResource;
import io.cohort.devstack.TopicRecords;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, item 3: consent and erasure are recorded before they are published. A request that
 * cannot be recorded publishes nothing; one the broker refuses stays pending and the outbox
 * publishes it later, exactly once. Failures are real: a PostgreSQL trigger refuses the insert, and
 * the broker refuses records while the topic's max.message.bytes is lowered.
 */
@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
class RequestOutboxTest {

    private static final String CONSENT = "{\"channel\":\"email\",\"status\":\"granted\"}";

    private static void sql(String statement) throws Exception {
        try (var connection = DriverManager.getConnection(DevStack.shared().jdbcUrl(), "postgres", "postgres");
                var st = connection.createStatement()) {
            st.execute(statement);
        }
    }

    /** Sets (or, with null, removes) the topic's max.message.bytes on the test broker. */
    private static void maxMessageBytes(String topic, String value) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                DevStack.shared().kafkaBootstrapServers()))) {
            var entry = new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, value);
            var op = new AlterConfigOp(entry, value == null ? AlterConfigOp.OpType.DELETE : AlterConfigOp.OpType.SET);
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topic), List.of(op)))
                    .all().get();
        }
    }

    private static String consent(String user, int status) {
        return given().contentType(ContentType.JSON).body(CONSENT).put("/v1/subscribers/" + user + "/consent")
                .then().statusCode(status).extract().asString();
    }

    @Test
    void aRequestThatCannotBeRecordedPublishesNothing() throws Exception {
        String user = "unrecordable-" + UUID.randomUUID();
        sql("""
                create or replace function ingest.refuse_unrecordable() returns trigger language plpgsql as $$
                begin
                  if new.subscriber_id like 'unrecordable-%' then raise exception 'refused by the test'; end if;
                  return new;
                end $$""");
        sql("drop trigger if exists refuse_unrecordable on ingest.subscriber_request");
        sql("create trigger refuse_unrecordable before insert on ingest.subscriber_request "
                + "for each row execute function ingest.refuse_unrecordable()");
        try {
            consent(user, 500);
            given().delete("/v1/subscribers/" + user).then().statusCode(500);
        } finally {
            sql("drop trigger if exists refuse_unrecordable on ingest.subscriber_request");
        }
        try (var events = new TopicRecords(DevStack.shared().kafkaBootstrapServers(), Topics.EVENTS);
                var erasures = new TopicRecords(DevStack.shared().kafkaBootstrapServers(), Topics.ERASURE)) {
            // once recordable, each request is published once: the earlier attempts left nothing before it
            String consentId = io.restassured.path.json.JsonPath.from(consent(user, 202)).getString("requestId");
            String erasureId = given().delete("/v1/subscribers/" + user).then().statusCode(202)
                    .extract().path("requestId");
            var published = await().atMost(Duration.ofSeconds(30)).until(() -> events.pollKey(user),
                    r -> r.stream().anyMatch(e -> e.value().contains("consent-" + consentId)));
            assertEquals(1, published.size(), published.toString());
            var erased = await().atMost(Duration.ofSeconds(30)).until(() -> erasures.pollKey(user),
                    r -> r.stream().anyMatch(e -> e.value().contains(erasureId)));
            assertEquals(1, erased.size(), erased.toString());
        }
    }

    @Test
    void aConsentTheBrokerRefusesStaysPendingAndIsPublishedLaterExactlyOnce() throws Exception {
        String user = "u-" + UUID.randomUUID();
        maxMessageBytes(Topics.EVENTS, "100");
        String requestId;
        try {
            String problem = given().contentType(ContentType.JSON).body(CONSENT)
                    .put("/v1/subscribers/" + user + "/consent")
                    .then().statusCode(503).contentType("application/problem+json")
                    .body("instance", containsString("/v1/requests/")).extract().asString();
            requestId = io.restassured.path.json.JsonPath.from(problem).getString("instance")
                    .substring("/v1/requests/".length());
            given().get("/v1/requests/" + requestId).then().statusCode(200).body("status", equalTo("pending"));
        } finally {
            maxMessageBytes(Topics.EVENTS, null);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> "published".equals(
                given().get("/v1/requests/" + requestId).then().extract().path("status")));
        try (var events = new TopicRecords(DevStack.shared().kafkaBootstrapServers(), Topics.EVENTS)) {
            consent(user, 202); // a second request: two records in all prove the first went out once
            var records = await().atMost(Duration.ofSeconds(30)).until(() -> events.pollKey(user), r -> r.size() >= 2);
            assertEquals(2, records.size(), records.toString());
            assertEquals(1, records.stream().filter(r -> r.value().contains("consent-" + requestId)).count());
        }
    }

    @Test
    void anErasureTheBrokerRefusesStaysPendingAndIsPublishedLaterExactlyOnce() throws Exception {
        String user = "u-" + UUID.randomUUID();
        maxMessageBytes(Topics.ERASURE, "100");
        String requestId;
        try {
            requestId = given().delete("/v1/subscribers/" + user).then().statusCode(503)
                    .extract().jsonPath().getString("instance").substring("/v1/requests/".length());
            given().get("/v1/requests/" + requestId).then().statusCode(200).body("status", equalTo("pending"));
        } finally {
            maxMessageBytes(Topics.ERASURE, null);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> "published".equals(
                given().get("/v1/requests/" + requestId).then().extract().path("status")));
        try (var erasures = new TopicRecords(DevStack.shared().kafkaBootstrapServers(), Topics.ERASURE)) {
            given().delete("/v1/subscribers/" + user).then().statusCode(202);
            var records = await().atMost(Duration.ofSeconds(30)).until(() -> erasures.pollKey(user), r -> r.size() >= 2);
            assertEquals(2, records.size(), records.toString());
            assertEquals(1, records.stream().filter(r -> r.value().contains(requestId)).count());
        }
    }
}
