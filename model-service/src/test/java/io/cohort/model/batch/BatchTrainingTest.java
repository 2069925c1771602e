package io.cohort.model.batch;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.devstack.DevStackTestResource;
import io.cohort.model.FeatureFeed;
import io.cohort.model.FeatureFeed.Behaviour;
import io.cohort.model.TestDatabase;
import io.cohort.model.domain.ModelFamilies;
import io.cohort.model.persistence.ModelRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.cohort.model.persistence.FeatureSnapshotRepository;
import java.time.Instant;
import java.util.Map;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The batch path the Kubernetes CronJob runs, in-process and configured like the CronJob's pod (no
 * feature consumer, so a batch pod never joins the service's consumer group): train, register, exit code.
 */
@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
@TestProfile(BatchTrainingTest.BatchPod.class)
class BatchTrainingTest {

    /** The settings k8s/base/model-service/training-cronjob.yaml gives the pod (besides the families). */
    public static class BatchPod implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cohort.model.features.consume", "false",
                    "cohort.model.retrain.cron", "off", "cohort.model.monitoring.every", "off");
        }
    }

    @Inject
    BatchTraining batch;
    @Inject
    ModelRegistry registry;
    @Inject
    TestDatabase db;
    @Inject
    ObjectMapper json;
    @Inject
    FeatureSnapshotRepository snapshots;

    @AfterEach
    void forget() {
        db.deleteVersions(ModelFamilies.CLUSTERING_BEHAVIOURAL);
        db.deleteVersions(ModelFamilies.SENDTIME);
        db.clearSubscribers();
    }

    @Test
    void trainsTheListedFamiliesActivatesThemAndExitsZero() throws Exception {
        db.clearSubscribers();
        // the consumer is off in a batch pod: the snapshots are what the service stored before
        String run = "batch-" + UUID.randomUUID() + "-";
        for (Behaviour behaviour : Behaviour.values()) {
            for (int i = 0; i < 6; i++) {
                snapshots.storeIfNewer(run + behaviour.name().toLowerCase() + "-" + i, 1,
                        FeatureFeed.behaviour(behaviour, i), Instant.now());
            }
        }
        assertEquals(18L, db.snapshotsWithPrefix(run));
        long before = registry.count(ModelFamilies.CLUSTERING_BEHAVIOURAL);

        assertEquals(BatchTraining.OK, batch.run(List.of(ModelFamilies.CLUSTERING_BEHAVIOURAL)));

        assertEquals(before + 1, registry.count(ModelFamilies.CLUSTERING_BEHAVIOURAL));
        int active = registry.activeVersion(ModelFamilies.CLUSTERING_BEHAVIOURAL).orElseThrow();
        JsonNode version = json.readTree(given().get("/v1/models/clustering.behavioural/versions/" + active)
                .then().statusCode(200).extract().asString());
        assertEquals("active", version.get("status").asText());
        assertEquals(18, version.get("rows").asInt());
        // the stored profile carries what sets each cluster apart, in original units and z
        for (JsonNode cluster : version.get("clusters")) {
            JsonNode top = cluster.get("distinguishingFeatures");
            assertFalse(top.isEmpty(), cluster.toString());
            assertTrue(top.get(0).has("feature") && top.get(0).has("clusterMean") && top.get(0).has("populationMean")
                    && top.get(0).has("zDifference"), top.toString());
            assertTrue(Math.abs(top.get(0).get("zDifference").asDouble()) >= 0.5, top.toString());
        }
    }

    @Test
    void unknownFamiliesTrainNothingAndAFailingFamilyExitsOne() {
        db.clearSubscribers();
        long clustering = registry.count(ModelFamilies.CLUSTERING_BEHAVIOURAL);
        long sendtime = registry.count(ModelFamilies.SENDTIME);
        assertEquals(BatchTraining.USAGE, batch.run(List.of(ModelFamilies.CLUSTERING_BEHAVIOURAL, "no.such.family")));
        assertEquals(BatchTraining.USAGE, batch.run(List.of()));
        // no snapshots: clustering cannot train (409 in the API), send time neither; both are tried
        assertEquals(BatchTraining.FAILED,
                batch.run(List.of(ModelFamilies.CLUSTERING_BEHAVIOURAL, ModelFamilies.SENDTIME)));
        assertEquals(clustering, registry.count(ModelFamilies.CLUSTERING_BEHAVIOURAL));
        assertEquals(sendtime, registry.count(ModelFamilies.SENDTIME));
    }
}
