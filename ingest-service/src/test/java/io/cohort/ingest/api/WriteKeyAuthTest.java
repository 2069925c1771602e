package io.cohort.ingest.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.cohort.devstack.DevStack;
import io.cohort.devstack.DevStackTestResource;
import io.cohort.devstack.Roles;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Tracking calls with write-key authentication on; keys managed through the admin API with a bearer
 * token holding {@code admin} (the other calls carry the development admin's token, BearerTokenCallback;
 * {@code noFilters()} sends none).
 */
@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
@TestProfile(WriteKeyAuthTest.AuthOn.class)
class WriteKeyAuthTest {

    public static class AuthOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cohort.ingest.auth.enabled", "true");
        }
    }

    /** Creates a key with the admin token (BearerTokenCallback's) and returns the 201 body. */
    static JsonPath createKey(String body) {
        return given().contentType(ContentType.JSON).body(body)
                .post("/v1/admin/write-keys")
                .then().statusCode(201)
                .body("id", notNullValue()).body("createdAt", notNullValue())
                .extract().jsonPath();
    }

    static JsonPath createClientKey(String name) {
        JsonPath created = createKey("{\"name\":\"" + name + "\"}");
        org.junit.jupiter.api.Assertions.assertEquals("client", created.getString("kind"));
        org.junit.jupiter.api.Assertions.assertTrue(created.getString("key").startsWith("ck_"));
        return created;
    }

    static String track() {
        return "{\"userId\":\"u-" + UUID.randomUUID() + "\",\"event\":\"Product Viewed\"}";
    }

    @Test
    void aCreatedKeyAuthenticatesAsTheBasicUsernameUntilRevoked() {
        JsonPath created = createClientKey("website");
        String key = created.getString("key");
        String id = created.getString("id");

        given().auth().preemptive().basic(key, "").contentType(ContentType.JSON).body(track())
                .post("/v1/track").then().statusCode(200).body("accepted", equalTo(1));
        given().auth().preemptive().basic(key, "").contentType(ContentType.JSON)
                .body("{\"batch\":[" + track().replace("{", "{\"type\":\"track\",") + "]}")
                .post("/v1/batch").then().statusCode(200).body("accepted", equalTo(1));

        given().get("/v1/admin/write-keys").then().statusCode(200)
                .body("id", hasItem(id))
                .body("find { it.id == '" + id + "' }.name", equalTo("website"))
                .body("find { it.id == '" + id + "' }.kind", equalTo("client"))
                .body("find { it.id == '" + id + "' }.scopes", equalTo(java.util.List.of()))
                .body("find { it.id == '" + id + "' }.revokedAt", nullValue())
                .body("find { it.id == '" + id + "' }.key", nullValue())
                .body(not(org.hamcrest.Matchers.containsString(key)));

        given().delete("/v1/admin/write-keys/" + id).then().statusCode(204);
        given().get("/v1/admin/write-keys").then().statusCode(200)
                .body("find { it.id == '" + id + "' }.revokedAt", notNullValue());
        given().auth().preemptive().basic(key, "").contentType(ContentType.JSON).body(track())
                .post("/v1/track").then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", startsWith("Basic"));
    }

    @Test
    void theKeyMayComeAsTheBodysWriteKeyFieldAsSegmentAlsoDocuments() {
        String key = createClientKey("shop").getString("key");
        given().noFilters().contentType(ContentType.JSON).body(track().replace("{", "{\"writeKey\":\"" + key + "\","))
                .post("/v1/track").then().statusCode(200).body("accepted", equalTo(1));
        given().noFilters().contentType(ContentType.JSON)
                .body("{\"writeKey\":\"" + key + "\",\"batch\":[" + track().replace("{", "{\"type\":\"track\",") + "]}")
                .post("/v1/batch").then().statusCode(200).body("accepted", equalTo(1));
        given().noFilters().contentType(ContentType.JSON).body(track().replace("{", "{\"writeKey\":\"ck_unknown\","))
                .post("/v1/track").then().statusCode(401).header("WWW-Authenticate", startsWith("Basic"));
        given().noFilters().contentType(ContentType.JSON).body(track().replace("{", "{\"writeKey\":7,"))
                .post("/v1/page").then().statusCode(401);
    }

    @Test
    void trackingWithoutOrWithAnUnknownKeyIsRefused() {
        given().noFilters().contentType(ContentType.JSON).body(track()).post("/v1/track")
                .then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", startsWith("Basic"))
                .body("status", equalTo(401));
        given().auth().preemptive().basic("ck_not-a-key", "").contentType(ContentType.JSON).body(track())
                .post("/v1/identify").then().statusCode(401).header("WWW-Authenticate", startsWith("Basic"));
        given().noFilters().contentType(ContentType.JSON).body("{\"batch\":[]}").post("/v1/import").then().statusCode(401);
        // a bearer token, even the admin's, is not a write key: tracking takes keys only
        given().contentType(ContentType.JSON).body(track()).post("/v1/screen").then().statusCode(401);
        // the rest of the service does not need a write key
        given().noFilters().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void theAdminApiNeedsABearerTokenWithTheAdminScope() {
        given().noFilters().contentType(ContentType.JSON).body("{\"name\":\"x\"}").post("/v1/admin/write-keys")
                .then().statusCode(401).header("WWW-Authenticate", startsWith("Bearer"));
        given().header("Authorization", "Bearer wrong").get("/v1/admin/write-keys").then().statusCode(401);
        // an operator imports but does not manage keys
        String operator = DevStack.shared().tokens().mint("operator", Roles.OPERATOR);
        given().header("Authorization", "Bearer " + operator).get("/v1/admin/write-keys").then().statusCode(403)
                .contentType("application/problem+json").body("scopes[0]", equalTo("admin"));
        // a write key, even a server key, never manages keys
        String server = createKey("{\"name\":\"backend-admin\",\"kind\":\"server\",\"scopes\":[\"privacy:write\"]}")
                .getString("key");
        given().auth().preemptive().basic(server, "").get("/v1/admin/write-keys").then().statusCode(401);
        given().contentType(ContentType.JSON).body("{\"name\":\"\"}")
                .post("/v1/admin/write-keys").then().statusCode(400).body("errors[0].pointer", equalTo("/name"));
        given().delete("/v1/admin/write-keys/" + UUID.randomUUID())
                .then().statusCode(404).contentType("application/problem+json");
        given().delete("/v1/admin/write-keys/not-a-uuid").then().statusCode(404);
    }

    @Test
    void onlyTheAdminScopeMayUnsuppressAnErasedSubscriber() {
        String user = "u-" + UUID.randomUUID();
        given().delete("/v1/subscribers/" + user).then().statusCode(202);
        String privacy = DevStack.shared().tokens().mint("dpo", Set.of("privacy:write"));
        given().header("Authorization", "Bearer " + privacy).post("/v1/subscribers/" + user + ":unsuppress")
                .then().statusCode(403).body("scopes[0]", equalTo("admin"));
        String server = createKey("{\"name\":\"backend-unsuppress\",\"kind\":\"server\",\"scopes\":[\"privacy:write\"]}")
                .getString("key");
        given().auth().preemptive().basic(server, "").post("/v1/subscribers/" + user + ":unsuppress")
                .then().statusCode(403).contentType("application/problem+json").body("scopes[0]", equalTo("admin"));
        given().noFilters().post("/v1/subscribers/" + user + ":unsuppress").then().statusCode(401);
        given().header("Authorization", "Bearer wrong").post("/v1/subscribers/" + user + ":unsuppress")
                .then().statusCode(401);
        given().post("/v1/subscribers/" + user + ":unsuppress").then().statusCode(204);
    }

    @Test
    void aWriteKeyNameWithANulIsRefused() {
        given().contentType(ContentType.JSON).body("{\"name\":\"web\\u0000site\"}")
                .post("/v1/admin/write-keys").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].pointer", equalTo("/name"));
    }
}
