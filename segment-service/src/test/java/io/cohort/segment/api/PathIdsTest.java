package io.cohort.segment.api;

import static io.cohort.segment.api.SegmentFixtures.clusterBody;
import static io.cohort.segment.api.SegmentFixtures.create;
import static io.cohort.segment.api.SegmentFixtures.uniqueNumber;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cohort.devstack.DevStackTestResource;
import io.cohort.devstack.security.BearerTokenCallback;
import io.cohort.segment.persistence.Jdbc;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Ids in paths are taken whole or refused: a raw {@code ;} (matrix parameters) or {@code %00} in a
 * path is a 400 problem naming the parameter, never a call for another subscriber or a 500. The
 * requests are sent with raw URIs, as a client that does not encode would send them.
 */
@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
class PathIdsTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TestHTTPResource("/")
    URI base;

    @Inject
    Jdbc jdbc;

    @Test
    void aSemicolonInASubscriberIdIsRefusedInsteadOfTargetingTheIdBeforeIt() throws Exception {
        String victim = "victim-" + uniqueNumber();
        for (String path : List.of("/v1/subscribers/" + victim + ";x/plan", "/v1/subscribers/" + victim + ";x/segments",
                "/v1/subscribers/" + victim + ";x=1/segments?explain=true")) {
            assertProblem(get(path), "/id");
        }
        assertProblem(post("/v1/subscribers/" + victim + ";x/sends", "{\"messageId\":\"m-" + victim + "\"}"), "/id");
        assertEquals(List.of(), jdbc.query("select message_id from subscriber_send where subscriber_id = ?",
                s -> s.setString(1, victim), row -> row.getString(1)), "no send recorded for the id before ';'");
    }

    @Test
    void aSemicolonInASegmentPathIsRefusedEverywhere() throws Exception {
        String segment = create(clusterBody("Path ids " + uniqueNumber(), 3, null));
        assertProblem(get("/v1/segments/" + segment + ";v=2"), "/id");
        assertProblem(get("/v1/segments/" + segment + ";v=2/members"), "/id");
        assertProblem(get("/v1/segments/" + segment + "/members/someone;else"), "/subscriberId");
        assertProblem(get("/v1/segments;x"), "/");
    }

    @Test
    void aNulInAPathOrQueryIsA400ProblemNotA500() throws Exception {
        String segment = create(clusterBody("Nul ids " + uniqueNumber(), 3, null));
        assertProblem(get("/v1/subscribers/a%00b/plan"), "/id");
        assertProblem(get("/v1/subscribers/a%00b/segments"), "/id");
        assertProblem(post("/v1/subscribers/a%00b/sends", "{}"), "/id");
        assertProblem(get("/v1/segments/" + segment + "/members/a%00b"), "/subscriberId");
        assertProblem(get("/v1/segments/" + segment + "/members?cursor=a%00b"), "?cursor");
    }

    @Test
    void anEncodedSemicolonArrivesWholeInTheId() throws Exception {
        HttpResponse<String> response = get("/v1/subscribers/a%3Bb/plan");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("a;b", JsonPath.from(response.body()).getString("subscriberId"));
        response = get("/v1/subscribers/a%3bb/segments");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("a;b", JsonPath.from(response.body()).getString("subscriberId"));
    }

    private static void assertProblem(HttpResponse<String> response, String pointer) {
        assertEquals(400, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("application/problem+json"),
                response.headers().toString());
        JsonPath problem = JsonPath.from(response.body());
        assertEquals(400, problem.getInt("status"));
        assertEquals(pointer, problem.getString("errors[0].pointer"), response.body());
    }

    // raw requests bypass RestAssured's token filter: they carry the same admin token themselves
    private HttpResponse<String> get(String rawPath) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(rawPath)).header("Authorization", "Bearer "
                + BearerTokenCallback.adminToken()).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String rawPath, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(rawPath)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + BearerTokenCallback.adminToken())
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String rawPath) {
        // URI.create keeps the path exactly as written (';' and percent escapes are not re-encoded)
        return URI.create("http://" + base.getHost() + ":" + base.getPort() + rawPath);
    }
}
