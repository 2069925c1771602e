package io.cohort.model.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/** clv.btyd end to end: fit on snapshots, stored parameters, scores on cohort.scores.v1, ad-hoc scoring. */
@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
class ClvLifecycleTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Inject
    TestDatabase db;
    @Inject
    ObjectMapper json;

    @AfterEach
    void forgetClv() {
        // other test classes share the database and expect no clv.btyd scores
        db.deleteVersions(ModelFamilies.CLV_BTYD);
        db.clearSubscribers();
    }

    @Test
    void fitsOnSnapshotsAndPublishesPAliveExpectedOrdersAndValue() throws Exception {
        db.clearSubscribers();
        given().post("/v1/models/clv.btyd/versions:train").then().statusCode(409)
                .contentType(org.hamcrest.Matchers.startsWith("application/problem+json"));
        FeatureFeed feed = new FeatureFeed(json);
        String run = "clv-" + UUID.randomUUID() + "-";
        int n = 0;
        for (int i = 0; i < 30; i++) {
            // buyers with 1..6 orders, recent and lapsed, plus subscribers who never ordered
            int orders = i % 7;
            double tenure = 120 + 7 * i;
            Map<String, Double> features = new HashMap<>();
            features.put(FeatureNames.TENURE_DAYS, tenure);
            features.put(FeatureNames.ORDERS_365D, (double) orders);
            if (orders > 0) {
                features.put(FeatureNames.DAYS_SINCE_LAST_ORDER, i % 2 == 0 ? 2.0 + i : tenure - 10);
                features.put(FeatureNames.AVERAGE_ORDER_VALUE_365D, 20.0 + 5 * i);
            }
            feed.send(run + i, 1, features);
            n++;
        }
        int total = n;
        await().atMost(PATIENCE).until(() -> db.snapshotsWithPrefix(run) == total);

        JsonNode trained = json.readTree(given().post("/v1/models/clv.btyd/versions:train")
                .then().statusCode(201)
                .body("family", equalTo("clv.btyd"))
                .body("status", equalTo("active"))
                .body("rows", equalTo(total))
                .body("profile.bgNbd.r", greaterThan(0f))
                .body("profile.gammaGamma.q", greaterThan(0f))
                .body("hyperparameters.timeUnit", equalTo("day"))
                .extract().asString());
        int version = trained.get("version").asInt();
        assertEquals(trained, json.readTree(given().get("/v1/models/clv.btyd/versions/" + version)
                .then().statusCode(200).extract().asString()));
        given().get("/v1/models/clv.btyd/versions").then().statusCode(200)
                .body("versions[0].version", equalTo(version))
                .body("versions[0].status", equalTo("active"));
        given().get("/v1/models").then().statusCode(200)
                .body("families.family", hasItem("clv.btyd"))
                .body("families.find { it.family == 'clv.btyd' }.activeVersion", equalTo(version));
        given().get("/v1/models/clv.btyd/versions/" + version + "/provenance").then().statusCode(200)
                .body("provenance", org.hamcrest.Matchers.containsString("hipparchus"));

        // every subscriber gets P(alive), expected orders and 365-day value, under this version
        try (TopicRecords scores = new TopicRecords(DevStack.shared().kafkaBootstrapServers(), Topics.SCORES)) {
            Map<String, JsonNode> latest = new HashMap<>();
            await().atMost(PATIENCE).until(() -> {
                for (ConsumerRecord<String, String> record : scores.poll()) {
                    if (record.key() != null && record.key().startsWith(run) && record.value() != null) {
                        JsonNode score = json.readTree(record.value());
                        if (score.path("modelVersions").path("clv.btyd").asInt() == version) {
                            latest.put(record.key(), score);
                        }
                    }
                }
                return latest.size() == total;
            });
            for (JsonNode score : latest.values()) {
                double pAlive = score.get("scores").get(ScoreNames.P_ALIVE).asDouble();
                assertTrue(pAlive >= 0 && pAlive <= 1, score.toString());
                assertTrue(score.get("scores").get(ScoreNames.EXPECTED_ORDERS_90D).asDouble() >= 0);
                assertTrue(score.get("scores").get(ScoreNames.CLV_365D).asDouble() >= 0);
            }
            // a recent repeat buyer is more alive and worth more than a lapsed one with the same orders
            JsonNode recent = latest.get(run + 6).get("scores");
            JsonNode lapsed = latest.get(run + 13).get("scores");
            assertTrue(recent.get(ScoreNames.P_ALIVE).asDouble() > lapsed.get(ScoreNames.P_ALIVE).asDouble(),
                    recent + " vs " + lapsed);
            assertTrue(recent.get(ScoreNames.CLV_365D).asDouble() > lapsed.get(ScoreNames.CLV_365D).asDouble());
        }

        // drift: the current subscribers are the training rows, so every PSI is ~0; the gauge is exported
        given().get("/v1/models/clv.btyd/monitoring").then().statusCode(200)
                .body("version", equalTo(version))
                .body("rows", equalTo(total))
                .body("status", equalTo("stable"))
                .body("features.name", hasItem(FeatureNames.ORDERS_365D))
                .body("scores.name", hasItem(ScoreNames.P_ALIVE));
        assertTrue(given().get("/q/metrics").then().statusCode(200).extract().asString()
                .contains("cohort_model_feature_psi{family=\"clv.btyd\",feature=\"orders_365d\"}"));
        given().get("/v1/models/churn.90d/monitoring").then().statusCode(409);

        // ad-hoc: the same numbers for a what-if vector
        given().contentType(ContentType.JSON)
                .body(Map.of("features", Map.of(FeatureNames.TENURE_DAYS, 200, FeatureNames.ORDERS_365D, 3,
                        FeatureNames.DAYS_SINCE_LAST_ORDER, 5, FeatureNames.AVERAGE_ORDER_VALUE_365D, 40)))
                .post("/v1/score")
                .then().statusCode(200)
                .body("modelVersions.'clv.btyd'", equalTo(version))
                .body("scores.keySet()", hasItem(ScoreNames.P_ALIVE));
    }
}
