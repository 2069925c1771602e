package io.cohort.model.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.contracts.FeatureNames;
import io.cohort.contracts.Topics;
import io.cohort.devstack.DevStack;
import io.cohort.devstack.DevStackTestResource;
import io.cohort.devstack.TopicRecords;
import io.cohort.model.FeatureFeed;
import io.cohort.model.FeatureFeed.Behaviour;
import io.cohort.model.TestDatabase;
import io.cohort.model.domain.ClusterProfile;
import io.cohort.model.domain.ModelFamilies;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** clustering.behavioural trained with {"algorithm":"hdbscan"} over REST: noise, provenance, published ids. */
@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
class HdbscanTrainingTest {

    private static final String TRAIN = "/v1/models/clustering.behavioural/versions:train";
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Inject
    TestDatabase db;
    @Inject
    ObjectMapper json;

    @AfterEach
    void forget() {
        db.deleteVersions(ModelFamilies.CLUSTERING_BEHAVIOURAL);
        db.clearSubscribers();
    }

    @Test
    void trainsWithHdbscanAndPublishesTheOutlierAsNoise() throws Exception {
        db.clearSubscribers();
        FeatureFeed feed = new FeatureFeed(json);
        String run = "hdb-" + UUID.randomUUID() + "-";
        for (Behaviour behaviour : Behaviour.values()) {
            for (int i = 0; i < 20; i++) {
                feed.send(run + behaviour.name().toLowerCase() + "-" + i, 1, FeatureFeed.behaviour(behaviour, i));
            }
        }
        // Each behaviour is 20 rows in two lattices of 10 near-identical rows: minClusterSize 12 keeps a
        // behaviour one cluster, and minSamples 10 (not the default 24, more than a behaviour has) lets
        // its density show: with minPts 24 every core distance reaches into another behaviour.
        // nobody else mails this much, opens this often and spends this much
        String outlier = run + "outlier";
        feed.send(outlier, 1, Map.of(FeatureNames.EMAILS_DELIVERED_30D, 300.0, FeatureNames.EMAILS_OPENED_30D, 290.0,
                FeatureNames.EMAILS_CLICKED_30D, 200.0, FeatureNames.DAYS_SINCE_LAST_OPEN, 0.0,
                FeatureNames.ORDERS_90D, 60.0, FeatureNames.REVENUE_90D, 50_000.0));
        await().atMost(PATIENCE).until(() -> db.snapshotsWithPrefix(run) == 61);

        for (String invalid : List.of("{\"algorithm\":\"hdbscan\",\"k\":3}", "{\"algorithm\":\"dbscan\"}",
                "{\"minClusterSize\":5}", "{\"algorithm\":\"hdbscan\",\"minClusterSize\":1}",
                "{\"algorithm\":\"hdbscan\",\"minSamples\":0}")) {
            given().contentType(ContentType.JSON).body(invalid).post(TRAIN)
                    .then().statusCode(400).contentType(startsWith("application/problem+json"));
        }
        given().contentType(ContentType.JSON).body("{\"algorithm\":\"hdbscan\",\"k\":3}").post(TRAIN)
                .then().statusCode(400).body("errors[0].pointer", equalTo("/k"));
        given().contentType(ContentType.JSON).body("{\"algorithm\":\"hdbscan\",\"minClusterSize\":40}").post(TRAIN)
                .then().statusCode(409).body("title", equalTo("not enough subscribers to train"));
        // the default minSamples (2 × 12) exceeds every behaviour's size: no dense region stands out
        given().contentType(ContentType.JSON).body("{\"algorithm\":\"hdbscan\",\"minClusterSize\":12}").post(TRAIN)
                .then().statusCode(409).body("title", equalTo("no clusters found"));

        JsonNode trained = json.readTree(given().contentType(ContentType.JSON)
                .body("{\"algorithm\":\"hdbscan\",\"minClusterSize\":12,\"minSamples\":10}").post(TRAIN)
                .then().statusCode(201)
                .body("status", equalTo("active"))
                .body("k", equalTo(3))
                .body("hyperparameters.algorithm", equalTo("hdbscan"))
                .body("hyperparameters.kSelection", equalTo("density"))
                .body("hyperparameters.minClusterSize", equalTo(12))
                .body("hyperparameters.minSamples", equalTo(10))
                .body("metrics.noiseRows", equalTo(1))
                .body("clusters.clusterId", hasItem(ClusterProfile.NOISE_ID))
                .extract().asString());
        int version = trained.get("version").asInt();
        Set<Integer> ids = new HashSet<>();
        for (JsonNode cluster : trained.get("clusters")) {
            ids.add(cluster.get("clusterId").asInt());
            if (cluster.get("clusterId").asInt() == ClusterProfile.NOISE_ID) {
                assertEquals(ClusterProfile.NOISE_NAME, cluster.get("name").asText());
                assertEquals(1, cluster.get("size").asInt());
                assertEquals(0, cluster.get("modelClusterId").asInt(), "Tribuo's noise label");
            }
        }
        assertEquals(Set.of(ClusterProfile.NOISE_ID, 0, 1, 2), ids);
        given().get("/v1/models/clustering.behavioural/versions/" + version + "/provenance")
                .then().statusCode(200).body("provenance", containsString("HdbscanTrainer"));
        given().get("/v1/models/clustering.behavioural/versions/" + version)
                .then().statusCode(200).body("hyperparameters.algorithm", equalTo("hdbscan"));

        // published: the outlier as the noise group, every behaviour as one real cluster
        Map<String, Integer> published = new HashMap<>();
        try (TopicRecords scores = new TopicRecords(DevStack.shared().kafkaBootstrapServers(), Topics.SCORES)) {
            await().atMost(PATIENCE).until(() -> {
                for (ConsumerRecord<String, String> record : scores.poll()) {
                    if (record.key() != null && record.key().startsWith(run) && record.value() != null) {
                        JsonNode cluster = json.readTree(record.value()).path("cluster");
                        if (cluster.path("modelVersion").asInt() == version) {
                            published.put(record.key(), cluster.path("clusterId").asInt());
                        }
                    }
                }
                return published.size() == 61;
            });
        }
        assertEquals(ClusterProfile.NOISE_ID, published.get(outlier));
        for (Behaviour behaviour : Behaviour.values()) {
            Set<Integer> clusters = new HashSet<>();
            for (int i = 0; i < 20; i++) {
                clusters.add(published.get(run + behaviour.name().toLowerCase() + "-" + i));
            }
            assertEquals(1, clusters.size(), behaviour + " " + clusters);
            assertEquals(false, clusters.contains(ClusterProfile.NOISE_ID), behaviour.name());
        }
        // ad-hoc scoring of an outlier-like vector says noise too
        given().contentType(ContentType.JSON)
                .body(Map.of("features", Map.of(FeatureNames.EMAILS_DELIVERED_30D, 280.0,
                        FeatureNames.EMAILS_OPENED_30D, 280.0, FeatureNames.EMAILS_CLICKED_30D, 190.0,
                        FeatureNames.DAYS_SINCE_LAST_OPEN, 0.0, FeatureNames.ORDERS_90D, 55.0,
                        FeatureNames.REVENUE_90D, 45_000.0)))
                .post("/v1/score")
                .then().statusCode(200).body("cluster.clusterId", equalTo(ClusterProfile.NOISE_ID));
    }
}
