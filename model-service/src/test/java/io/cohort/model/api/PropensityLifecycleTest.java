package io.cohort.model.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
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
import io.cohort.model.TrainingSetStub;
import io.cohort.model.domain.ModelFamilies;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** propensity.clicked_7d: async training from (stubbed) feature-service training sets, candidate/active, scores with reasons. */
@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
@QuarkusTestResource(TrainingSetStub.class)
class PropensityLifecycleTest {

    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final String FAMILY = ModelFamilies.PROPENSITY_CLICKED_7D;

    @Inject
    TestDatabase db;
    @Inject
    ObjectMapper json;

    @AfterEach
    void forget() {
        db.deleteVersions(FAMILY);
        db.clearSubscribers();
    }

    @Test
    void trainsAsAJobActivatesScoresWithReasonsAndKeepsCandidatesApart() throws Exception {
        db.clearSubscribers();
        TrainingSetStub.REQUESTS.clear();
        TrainingSetStub.SCOPES.clear();
        var accepted = given().contentType(ContentType.JSON).body("{\"trainingCutoffs\":2,\"seed\":3}")
                .post("/v1/models/" + FAMILY + "/versions:train")
                .then().statusCode(202)
                .body("family", equalTo(FAMILY))
                .extract();
        String jobId = accepted.path("id");
        assertTrue(accepted.header("Location").endsWith("/v1/jobs/" + jobId), accepted.header("Location"));
        JsonNode job = awaitJob(jobId);
        assertEquals("succeeded", job.get("state").asText(), job.toString());
        assertEquals(1.0, job.get("progress").asDouble());
        int version = job.get("version").asInt();

        // time-based split: two training cutoffs a horizon apart, then the holdout, the latest
        Instant holdout = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(7));
        List<String> asOfs = TrainingSetStub.REQUESTS.stream().map(r -> r.get("asOf").asText()).toList();
        assertEquals(List.of(holdout.minus(Duration.ofDays(14)).toString(), holdout.minus(Duration.ofDays(7)).toString(),
                holdout.toString()), asOfs);
        // model-service's own client-credentials token, holding only the scope training sets need
        assertEquals(List.of("training-sets:read"), TrainingSetStub.SCOPES.stream().distinct().toList());
        TrainingSetStub.REQUESTS.forEach(r -> {
            assertEquals("clicked", r.get("label").asText());
            assertEquals(7, r.get("horizonDays").asInt());
        });

        JsonNode doc = json.readTree(given().get("/v1/models/" + FAMILY + "/versions/" + version)
                .then().statusCode(200).body("status", equalTo("active")).extract().asString());
        JsonNode metrics = doc.get("metrics");
        assertTrue(metrics.get("auc").asDouble() > 0.7, metrics.toString());
        assertTrue(metrics.get("comparison").get("activated").asBoolean());
        assertEquals(400, metrics.get("holdoutRows").asInt());
        assertEquals(10, metrics.get("holdout").get("deciles").size());
        JsonNode coefficients = doc.get("profile").get("coefficients");
        assertTrue(coefficients.get(FeatureNames.EMAILS_CLICKED_30D).asDouble()
                > Math.abs(coefficients.get(FeatureNames.PAGE_VIEWS_30D).asDouble()), coefficients.toString());

        // a heavy clicker is scored, with clicks as the first reason
        FeatureFeed feed = new FeatureFeed(json);
        String subscriber = "prop-" + UUID.randomUUID();
        feed.send(subscriber, 1, Map.of(FeatureNames.EMAILS_CLICKED_30D, 5.0, FeatureNames.EMAILS_OPENED_30D, 6.0,
                FeatureNames.PAGE_VIEWS_30D, 5.0));
        try (TopicRecords scores = new TopicRecords(DevStack.shared().kafkaBootstrapServers(), Topics.SCORES)) {
            JsonNode record = await().atMost(PATIENCE).until(() -> last(scores, subscriber),
                    r -> r != null && r.path("scores").has(ScoreNames.PROPENSITY_CLICKED_7D));
            double p = record.get("scores").get(ScoreNames.PROPENSITY_CLICKED_7D).asDouble();
            assertTrue(p > 0.5 && p < 1, record.toString());
            assertEquals(FeatureNames.EMAILS_CLICKED_30D,
                    record.get("reasons").get(ScoreNames.PROPENSITY_CLICKED_7D).get(0).asText(), record.toString());
            assertEquals(version, record.get("modelVersions").get(FAMILY).asInt());
        }

        // autoActivate false (and XGBoost): a candidate, the active version stays; activating it retires the old one
        String second = given().contentType(ContentType.JSON)
                .body("{\"trainingCutoffs\":1,\"autoActivate\":false,\"algorithm\":\"xgboost\"}")
                .post("/v1/models/" + FAMILY + "/versions:train").then().statusCode(202).extract().path("id");
        int candidate = awaitJob(second).get("version").asInt();
        given().get("/v1/models/" + FAMILY + "/versions/" + candidate).then().statusCode(200)
                .body("status", equalTo("candidate"))
                .body("hyperparameters.algorithm", startsWith("xgboost"));
        given().get("/v1/models").then().statusCode(200)
                .body("families.find { it.family == '" + FAMILY + "' }.activeVersion", equalTo(version));
        given().post("/v1/models/" + FAMILY + "/versions/" + candidate + ":activate").then().statusCode(200)
                .body("status", equalTo("active"));
        given().get("/v1/models/" + FAMILY + "/versions").then().statusCode(200)
                .body("versions.find { it.version == " + version + " }.status", equalTo("retired"))
                .body("versions.status", hasItem("active"));
        given().post("/v1/models/" + FAMILY + "/versions/999:activate").then().statusCode(404);
        // the activated XGBoost version (read back from its protobuf artifact) scores ad hoc, a heavy clicker
        // well above a non-clicker (the stub's truth: p = 0.88 against 0.08)
        float heavy = adHocScore(candidate, Map.of(FeatureNames.EMAILS_CLICKED_30D, 5, FeatureNames.EMAILS_OPENED_30D, 6,
                FeatureNames.PAGE_VIEWS_30D, 5));
        float none = adHocScore(candidate, Map.of(FeatureNames.EMAILS_CLICKED_30D, 0, FeatureNames.EMAILS_OPENED_30D, 6,
                FeatureNames.PAGE_VIEWS_30D, 5));
        assertTrue(heavy > none + 0.2 && heavy > 0.5, heavy + " vs " + none);
    }

    private static float adHocScore(int expectedVersion, Map<String, Integer> features) {
        return given().contentType(ContentType.JSON).body(Map.of("features", features))
                .post("/v1/score").then().statusCode(200)
                .body("modelVersions.'" + FAMILY + "'", equalTo(expectedVersion))
                .extract().path("scores.'" + ScoreNames.PROPENSITY_CLICKED_7D + "'");
    }

    @Test
    void invalidRequestsAndUnknownJobsAreProblems() {
        given().contentType(ContentType.JSON)
                .body("{\"trainingCutoffs\":0,\"epochs\":1000,\"algorithm\":\"forest\",\"asOf\":\""
                        + Instant.now().plus(Duration.ofDays(3)) + "\"}")
                .post("/v1/models/" + FAMILY + "/versions:train")
                .then().statusCode(400).contentType(startsWith("application/problem+json"))
                .body("errors.pointer", org.hamcrest.Matchers.hasItems("/trainingCutoffs", "/epochs", "/asOf",
                        "/algorithm"));
        given().get("/v1/jobs/" + UUID.randomUUID()).then().statusCode(404)
                .contentType(startsWith("application/problem+json"));
        given().get("/v1/jobs/not-a-uuid").then().statusCode(404);
    }

    private JsonNode awaitJob(String id) throws Exception {
        return await().atMost(PATIENCE).until(
                () -> json.readTree(given().get("/v1/jobs/" + id).then().statusCode(200).extract().asString()),
                j -> j.get("state").asText().equals("succeeded") || j.get("state").asText().equals("failed"));
    }

    private JsonNode last(TopicRecords scores, String key) throws Exception {
        List<ConsumerRecord<String, String>> records = scores.pollKey(key);
        if (records.isEmpty() || records.get(records.size() - 1).value() == null) {
            return null;
        }
        return json.readTree(records.get(records.size() - 1).value());
    }
}
