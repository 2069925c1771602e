package io.cohort.model.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.model.FeatureFeed;
import io.cohort.model.FeatureFeed.Behaviour;
import io.cohort.model.TestDatabase;
import io.cohort.model.domain.ModelFamilies;
import io.cohort.model.persistence.ModelRegistry;
import io.cohort.devstack.DevStackTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 item 5: training, activation and rename bodies are validated like every other endpoint
 * (nothing is trained on a body that is not what it claims), and a new version trained on request
 * replaces the active one only when it beats it on the same rows; otherwise it waits for :activate.
 */
@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
class TrainingRequestValidationTest {

    private static final String CLUSTERING = ModelFamilies.CLUSTERING_BEHAVIOURAL;
    private static final String TRAIN = "/v1/models/" + CLUSTERING + "/versions:train";
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Inject
    TestDatabase db;
    @Inject
    ObjectMapper json;
    @Inject
    ModelRegistry registry;

    @BeforeEach
    @AfterEach
    void forget() {
        db.deleteVersions(CLUSTERING);
        db.clearSubscribers();
    }

    @Test
    void badTrainingBodiesTrainNothing() {
        long before = registry.count(CLUSTERING);
        badRequest(given().contentType(ContentType.JSON).body("null"), "/");
        badRequest(given().contentType(ContentType.JSON).body("[3]"), "/");
        badRequest(given().contentType(ContentType.JSON).body("{\"k\":4.5}"), "/k");
        badRequest(given().contentType(ContentType.JSON).body("{\"k\":\"4\"}"), "/k");
        badRequest(given().contentType(ContentType.JSON).body("{\"k\":3,\"kay\":3}"), "/kay");
        badRequest(given().contentType(ContentType.JSON).body("{\"k\":3,\"k\":4}"), "/");
        badRequest(given().contentType(ContentType.JSON).body("{\"autoActivate\":\"yes\"}"), "/autoActivate");
        // {"algorithm":"<0xff>"}: not UTF-8 (a String body used to turn it into U+FFFD and train)
        byte[] latin1 = "{\"algorithm\":\"\u00ff\"}".getBytes(StandardCharsets.ISO_8859_1);
        badRequest(given().contentType("application/json").body(latin1), "/");
        given().contentType("text/xml").body("<k>4</k>").post(TRAIN)
                .then().statusCode(415).contentType(startsWith("application/problem+json"));
        given().queryParam("async", "yes").post(TRAIN).then().statusCode(400).body("errors.pointer", hasItem("?async"));
        for (String family : List.of(ModelFamilies.CLV_BTYD, ModelFamilies.SENDTIME)) {
            String train = "/v1/models/" + family + "/versions:train";
            given().contentType(ContentType.JSON).body("{\"k\":\"bad\"}").post(train).then().statusCode(400)
                    .contentType(startsWith("application/problem+json")).body("errors.pointer", hasItem("/k"));
            given().contentType(ContentType.JSON).body("null").post(train).then().statusCode(400);
            given().contentType("text/xml").body("<a/>").post(train).then().statusCode(415);
        }
        String propensity = "/v1/models/propensity.clicked_7d/versions:train";
        given().contentType(ContentType.JSON).body("{\"epochs\":4.5,\"nope\":1}").post(propensity)
                .then().statusCode(400).body("errors.pointer", hasItem("/epochs")).body("errors.pointer", hasItem("/nope"));
        given().contentType(ContentType.JSON).body("{\"autoActivate\":\"false\"}").post(propensity)
                .then().statusCode(400).body("errors.pointer", hasItem("/autoActivate"));
        assertEquals(before, registry.count(CLUSTERING));
    }

    @Test
    void aNewVersionIsActivatedOnlyWhenItBeatsTheActiveOne() {
        FeatureFeed feed = new FeatureFeed(json);
        String run = "val-" + UUID.randomUUID() + "-";
        for (Behaviour behaviour : Behaviour.values()) {
            for (int i = 0; i < 20; i++) {
                feed.send(run + behaviour.name().toLowerCase() + "-" + i, 1, FeatureFeed.behaviour(behaviour, i));
            }
        }
        await().atMost(PATIENCE).until(() -> db.snapshotsWithPrefix(run) == 60L);

        // the first version has nothing to beat
        int first = given().contentType(ContentType.JSON).body("{\"k\":3,\"seed\":7}").post(TRAIN)
                .then().statusCode(201).body("status", equalTo("active"))
                .body("metrics.comparison.activated", equalTo(true)).extract().path("version");
        // an empty body trains with defaults (k by silhouette over 4..12): three behaviours split worse
        int automatic = given().post(TRAIN).then().statusCode(201).body("status", equalTo("candidate"))
                .body("metrics.comparison.activeVersion", equalTo(first))
                .body("metrics.comparison.metric", equalTo("silhouette"))
                .body("metrics.comparison.activated", equalTo(false)).extract().path("version");
        // the same settings again give the same silhouette: not better, so not activated either
        given().contentType(ContentType.JSON).body("{\"k\":3,\"seed\":7}").post(TRAIN)
                .then().statusCode(201).body("status", equalTo("candidate"));
        given().contentType(ContentType.JSON).body("{\"k\":3,\"autoActivate\":false}").post(TRAIN)
                .then().statusCode(201).body("status", equalTo("candidate"));
        assertEquals(first, registry.activeVersion(CLUSTERING).orElseThrow());

        // an activation takes no parameters
        given().contentType(ContentType.JSON).body("{\"force\":true}").post(activate(automatic))
                .then().statusCode(400).body("errors.pointer", hasItem("/force"));
        given().contentType("text/plain").body("now").post(activate(automatic)).then().statusCode(415);
        assertEquals(first, registry.activeVersion(CLUSTERING).orElseThrow());
        given().post(activate(automatic)).then().statusCode(200).body("status", equalTo("active"));
        // now k=3 beats the active split one on the same rows, so it replaces it by itself
        int better = given().contentType(ContentType.JSON).body("{\"k\":3}").post(TRAIN)
                .then().statusCode(201).body("status", equalTo("active"))
                .body("metrics.comparison.activeVersion", equalTo(automatic)).extract().path("version");
        assertEquals(better, registry.activeVersion(CLUSTERING).orElseThrow());

        // a rename takes a string name and nothing else
        String cluster = "/v1/models/" + CLUSTERING + "/versions/" + better + "/clusters/0";
        given().contentType(ContentType.JSON).body("{\"name\":5}").patch(cluster)
                .then().statusCode(400).body("errors.pointer", hasItem("/name"));
        given().contentType(ContentType.JSON).body("{\"name\":\"VIP\",\"colour\":\"red\"}").put(cluster)
                .then().statusCode(400).body("errors.pointer", hasItem("/colour"));
        given().contentType(ContentType.JSON).body("null").patch(cluster).then().statusCode(400);
        given().contentType("text/xml").body("<name>VIP</name>").patch(cluster).then().statusCode(415);
        given().get("/v1/models/" + CLUSTERING + "/versions/" + better).then().statusCode(200)
                .body("clusters.find { it.clusterId == 0 }.name", org.hamcrest.Matchers.not(equalTo("5")));
    }

    private static String activate(int version) {
        return "/v1/models/" + CLUSTERING + "/versions/" + version + ":activate";
    }

    private static void badRequest(RequestSpecification request, String pointer) {
        request.post(TRAIN).then().statusCode(400).contentType(startsWith("application/problem+json"))
                .body("status", equalTo(400)).body("errors.pointer", hasItem(pointer));
    }
}
