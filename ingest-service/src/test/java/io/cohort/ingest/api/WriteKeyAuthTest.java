package io.cohort.ingest.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.cohort.devstack.DevStackTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Tracking calls with write-key authentication on, keys managed through the admin API. */
@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
@TestProfile(WriteKeyAuthTest.AuthOn.class)
class WriteKeyAuthTest {

    static final String ADMIN = "Bearer test-admin-token";

    public static class AuthOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cohort.ingest.auth.enabled", "true", "cohort.ingest.admin-token", "test-admin-token");
        }
    }

    private static JsonPath createKey(String name) {
        return given().header("Authorization", ADMIN).contentType(ContentType.JSON)
                .body("{\"name\":\"" + name + "\"}")
                .post("/v1/admin/write-keys")
                .then().statusCode(201)
                .body("id", notNullValue()).body("name", equalTo(name)).body("createdAt", notNullValue())
                .body("key", startsWith("ck_"))
                .extract().jsonPath();
    }

    private static String track() {
        return "{\"userId\":\"u-" + UUID.randomUUID() + "\",\"event\":\"Product Viewed\"}";
    }

    @Test
    void aCreatedKeyAuthenticatesAsTheBasicUsernameUntilRevoked() {
        JsonPath created = createKey("website");
        String key = created.getString("key");
        String id = created.getString("id");

        given().auth().preemptive().basic(key, "").contentType(ContentType.JSON).body(track())
                .post("/v1/track").then().statusCode(200).body("accepted", equalTo(1));
        given().auth().preemptive().basic(key, "").contentType(ContentType.JSON)
                .body("{\"batch\":[" + track().replace("{", "{\"type\":\"track\",") + "]}")
                .post("/v1/batch").then().statusCode(200).body("accepted", equalTo(1));

        given().header("Authorization", ADMIN).get("/v1/admin/write-keys").then().statusCode(200)
                .body("id", hasItem(id))
                .body("find { it.id == '" + id + "' }.name", equalTo("website"))
                .body("find { it.id == '" + id + "' }.revokedAt", nullValue())
                .body("find { it.id == '" + id + "' }.key", nullValue())
                .body(not(org.hamcrest.Matchers.containsString(key)));

        given().header("Authorization", ADMIN).delete("/v1/admin/write-keys/" + id).then().statusCode(204);
        given().header("Authorization", ADMIN).get("/v1/admin/write-keys").then().statusCode(200)
                .body("find { it.id == '" + id + "' }.revokedAt", notNullValue());
        given().auth().preemptive().basic(key, "").contentType(ContentType.JSON).body(track())
                .post("/v1/track").then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", startsWith("Basic"));
    }

    @Test
    void theKeyMayComeAsTheBodysWriteKeyFieldAsSegmentAlsoDocuments() {
        String key = createKey("server").getString("key");
        given().contentType(ContentType.JSON).body(track().replace("{", "{\"writeKey\":\"" + key + "\","))
                .post("/v1/track").then().statusCode(200).body("accepted", equalTo(1));
        given().contentType(ContentType.JSON)
                .body("{\"writeKey\":\"" + key + "\",\"batch\":[" + track().replace("{", "{\"type\":\"track\",") + "]}")
                .post("/v1/batch").then().statusCode(200).body("accepted", equalTo(1));
        given().contentType(ContentType.JSON).body(track().replace("{", "{\"writeKey\":\"ck_unknown\","))
                .post("/v1/track").then().statusCode(401).header("WWW-Authenticate", startsWith("Basic"));
        given().contentType(ContentType.JSON).body(track().replace("{", "{\"writeKey\":7,"))
                .post("/v1/page").then().statusCode(401);
    }

    @Test
    void trackingWithoutOrWithAnUnknownKeyIsRefused() {
        given().contentType(ContentType.JSON).body(track()).post("/v1/track")
                .then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", startsWith("Basic"))
                .body("status", equalTo(401));
        given().auth().preemptive().basic("ck_not-a-key", "").contentType(ContentType.JSON).body(track())
                .post("/v1/identify").then().statusCode(401).header("WWW-Authenticate", startsWith("Basic"));
        given().contentType(ContentType.JSON).body("{\"batch\":[]}").post("/v1/import").then().statusCode(401);
        given().header("Authorization", "Bearer test-admin-token").contentType(ContentType.JSON).body(track())
                .post("/v1/screen").then().statusCode(401);
        // the rest of the service does not need a write key
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void theAdminApiNeedsTheAdminToken() {
        given().contentType(ContentType.JSON).body("{\"name\":\"x\"}").post("/v1/admin/write-keys")
                .then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", startsWith("Bearer"));
        given().header("Authorization", "Bearer wrong").get("/v1/admin/write-keys").then().statusCode(401);
        given().header("Authorization", ADMIN).contentType(ContentType.JSON).body("{\"name\":\"\"}")
                .post("/v1/admin/write-keys").then().statusCode(400).body("errors[0].pointer", equalTo("/name"));
        given().header("Authorization", ADMIN).delete("/v1/admin/write-keys/" + UUID.randomUUID())
                .then().statusCode(404).contentType("application/problem+json");
        given().header("Authorization", ADMIN).delete("/v1/admin/write-keys/not-a-uuid").then().statusCode(404);
    }

    @Test
    void erasureAndConsentNeedTheAdminTokenOrAWriteKey() {
        String user = "u-" + UUID.randomUUID();
        given().delete("/v1/subscribers/" + user).then().statusCode(401).contentType("application/problem+json");
        given().header("Authorization", "Bearer wrong").delete("/v1/subscribers/" + user).then().statusCode(401);
        given().auth().preemptive().basic("ck_unknown", "").delete("/v1/subscribers/" + user).then().statusCode(401);
        String requestId = given().header("Authorization", ADMIN).delete("/v1/subscribers/" + user)
                .then().statusCode(202).extract().path("requestId");
        String key = createKey("backend").getString("key");
        given().auth().preemptive().basic(key, "").get("/v1/requests/" + requestId).then().statusCode(200)
                .body("kind", equalTo("erasure"));
        given().get("/v1/requests/" + requestId).then().statusCode(401);
        given().auth().preemptive().basic(key, "").contentType(ContentType.JSON)
                .body("{\"channel\":\"email\",\"status\":\"granted\"}")
                .put("/v1/subscribers/" + user + "/consent").then().statusCode(202);
        given().contentType(ContentType.JSON).body("{\"channel\":\"email\",\"status\":\"granted\"}")
                .put("/v1/subscribers/" + user + "/consent").then().statusCode(401);
    }

    @Test
    void onlyTheAdminTokenMayUnsuppressAnErasedSubscriber() {
        String user = "u-" + UUID.randomUUID();
        given().header("Authorization", ADMIN).delete("/v1/subscribers/" + user).then().statusCode(202);
        String key = createKey("backend-unsuppress").getString("key");
        given().auth().preemptive().basic(key, "").post("/v1/subscribers/" + user + ":unsuppress")
                .then().statusCode(401).contentType("application/problem+json");
        given().post("/v1/subscribers/" + user + ":unsuppress").then().statusCode(401);
        given().header("Authorization", "Bearer wrong").post("/v1/subscribers/" + user + ":unsuppress")
                .then().statusCode(401);
        given().header("Authorization", ADMIN).post("/v1/subscribers/" + user + ":unsuppress").then().statusCode(204);
    }

    @Test
    void aWriteKeyNameWithANulIsRefused() {
        given().header("Authorization", ADMIN).contentType(ContentType.JSON).body("{\"name\":\"web\\u0000site\"}")
                .post("/v1/admin/write-keys").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].pointer", equalTo("/name"));
    }
}
