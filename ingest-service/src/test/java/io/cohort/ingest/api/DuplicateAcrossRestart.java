package io.cohort.ingest.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cohort.contracts.Topics;
import io.cohort.devstack.DevStack;
import io.cohort.devstack.TopicRecords;
import io.restassured.http.ContentType;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * A duplicate messageId across a service restart. Two test classes with different profiles run
 * this, so Quarkus runs them in two application instances (it stops one and starts the other)
 * against the same database and broker. Whichever runs first accepts an event; the second, in the
 * fresh instance, sends the same messageId again and must get it acknowledged as a duplicate,
 * with the event still exactly once on the topic. The database (the only state that survives the
 * restart) tells which of the two is running.
 */
final class DuplicateAcrossRestart {

    static final String PREFIX = "restart-probe-";

    private DuplicateAcrossRestart() {
    }

    static void run(DataSource data) throws Exception {
        String earlier = null;
        try (Connection connection = data.getConnection(); Statement query = connection.createStatement();
                ResultSet rows = query.executeQuery(
                        "select message_id from accepted_message where message_id like '" + PREFIX + "%'")) {
            if (rows.next()) {
                earlier = rows.getString(1);
            }
        }
        if (earlier == null) {
            String user = "u-" + UUID.randomUUID();
            send(user).body("accepted", equalTo(1)).body("duplicates", equalTo(0));
            return;
        }
        String user = earlier.substring(PREFIX.length());
        send(user).body("accepted", equalTo(0)).body("duplicates", equalTo(1));
        try (var events = new TopicRecords(DevStack.shared().kafkaBootstrapServers(), Topics.EVENTS)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> events.pollKey(user).size() == 1);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                    .until(() -> events.pollKey(user).size() == 1);
            assertEquals(1, events.pollKey(user).size());
        }
    }

    private static io.restassured.response.ValidatableResponse send(String user) {
        return given().contentType(ContentType.JSON)
                .body("{\"userId\":\"" + user + "\",\"event\":\"Product Viewed\",\"messageId\":\"" + PREFIX + user + "\"}")
                .post("/v1/track").then().statusCode(200);
    }
}
