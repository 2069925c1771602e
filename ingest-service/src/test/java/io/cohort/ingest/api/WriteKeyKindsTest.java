package io.cohort.ingest.api;

import static io.cohort.ingest.api.WriteKeyAuthTest.createClientKey;
import static io.cohort.ingest.api.WriteKeyAuthTest.createKey;
import static io.cohort.ingest.api.WriteKeyAuthTest.track;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.cohort.devstack.DevStackTestResource;
import io.cohort.ingest.persistence.WriteKeyLastUse;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue 17: client keys track only; server keys may be granted privacy:write and imports:write and
 * then stand in for a bearer token on erasure, consent, request status and imports; keys rotate with
 * two secrets valid during the overlap; the admin API shows a coarse last use.
 */
@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
@TestProfile(WriteKeyKindsTest.AuthOnNoScheduledLastUse.class)
class WriteKeyKindsTest {

    /** Tracking keys checked; last use written only when the test flushes it. */
    public static class AuthOnNoScheduledLastUse implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cohort.ingest.auth.enabled", "true", "cohort.ingest.write-keys.last-used-every", "1h");
        }
    }

    private static final String CONSENT = "{\"channel\":\"email\",\"status\":\"granted\"}";

    @Inject
    WriteKeyLastUse lastUse;

    private static String serverKey(String name, String... scopes) {
        return createServerKey(name, scopes).getString("key");
    }

    private static JsonPath createServerKey(String name, String... scopes) {
        StringBuilder list = new StringBuilder();
        for (String scope : scopes) {
            list.append(list.isEmpty() ? "" : ",").append('"').append(scope).append('"');
        }
        JsonPath created = createKey("{\"name\":\"" + name + "\",\"kind\":\"server\",\"scopes\":[" + list + "]}");
        assertEquals("server", created.getString("kind"));
        assertEquals(List.of(scopes).stream().sorted().toList(), created.getList("scopes"));
        assertEquals("sk_", created.getString("key").substring(0, 3));
        return created;
    }

    private static ValidatableResponse erase(String key, String user) {
        return given().auth().preemptive().basic(key, "").delete("/v1/subscribers/" + user).then();
    }

    private static ValidatableResponse consent(String key, String user) {
        return given().auth().preemptive().basic(key, "").contentType(ContentType.JSON).body(CONSENT)
                .put("/v1/subscribers/" + user + "/consent").then();
    }

    private static ValidatableResponse upload(String key) {
        return given().auth().preemptive().basic(key, "").contentType("text/csv")
                .body("userId,event\nu-" + UUID.randomUUID() + ",Product Viewed\n")
                .post("/v1/imports?kind=events").then();
    }

    private static void refusedNaming(ValidatableResponse response, String scope) {
        response.statusCode(403).contentType("application/problem+json")
                .body("scopes", equalTo(List.of(scope))).body("detail", containsString("'" + scope + "'"));
    }

    @Test
    void aClientKeyIsRefusedOnErasureConsentAndImportsNamingTheScope() {
        String client = createClientKey("browser").getString("key");
        String user = "u-" + UUID.randomUUID();
        refusedNaming(erase(client, user), "privacy:write");
        refusedNaming(consent(client, user), "privacy:write");
        refusedNaming(upload(client), "imports:write");
        refusedNaming(given().auth().preemptive().basic(client, "").get("/v1/imports/" + UUID.randomUUID()).then(),
                "imports:write");
        refusedNaming(given().auth().preemptive().basic(client, "").get("/v1/requests/" + UUID.randomUUID()).then(),
                "privacy:write");
        // an unknown key there is not authenticated at all
        given().auth().preemptive().basic("sk_unknown", "").delete("/v1/subscribers/" + user).then().statusCode(401);
        // and it still tracks
        given().auth().preemptive().basic(client, "").contentType(ContentType.JSON).body(track())
                .post("/v1/track").then().statusCode(200);
    }

    @Test
    void aServerKeyGrantedTheScopeStandsInForAToken() {
        String privacy = serverKey("crm", "privacy:write");
        String user = "u-" + UUID.randomUUID();
        String requestId = erase(privacy, user).statusCode(202).extract().path("requestId");
        given().auth().preemptive().basic(privacy, "").get("/v1/requests/" + requestId).then().statusCode(200)
                .body("kind", equalTo("erasure"));
        consent(privacy, "u-" + UUID.randomUUID()).statusCode(202);
        // but not for imports, which it was not granted
        refusedNaming(upload(privacy), "imports:write");

        String imports = serverKey("warehouse", "imports:write");
        String jobId = upload(imports).statusCode(202).extract().path("id");
        given().auth().preemptive().basic(imports, "").get("/v1/imports/" + jobId).then().statusCode(200)
                .body("id", equalTo(jobId));
        refusedNaming(erase(imports, user), "privacy:write");
        // a server key tracks too (the back end that forwards consent usually sends events)
        given().auth().preemptive().basic(imports, "").contentType(ContentType.JSON).body(track())
                .post("/v1/track").then().statusCode(200);
    }

    @Test
    void aServerKeyWithoutScopesAndAClientKeyWithScopesAreHowTheyWereAsked() {
        String bare = serverKey("bare");
        refusedNaming(erase(bare, "u-" + UUID.randomUUID()), "privacy:write");
        given().contentType(ContentType.JSON).body("{\"name\":\"x\",\"scopes\":[\"privacy:write\"]}")
                .post("/v1/admin/write-keys").then().statusCode(400).body("errors[0].pointer", equalTo("/scopes"));
        given().contentType(ContentType.JSON).body("{\"name\":\"x\",\"kind\":\"server\",\"scopes\":[\"admin\"]}")
                .post("/v1/admin/write-keys").then().statusCode(400).body("errors[0].pointer", equalTo("/scopes/0"));
        given().contentType(ContentType.JSON).body("{\"name\":\"x\",\"kind\":\"public\"}")
                .post("/v1/admin/write-keys").then().statusCode(400).body("errors[0].pointer", equalTo("/kind"));
    }

    @Test
    void aRotatedKeyKeepsItsOldSecretValidUntilTheOverlapEnds() {
        JsonPath created = createServerKey("rotating", "privacy:write");
        String first = created.getString("key");
        String id = created.getString("id");
        Instant until = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        JsonPath rotated = given().contentType(ContentType.JSON).body("{\"previousValidUntil\":\"" + until + "\"}")
                .post("/v1/admin/write-keys/" + id + ":rotate").then().statusCode(200)
                .body("id", equalTo(id)).body("kind", equalTo("server")).body("scopes", equalTo(List.of("privacy:write")))
                .body("rotatedAt", notNullValue())
                .extract().jsonPath();
        String second = rotated.getString("key");
        assertNotEquals(first, second);
        assertEquals(until, Instant.parse(rotated.getString("previousValidUntil")));
        // both secrets work during the overlap, with the key's kind and scopes
        erase(first, "u-" + UUID.randomUUID()).statusCode(202);
        erase(second, "u-" + UUID.randomUUID()).statusCode(202);
        given().get("/v1/admin/write-keys").then().statusCode(200)
                .body("find { it.id == '" + id + "' }.previousValidUntil", notNullValue());

        // the next rotation, ending the old secret at once (a past time): only the newest secret works
        String third = given().contentType(ContentType.JSON)
                .body("{\"previousValidUntil\":\"" + Instant.now().minusSeconds(60) + "\"}")
                .post("/v1/admin/write-keys/" + id + ":rotate").then().statusCode(200).extract().path("key");
        erase(third, "u-" + UUID.randomUUID()).statusCode(202);
        erase(second, "u-" + UUID.randomUUID()).statusCode(401);
        erase(first, "u-" + UUID.randomUUID()).statusCode(401);

        // revoking ends every secret; a revoked key cannot be rotated
        given().delete("/v1/admin/write-keys/" + id).then().statusCode(204);
        erase(third, "u-" + UUID.randomUUID()).statusCode(401);
        given().contentType(ContentType.JSON).body("{}").post("/v1/admin/write-keys/" + id + ":rotate")
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void aClientKeyRotatesForTrackingAndTheOverlapIsBounded() {
        JsonPath created = createClientKey("site");
        String id = created.getString("id");
        String old = created.getString("key");
        given().contentType(ContentType.JSON)
                .body("{\"previousValidUntil\":\"" + Instant.now().plus(31, ChronoUnit.DAYS) + "\"}")
                .post("/v1/admin/write-keys/" + id + ":rotate").then().statusCode(400)
                .body("errors[0].pointer", equalTo("/previousValidUntil"));
        // without a body: the default overlap (a day)
        JsonPath rotated = given().contentType(ContentType.JSON).post("/v1/admin/write-keys/" + id + ":rotate")
                .then().statusCode(200).body("kind", equalTo("client")).body("key", startsWith("ck_"))
                .extract().jsonPath();
        Instant until = Instant.parse(rotated.getString("previousValidUntil"));
        assertEquals(Instant.parse(rotated.getString("rotatedAt")).plus(1, ChronoUnit.DAYS), until);
        for (String key : List.of(old, rotated.getString("key"))) {
            given().auth().preemptive().basic(key, "").contentType(ContentType.JSON).body(track())
                    .post("/v1/track").then().statusCode(200);
        }
        given().contentType(ContentType.JSON).post("/v1/admin/write-keys/" + UUID.randomUUID() + ":rotate")
                .then().statusCode(404);
    }

    @Test
    void lastUseIsNotedInMemoryAndWrittenCoarselyPerSecret() {
        JsonPath created = createClientKey("last-use");
        String id = created.getString("id");
        String key = created.getString("key");
        assertNull(field(id, "lastUsedAt"), "never used");
        for (int i = 0; i < 3; i++) {
            given().auth().preemptive().basic(key, "").contentType(ContentType.JSON).body(track())
                    .post("/v1/track").then().statusCode(200);
        }
        // not written by the calls themselves: no write per event
        assertNull(field(id, "lastUsedAt"), "written by the periodic flush, not by the call");
        lastUse.flush();
        Instant used = Instant.parse(field(id, "lastUsedAt"));
        assertEquals(used.truncatedTo(ChronoUnit.MINUTES), used, "coarse: to the minute");
        assertNull(field(id, "previousLastUsedAt"));

        // after a rotation the old secret's last use is kept apart, and still noted while it is valid
        String fresh = given().contentType(ContentType.JSON).post("/v1/admin/write-keys/" + id + ":rotate")
                .then().statusCode(200).extract().path("key");
        assertEquals(used, Instant.parse(field(id, "previousLastUsedAt")));
        assertNull(field(id, "lastUsedAt"), "the new secret is unused");
        given().auth().preemptive().basic(fresh, "").contentType(ContentType.JSON).body(track())
                .post("/v1/track").then().statusCode(200);
        lastUse.flush();
        assertNotNull(field(id, "lastUsedAt"));
    }

    private static String field(String id, String name) {
        return given().get("/v1/admin/write-keys").then().statusCode(200)
                .extract().path("find { it.id == '" + id + "' }." + name);
    }
}
