package io.cohort.model.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import io.cohort.model.domain.ModelFamilies;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
class ModelLifecycleTest {

    private static final String TRAIN = "/v1/models/clustering.behavioural/versions:train";
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final int PER_GROUP = 20;

    private static TopicRecords scores;

    @Inject
    TestDatabase db;
    @Inject
    ObjectMapper json;

    @BeforeAll
    static void readScores() {
        scores = new TopicRecords(DevStack.shared().kafkaBootstrapServers(), Topics.SCORES);
    }

    @AfterAll
    static void close() {
        scores.close();
    }

    @Test
    void trainsOnSnapshotsPublishesClustersAndRescoresOnlyOnChange() throws Exception {
        FeatureFeed feed = new FeatureFeed(json);
        db.deleteVersions(ModelFamilies.CLUSTERING_BEHAVIOURAL);
        db.clearSubscribers();
        given().contentType(ContentType.JSON).body("{\"k\":3}").post(TRAIN)
                .then().statusCode(409).contentType(startsWith("application/problem+json"))
                .body("title", equalTo("not enough subscribers to train"));

        String run = "lc-" + UUID.randomUUID() + "-";
        Map<Behaviour, List<String>> groups = new EnumMap<>(Behaviour.class);
        for (Behaviour behaviour : Behaviour.values()) {
            List<String> ids = new java.util.ArrayList<>();
            for (int i = 0; i < PER_GROUP; i++) {
                String id = run + behaviour.name().toLowerCase() + "-" + i;
                ids.add(id);
                feed.send(id, 1, FeatureFeed.behaviour(behaviour, i));
            }
            groups.put(behaviour, ids);
        }
        await().atMost(PATIENCE).until(() -> db.snapshotsWithPrefix(run) == 3L * PER_GROUP);

        // a literal colon, as curl and most clients send it (rest-assured otherwise sends %3A, also accepted)
        var response = given().urlEncodingEnabled(false).contentType(ContentType.JSON).body("{\"k\":3,\"seed\":7}")
                .post(TRAIN)
                .then().statusCode(201)
                .body("family", equalTo("clustering.behavioural"))
                .body("status", equalTo("active"))
                .body("k", equalTo(3))
                .body("rows", equalTo(60))
                .body("metrics.k", equalTo(3))
                .body("metrics.rows", equalTo(60))
                .body("clusters", hasSize(3))
                .extract();
        String body = response.asString();
        JsonPath trained = JsonPath.from(body);
        int version = trained.getInt("version");
        assertTrue(response.header("Location").endsWith("/v1/models/clustering.behavioural/versions/" + version),
                response.header("Location"));
        assertTrue(trained.getDouble("metrics.silhouette") > 0.7, body);
        assertTrue(trained.getDouble("metrics.inertia") > 0, body);
        List<Map<String, Object>> clusters = trained.getList("clusters");
        Set<String> names = new HashSet<>();
        for (Map<String, Object> cluster : clusters) {
            assertEquals(20, cluster.get("size"), body);
            assertEquals(1.0 / 3, ((Number) cluster.get("share")).doubleValue(), 1e-6);
            names.add((String) cluster.get("name"));
        }
        assertEquals(3, names.size(), "distinct names: " + names);

        // the registry answers with the same document
        JsonNode stored = json.readTree(given().get("/v1/models/clustering.behavioural/versions/" + version)
                .then().statusCode(200).extract().asString());
        assertEquals(json.readTree(body), stored);
        given().get("/v1/models").then().statusCode(200)
                .body("families.family", hasItem("clustering.behavioural"))
                .body("families.find { it.family == 'clustering.behavioural' }.activeVersion", equalTo(version));
        given().get("/v1/models/clustering.behavioural/versions").then().statusCode(200)
                .body("versions[0].version", equalTo(version))
                .body("versions[0].status", equalTo("active"))
                .body("versions[0].k", equalTo(3))
                .body("versions[0].rows", equalTo(60))
                .body("versions.findAll { it.status == 'active' }", hasSize(1));
        given().get("/v1/models/clustering.behavioural/versions/" + version + "/provenance").then().statusCode(200)
                .body("provenance", org.hamcrest.Matchers.containsString("KMeansTrainer"));

        // every subscriber's assignment under the new version is on cohort.scores.v1
        Map<String, JsonNode> latest = new HashMap<>();
        await().atMost(PATIENCE).until(() -> {
            latestScores(run, version, latest);
            return latest.size() == 3 * PER_GROUP;
        });
        Map<Behaviour, Integer> clusterOf = new EnumMap<>(Behaviour.class);
        for (Behaviour behaviour : Behaviour.values()) {
            Set<Integer> ids = new HashSet<>();
            for (String id : groups.get(behaviour)) {
                JsonNode score = latest.get(id);
                assertEquals(1, score.get("featureVersion").asLong());
                assertEquals("clustering.behavioural", score.get("cluster").get("modelFamily").asText());
                assertEquals(version, score.get("modelVersions").get("clustering.behavioural").asInt());
                assertFalse(score.has("scores"), "no numeric scores yet: " + score);
                ids.add(score.get("cluster").get("clusterId").asInt());
            }
            assertEquals(1, ids.size(), behaviour + " spans clusters " + ids);
            clusterOf.put(behaviour, ids.iterator().next());
        }
        assertEquals(3, new HashSet<>(clusterOf.values()).size(), "one cluster per behaviour: " + clusterOf);
        Map<String, Object> buyerCluster = cluster(clusters, clusterOf.get(Behaviour.BUYER));
        Map<String, Object> dormantCluster = cluster(clusters, clusterOf.get(Behaviour.DORMANT));
        assertTrue(centroid(buyerCluster, FeatureNames.REVENUE_90D) >= 400, buyerCluster.toString());
        assertEquals(365.0, centroid(dormantCluster, FeatureNames.DAYS_SINCE_LAST_OPEN), 1e-9);
        assertEquals(buyerCluster.get("name"),
                latest.get(groups.get(Behaviour.BUYER).get(0)).get("cluster").get("clusterName").asText());

        // a dormant subscriber starts buying: it moves, and exactly one new record says so
        String mover = groups.get(Behaviour.DORMANT).get(0);
        feed.send(mover, 2, FeatureFeed.behaviour(Behaviour.BUYER, 1));
        JsonNode moved = await().atMost(PATIENCE).until(() -> lastScore(mover), s -> s != null
                && s.get("featureVersion").asLong() == 2);
        assertEquals(clusterOf.get(Behaviour.BUYER), moved.get("cluster").get("clusterId").asInt());
        assertEquals(version, moved.get("cluster").get("modelVersion").asInt());

        // the same record again, then a new version that stays in the same cluster: nothing is published.
        // A last change back to dormant (same key, so consumed after them) proves both were processed.
        feed.send(mover, 2, FeatureFeed.behaviour(Behaviour.BUYER, 1));
        feed.send(mover, 3, FeatureFeed.behaviour(Behaviour.BUYER, 2));
        feed.send(mover, 4, FeatureFeed.behaviour(Behaviour.DORMANT, 0));
        await().atMost(PATIENCE).until(() -> lastScore(mover), s -> s != null
                && s.get("featureVersion").asLong() == 4);
        List<Long> published = scoresOf(mover, version).stream().map(s -> s.get("featureVersion").asLong()).toList();
        assertEquals(List.of(1L, 2L, 4L), published);
        assertEquals(clusterOf.get(Behaviour.DORMANT), lastScore(mover).get("cluster").get("clusterId").asInt());
        assertEquals(4L, db.snapshotVersion(mover).orElseThrow());

        // erasure: the snapshot and score rows go, and the scores topic gets a tombstone
        assertTrue(db.hasScoreRow(mover));
        feed.tombstone(mover);
        await().atMost(PATIENCE).until(() -> db.snapshotVersion(mover).isEmpty());
        assertFalse(db.hasScoreRow(mover));
        List<ConsumerRecord<String, String>> records = await().atMost(PATIENCE)
                .until(() -> scores.pollKey(mover), r -> !r.isEmpty() && r.get(r.size() - 1).value() == null);
        assertNull(records.get(records.size() - 1).value());

        // without a body (or content type), k is chosen by silhouette over 4..12; splitting three behaviours
        // is worse than k=3, so it stays a candidate until activated
        int automatic = given().post(TRAIN)
                .then().statusCode(201)
                .body("status", equalTo("candidate"))
                .body("rows", equalTo(3 * PER_GROUP - 1))
                .body("metrics.silhouetteByK.keySet()", hasSize(9))
                .body("hyperparameters.kSelection", equalTo("silhouette"))
                .body("hyperparameters.minK", equalTo(4))
                .body("hyperparameters.maxK", equalTo(12))
                .extract().path("version");
        assertTrue(automatic > version);
        given().post("/v1/models/clustering.behavioural/versions/" + automatic + ":activate")
                .then().statusCode(200).body("status", equalTo("active"));
        given().get("/v1/models/clustering.behavioural/versions/" + version)
                .then().statusCode(200).body("status", equalTo("retired"));
        // back to the three behaviours: each keeps the cluster id it had in the first version
        // (matched through the automatic version in between)
        int retrained = given().contentType(ContentType.JSON).body("{\"k\":3}").post(TRAIN)
                .then().statusCode(201).body("k", equalTo(3))
                .extract().path("version");
        assertTrue(retrained > automatic);
        given().get("/v1/models/clustering.behavioural/versions/" + version)
                .then().statusCode(200).body("status", equalTo("retired"));
        given().get("/v1/models").then().statusCode(200)
                .body("families.find { it.family == 'clustering.behavioural' }.activeVersion", equalTo(retrained));
        String survivor = groups.get(Behaviour.OPENER).get(0);
        JsonNode rescored = await().atMost(PATIENCE).until(() -> lastScore(survivor),
                s -> s != null && s.get("cluster").get("modelVersion").asInt() == retrained);
        assertEquals(1, rescored.get("featureVersion").asLong());
        // the retrained version keeps each behaviour's cluster id (and so every cluster segment's meaning)
        assertEquals(clusterOf.get(Behaviour.OPENER), rescored.get("cluster").get("clusterId").asInt());
        for (Behaviour behaviour : List.of(Behaviour.BUYER, Behaviour.DORMANT)) {
            String member = groups.get(behaviour).get(1);
            JsonNode score = await().atMost(PATIENCE).until(() -> lastScore(member),
                    s -> s != null && s.get("cluster").get("modelVersion").asInt() == retrained);
            assertEquals(clusterOf.get(behaviour), score.get("cluster").get("clusterId").asInt(), behaviour.name());
        }

        // ad-hoc scoring uses the active version and the same stable ids, and stores nothing
        given().contentType(ContentType.JSON)
                .body(Map.of("features", FeatureFeed.behaviour(Behaviour.BUYER, 3)))
                .post("/v1/score")
                .then().statusCode(200)
                .body("cluster.modelVersion", equalTo(retrained))
                .body("cluster.clusterId", equalTo(clusterOf.get(Behaviour.BUYER)));
        given().contentType(ContentType.JSON).body("{\"features\":{\"no_such\":1,\"orders_90d\":\"x\"}}")
                .post("/v1/score")
                .then().statusCode(400).contentType(startsWith("application/problem+json"))
                .body("errors.pointer", hasItems("/features/no_such", "/features/orders_90d"));

        // users rename clusters: documents and published assignments carry the new name
        int buyerId = clusterOf.get(Behaviour.BUYER);
        given().contentType(ContentType.JSON).body("{\"name\":\"VIP shoppers\"}")
                .put("/v1/models/clustering.behavioural/versions/" + retrained + "/clusters/" + buyerId)
                .then().statusCode(200)
                .body("clusters.find { it.clusterId == " + buyerId + " }.name", equalTo("VIP shoppers"));
        given().get("/v1/models/clustering.behavioural/versions/" + retrained).then().statusCode(200)
                .body("clusters.find { it.clusterId == " + buyerId + " }.name", equalTo("VIP shoppers"));
        String buyer = groups.get(Behaviour.BUYER).get(2);
        await().atMost(PATIENCE).until(() -> lastScore(buyer),
                s -> s != null && "VIP shoppers".equals(s.get("cluster").get("clusterName").asText()));
        given().contentType(ContentType.JSON).body("{\"name\":\"  \"}")
                .patch("/v1/models/clustering.behavioural/versions/" + retrained + "/clusters/" + buyerId)
                .then().statusCode(400).body("errors[0].pointer", equalTo("/name"));
        given().contentType(ContentType.JSON).body("{\"name\":\"x\"}")
                .put("/v1/models/clustering.behavioural/versions/" + retrained + "/clusters/999")
                .then().statusCode(404);
    }

    @Test
    void kOutsideTwoToTwentyIsAProblemPointingAtK() {
        for (String body : List.of("{\"k\":1}", "{\"k\":21}", "{\"k\":\"three\"}", "{\"k\":[3]}")) {
            given().contentType(ContentType.JSON).body(body).post(TRAIN)
                    .then().statusCode(400).contentType(startsWith("application/problem+json"))
                    .body("status", equalTo(400))
                    .body("errors.pointer", hasItem("/k"));
        }
    }

    @Test
    void aBodyThatIsNotJsonIsAProblem() {
        given().contentType(ContentType.JSON).body("{\"k\":").post(TRAIN)
                .then().statusCode(400).contentType(startsWith("application/problem+json"))
                .body("errors.pointer", hasItem("/"));
    }

    @Test
    void unknownFamiliesAndVersionsAreNotFoundProblems() {
        given().contentType(ContentType.JSON).body("{}").post("/v1/models/propensity.nonsense/versions:train")
                .then().statusCode(404).contentType(startsWith("application/problem+json")).body("status", equalTo(404));
        given().get("/v1/models/propensity.nonsense/versions")
                .then().statusCode(404).contentType(startsWith("application/problem+json"));
        given().get("/v1/models/clustering.behavioural/versions/99999")
                .then().statusCode(404).contentType(startsWith("application/problem+json"))
                .body("title", equalTo("Unknown model version"));
    }

    private void latestScores(String prefix, int version, Map<String, JsonNode> into) throws Exception {
        for (ConsumerRecord<String, String> record : scores.poll()) {
            if (record.key() != null && record.key().startsWith(prefix) && record.value() != null) {
                JsonNode score = json.readTree(record.value());
                if (score.get("cluster").get("modelVersion").asInt() == version) {
                    into.put(record.key(), score);
                }
            }
        }
    }

    private JsonNode lastScore(String subscriberId) throws Exception {
        List<ConsumerRecord<String, String>> records = scores.pollKey(subscriberId);
        if (records.isEmpty() || records.get(records.size() - 1).value() == null) {
            return null;
        }
        return json.readTree(records.get(records.size() - 1).value());
    }

    private List<JsonNode> scoresOf(String subscriberId, int version) throws Exception {
        List<JsonNode> result = new java.util.ArrayList<>();
        for (ConsumerRecord<String, String> record : scores.pollKey(subscriberId)) {
            JsonNode score = json.readTree(record.value());
            if (score.get("cluster").get("modelVersion").asInt() == version) {
                result.add(score);
            }
        }
        return result;
    }

    private static Map<String, Object> cluster(List<Map<String, Object>> clusters, int clusterId) {
        return clusters.stream().filter(c -> ((Number) c.get("clusterId")).intValue() == clusterId).findFirst()
                .orElseThrow(() -> new AssertionError("no cluster " + clusterId + " in " + clusters));
    }

    @SuppressWarnings("unchecked")
    private static double centroid(Map<String, Object> cluster, String feature) {
        return ((Number) ((Map<String, Object>) cluster.get("centroid")).get(feature)).doubleValue();
    }
}
