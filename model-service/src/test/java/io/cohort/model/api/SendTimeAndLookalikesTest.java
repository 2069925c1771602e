package io.cohort.model.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.contracts.FeatureNames;
import io.cohort.contracts.ScoreNames;
import io.cohort.contracts.Topics;
import io.cohort.devstack.DevStack;
import io.cohort.devstack.DevStackTestResource;
import io.cohort.devstack.TopicRecords;
import io.cohort.model.FeatureFeed;
import io.cohort.model.TestDatabase;
import io.cohort.model.domain.ModelFamilies;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
class SendTimeAndLookalikesTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String BIN = FeatureNames.HOUR_OF_WEEK_ENGAGEMENT_PREFIX;

    @Inject
    TestDatabase db;
    @Inject
    ObjectMapper json;

    @AfterEach
    void forget() {
        db.deleteVersions(ModelFamilies.SENDTIME);
        db.clearSubscribers();
    }

    @Test
    void sendTimeIsPublishedAndLookalikesComeFromTheSeedsBehaviour() throws Exception {
        db.clearSubscribers();
        FeatureFeed feed = new FeatureFeed(json);
        String run = "st-" + UUID.randomUUID() + "-";
        for (int i = 0; i < 20; i++) {
            feed.send(run + "crowd-" + i, 1, Map.of(BIN + "33", 6.0, BIN + "34", 1.0,
                    FeatureNames.EMAILS_OPENED_30D, 8.0, FeatureNames.EMAILS_DELIVERED_30D, 10.0));
        }
        for (int i = 0; i < 10; i++) {
            feed.send(run + "night-" + i, 1, Map.of(BIN + "100", 10.0, FeatureNames.ORDERS_90D, 4.0,
                    FeatureNames.REVENUE_90D, 900.0, FeatureNames.EMAILS_DELIVERED_30D, 10.0));
        }
        feed.send(run + "thin", 1, Map.of(BIN + "100", 1.0, FeatureNames.EMAILS_DELIVERED_30D, 10.0));
        await().atMost(PATIENCE).until(() -> db.snapshotsWithPrefix(run) == 31);

        int first = given().post("/v1/models/sendtime/versions:train").then().statusCode(201)
                .body("family", equalTo("sendtime"))
                .body("metrics.populationBestHour", equalTo(33))
                .body("metrics.subscribersOnFallback", equalTo(1))
                .extract().path("version");
        // the same training as an asynchronous job
        String job = given().queryParam("async", true).post("/v1/models/sendtime/versions:train")
                .then().statusCode(202).body("family", equalTo("sendtime")).extract().path("id");
        JsonNode done = await().atMost(PATIENCE).until(
                () -> json.readTree(given().get("/v1/jobs/" + job).then().statusCode(200).extract().asString()),
                j -> j.get("state").asText().equals("succeeded") || j.get("state").asText().equals("failed"));
        assertEquals("succeeded", done.get("state").asText(), done.toString());
        assertEquals(first + 1, done.get("version").asInt());
        given().queryParam("async", true).contentType(ContentType.JSON).body("{\"k\":1}")
                .post("/v1/models/clustering.behavioural/versions:train")
                .then().statusCode(400).body("errors[0].pointer", equalTo("/k"));
        try (TopicRecords scores = new TopicRecords(DevStack.shared().kafkaBootstrapServers(), Topics.SCORES)) {
            Map<String, Double> hour = new HashMap<>();
            await().atMost(PATIENCE).until(() -> {
                for (ConsumerRecord<String, String> record : scores.poll()) {
                    if (record.key() != null && record.key().startsWith(run) && record.value() != null) {
                        JsonNode s = json.readTree(record.value()).path("scores").path(ScoreNames.SEND_HOUR_OF_WEEK);
                        if (s.isNumber()) {
                            hour.put(record.key(), s.asDouble());
                        }
                    }
                }
                return hour.size() == 31;
            });
            assertEquals(33.0, hour.get(run + "crowd-3"));
            assertEquals(100.0, hour.get(run + "night-3"));
            assertEquals(33.0, hour.get(run + "thin"), "thin history falls back to the population's hour");
        }

        // best hours for a "segment" of the night owls, the thin subscriber, one of the crowd and an unknown id:
        // the segment prior (101 engagements at hour 100, weight 101/201 against the population) wins for the
        // thin history; the crowd member's own 7 engagements at 33/34 still win for it
        List<String> segment = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            segment.add(run + "night-" + i);
        }
        segment.addAll(List.of(run + "thin", run + "crowd-0", run + "nobody"));
        JsonNode best = json.readTree(given().contentType(ContentType.JSON).body(Map.of("subscriberIds", segment))
                .post("/v1/sendtime/best-hours").then().statusCode(200)
                .body("family", equalTo("sendtime"))
                .body("populationBestHour", equalTo(33))
                .body("segment.members", equalTo(13))
                .body("segment.membersWithFeatures", equalTo(12))
                .body("segment.bestHour", equalTo(100))
                .extract().asString());
        assertEquals(108.0, best.get("segment").get("engagements").asDouble(), 1e-9);
        assertEquals(108.0 / 208, best.get("segment").get("weight").asDouble(), 1e-9);
        Map<String, JsonNode> items = new HashMap<>();
        best.get("items").forEach(item -> items.put(item.get("subscriberId").asText(), item));
        assertEquals(100, items.get(run + "thin").get("hourOfWeek").asInt());
        assertEquals("segment prior", items.get(run + "thin").get("basis").asText());
        assertEquals(33, items.get(run + "crowd-0").get("hourOfWeek").asInt());
        assertEquals("own history", items.get(run + "crowd-0").get("basis").asText());
        given().contentType(ContentType.JSON).body(Map.of("subscriberIds", List.of("x"), "segmentId", "s"))
                .post("/v1/sendtime/best-hours").then().statusCode(400)
                .contentType(startsWith("application/problem+json"));

        // lookalikes of five night owls are the other night owls
        given().contentType(ContentType.JSON)
                .body(Map.of("seedSubscriberIds", List.of(run + "night-0", run + "night-1", run + "night-2",
                        run + "night-3", run + "night-4"), "targetSize", 5))
                .post("/v1/lookalikes")
                .then().statusCode(200)
                .body("method", equalTo("knn-standardised"))
                .body("seeds", equalTo(5))
                .body("candidates", equalTo(26))
                .body("items", hasSize(5))
                .body("items.subscriberId", everyItem(startsWith(run + "night-")))
                .body("evaluation.heldOut", equalTo(1));
        given().contentType(ContentType.JSON)
                .body(Map.of("seedSubscriberIds", List.of("x"), "seedSegmentId", "s", "targetSize", 0))
                .post("/v1/lookalikes")
                .then().statusCode(400).contentType(startsWith("application/problem+json"))
                .body("errors.pointer", hasItems("/seedSegmentId", "/targetSize"));
        given().contentType(ContentType.JSON)
                .body(Map.of("seedSubscriberIds", List.of("nobody"), "targetSize", 3))
                .post("/v1/lookalikes")
                .then().statusCode(400).body("errors[0].pointer", equalTo("/seedSubscriberIds"));
    }
}
