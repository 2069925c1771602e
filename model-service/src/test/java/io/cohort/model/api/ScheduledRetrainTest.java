package io.cohort.model.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.contracts.FeatureNames;
import io.cohort.devstack.DevStackTestResource;
import io.cohort.model.FeatureFeed;
import io.cohort.model.FeatureFeed.Behaviour;
import io.cohort.model.TestDatabase;
import io.cohort.model.domain.ModelFamilies;
import io.cohort.model.persistence.TrainingJobRepository.Job;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The scheduled retrain of clustering, CLV and send time, invoked directly: a candidate per family,
 * activated only when it beats the active version on the current rows.
 */
@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
class ScheduledRetrainTest {

    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final String BIN = FeatureNames.HOUR_OF_WEEK_ENGAGEMENT_PREFIX;

    @Inject
    TestDatabase db;
    @Inject
    ObjectMapper json;
    @Inject
    RetrainScheduler scheduler;

    private final List<UUID> jobs = new ArrayList<>();

    @BeforeEach
    @AfterEach
    void forget() {
        RetrainScheduler.SNAPSHOT_FAMILIES.forEach(db::deleteVersions);
        db.clearSubscribers();
        db.deleteJobs(jobs);
    }

    /** Clustering behaviour, CLV history and an engagement hour; {@code hour} moves everyone's engagements. */
    private static Map<String, Double> features(Behaviour behaviour, int i, int hour) {
        Map<String, Double> f = new HashMap<>(FeatureFeed.behaviour(behaviour, i));
        int orders = i % 5;
        f.put(FeatureNames.TENURE_DAYS, 150.0 + 11 * i);
        f.put(FeatureNames.ORDERS_365D, (double) orders);
        if (orders > 0) {
            f.put(FeatureNames.DAYS_SINCE_LAST_ORDER, i % 2 == 0 ? 3.0 + i : 100.0 + i);
            f.put(FeatureNames.AVERAGE_ORDER_VALUE_365D, 25.0 + 4 * i);
        }
        f.put(BIN + hour, 4.0 + i % 3);
        f.put(BIN + (hour + 1 + i % 5), 1.0);
        return f;
    }

    private void feed(String run, long version, int hour) {
        FeatureFeed feed = new FeatureFeed(json);
        for (Behaviour behaviour : Behaviour.values()) {
            for (int i = 0; i < 15; i++) {
                feed.send(run + behaviour.name().toLowerCase() + "-" + i, version, features(behaviour, i, hour));
            }
        }
    }

    /** Runs the scheduler and waits for the jobs of the snapshot families; their final documents by family. */
    private Map<String, JsonNode> retrain() {
        Map<String, JsonNode> done = new LinkedHashMap<>();
        for (Job job : scheduler.retrain()) {
            jobs.add(job.id());
            if (!RetrainScheduler.SNAPSHOT_FAMILIES.contains(job.family())) {
                continue;
            }
            JsonNode finished = await().atMost(PATIENCE).until(
                    () -> json.readTree(given().get("/v1/jobs/" + job.id()).then().statusCode(200).extract().asString()),
                    j -> j.get("state").asText().equals("succeeded") || j.get("state").asText().equals("failed"));
            assertEquals("succeeded", finished.get("state").asText(), finished.toString());
            done.put(job.family(), finished);
        }
        return done;
    }

    private static int active(String family) {
        return given().get("/v1/models").then().statusCode(200).extract().jsonPath()
                .getInt("families.find { it.family == '" + family + "' }.activeVersion");
    }

    @Test
    void replicasFiringAtTheSameCronTimeRetrainOnceAndTheNextSlotRunsAgain() throws Exception {
        Instant fireTime = Instant.parse("2031-03-03T03:00:00Z").plusSeconds(new java.util.Random().nextInt(1_000_000) * 60L);
        // two replicas' schedulers fire at the same cron time, concurrently
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var first = pool.submit(() -> scheduler.retrainOnce(fireTime.plusMillis(3)));
            var second = pool.submit(() -> scheduler.retrainOnce(fireTime.plusMillis(250)));
            long ran = java.util.stream.Stream.of(first.get(), second.get()).filter(Optional::isPresent).count();
            assertEquals(1, ran, "one of two replicas runs the retrain");
        } finally {
            pool.shutdown();
        }
        assertTrue(scheduler.retrainOnce(fireTime).isEmpty(), "a late replica finds the slot taken");
        assertTrue(scheduler.retrainOnce(fireTime.plus(Duration.ofDays(7))).isPresent(), "next week's slot runs");
    }

    @Test
    void keepsAnEqualCandidateAndActivatesOneThatFitsTheCurrentRowsBetter() {
        db.clearSubscribers();
        String run = "rt-" + UUID.randomUUID() + "-";
        feed(run, 1, 33);
        await().atMost(PATIENCE).until(() -> db.snapshotsWithPrefix(run) == 45);
        Map<String, Integer> first = new HashMap<>();
        first.put(ModelFamilies.CLUSTERING_BEHAVIOURAL, given().body("{\"k\":3}").contentType("application/json")
                .post("/v1/models/clustering.behavioural/versions:train").then().statusCode(201).extract().path("version"));
        first.put(ModelFamilies.CLV_BTYD, given().post("/v1/models/clv.btyd/versions:train")
                .then().statusCode(201).extract().path("version"));
        first.put(ModelFamilies.SENDTIME, given().post("/v1/models/sendtime/versions:train")
                .then().statusCode(201).extract().path("version"));

        // nothing changed: each candidate is the same fit, so it does not beat the active version
        Map<String, JsonNode> unchanged = retrain();
        assertEquals(RetrainScheduler.SNAPSHOT_FAMILIES, List.copyOf(unchanged.keySet()));
        unchanged.forEach((family, job) -> {
            int candidate = job.get("version").asInt();
            assertEquals(first.get(family) + 1, candidate, family);
            assertTrue(job.get("stage").asText().startsWith("kept as candidate"), job.toString());
            assertEquals(first.get(family), active(family), family);
            given().get("/v1/models/" + family + "/versions/" + candidate).then().statusCode(200)
                    .body("status", equalTo("candidate"));
        });
        // the clustering candidate kept the active version's requested k
        given().get("/v1/models/clustering.behavioural/versions/" + (first.get(ModelFamilies.CLUSTERING_BEHAVIOURAL) + 1))
                .then().body("k", equalTo(3)).body("hyperparameters.kSelection", equalTo("requested"));

        // everyone now engages around hour 120: the retrained send-time prior describes that, the old one does not
        feed(run, 2, 120);
        await().atMost(PATIENCE).until(() -> {
            for (Behaviour behaviour : Behaviour.values()) {
                for (int i = 0; i < 15; i++) {
                    if (db.snapshotVersion(run + behaviour.name().toLowerCase() + "-" + i).orElse(0L) != 2L) {
                        return false;
                    }
                }
            }
            return true;
        });
        Map<String, JsonNode> moved = retrain();
        JsonNode sendtime = moved.get(ModelFamilies.SENDTIME);
        assertTrue(sendtime.get("stage").asText().startsWith("activated"), sendtime.toString());
        assertEquals(sendtime.get("version").asInt(), active(ModelFamilies.SENDTIME));
        given().get("/v1/models/sendtime/versions/" + sendtime.get("version").asInt()).then()
                .body("status", equalTo("active")).body("metrics.populationBestHour", equalTo(120));
    }
}
