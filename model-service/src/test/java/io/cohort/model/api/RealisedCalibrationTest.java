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
import io.cohort.model.TestDatabase;
import io.cohort.model.TrainingSetStub;
import io.cohort.devstack.DevStack;
import io.cohort.support.security.Scopes;
import java.util.Set;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Calibration of served propensity scores against realised outcomes in {@code GET .../monitoring}.
 * feature-service is another module and cannot run inside model-service's tests, so its training-set
 * endpoint is {@link TrainingSetStub} (a real HTTP server with known outcomes per asOf).
 */
@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
@QuarkusTestResource(TrainingSetStub.class)
class RealisedCalibrationTest {

    private static final String FAMILY = "propensity.clicked_7d";
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    @Inject
    TestDatabase db;
    @Inject
    ObjectMapper json;

    @AfterEach
    void forget() {
        db.deleteVersions(FAMILY);
        db.clearSubscribers();
    }

    /** The stub's outcome per subscriber as of {@code asOf}, read the way feature-service would answer. */
    private Map<String, Integer> outcomes(Instant asOf) throws Exception {
        String url = ConfigProvider.getConfig().getValue("cohort.model.feature-service.url", String.class);
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(url + "/v1/training-sets"))
                // the stub, like feature-service, wants a token holding training-sets:read
                .header("Authorization", "Bearer " + DevStack.shared().tokens().mint("model-service",
                        Set.of(Scopes.TRAINING_SETS_READ)))
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(
                        Map.of("asOf", asOf.toString(), "horizonDays", 7, "label", "clicked"))))
                .build(), HttpResponse.BodyHandlers.ofString());
        Map<String, Integer> outcomes = new HashMap<>();
        for (String line : response.body().split("\n")) {
            if (!line.isBlank()) {
                JsonNode row = json.readTree(line);
                outcomes.put(row.get("subscriberId").asText(), row.get("outcome").asInt());
            }
        }
        return outcomes;
    }

    @Test
    void servedScoresAreCheckedAgainstTheOutcomesOnceTheHorizonHasPassed() throws Exception {
        db.clearSubscribers();
        String job = given().contentType(ContentType.JSON).body("{\"trainingCutoffs\":1}")
                .post("/v1/models/" + FAMILY + "/versions:train").then().statusCode(202).extract().path("id");
        JsonNode done = await().atMost(PATIENCE).until(
                () -> json.readTree(given().get("/v1/jobs/" + job).then().statusCode(200).extract().asString()),
                j -> j.get("state").asText().equals("succeeded") || j.get("state").asText().equals("failed"));
        assertEquals("succeeded", done.get("state").asText(), done.toString());
        int version = done.get("version").asInt();
        Instant asOf = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(7));

        // nothing served before asOf yet
        given().get("/v1/models/" + FAMILY + "/monitoring").then().statusCode(200)
                .body("calibration.status", equalTo("pending"))
                .body("calibration.asOf", equalTo(asOf.toString()));

        // scoring keeps what it serves: a subscriber scored now has a served row for today
        String live = "cal-" + UUID.randomUUID();
        new FeatureFeed(json).send(live, 1, Map.of(FeatureNames.EMAILS_CLICKED_30D, 3.0));
        await().atMost(PATIENCE).until(() -> db.servedRows(live) == 1);

        // scores served the day before asOf (stub subscribers s-0 … s-399), then one a day later that
        // must not count (served after asOf), for s-0
        LocalDate before = LocalDate.ofInstant(asOf, ZoneOffset.UTC).minusDays(1);
        double[] p = new double[400];
        for (int i = 0; i < p.length; i++) {
            p[i] = (i % 10 + 0.5) / 10;
            db.insertServed(FAMILY, before, "s-" + i, version, p[i]);
        }
        db.insertServed(FAMILY, before.plusDays(1), "s-0", version, 0.99);

        // expected by hand: Brier = mean (p − y)²; ECE over 10 equal-width bins, p = 0.05 … 0.95 one per bin
        Map<String, Integer> outcomes = outcomes(asOf);
        double brier = 0;
        double[] binRows = new double[10];
        double[] binPositives = new double[10];
        double[] binScores = new double[10];
        int positives = 0;
        for (int i = 0; i < p.length; i++) {
            int y = outcomes.get("s-" + i);
            positives += y;
            brier += (p[i] - y) * (p[i] - y) / p.length;
            binRows[i % 10]++;
            binPositives[i % 10] += y;
            binScores[i % 10] += p[i];
        }
        double ece = 0;
        for (int b = 0; b < 10; b++) {
            ece += binRows[b] / p.length * Math.abs(binScores[b] / binRows[b] - binPositives[b] / binRows[b]);
        }

        JsonNode calibration = json.readTree(given().get("/v1/models/" + FAMILY + "/monitoring").then()
                .statusCode(200).extract().asString()).get("calibration");
        assertEquals("measured", calibration.get("status").asText(), calibration.toString());
        assertEquals(asOf.toString(), calibration.get("asOf").asText());
        assertEquals(7, calibration.get("horizonDays").asInt());
        assertEquals(400, calibration.get("rows").asInt());
        assertEquals(brier, calibration.get("brier").asDouble(), 1e-9);
        assertEquals(ece, calibration.get("ece").asDouble(), 1e-9);
        assertEquals(0.5, calibration.get("meanScore").asDouble(), 1e-9);
        assertEquals(positives / 400.0, calibration.get("observedRate").asDouble(), 1e-12);
        assertTrue(calibration.get("ece").asDouble() > 0, "these fixed scores ignore the features");
    }
}
