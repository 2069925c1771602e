package io.cohort.model.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.cohort.devstack.DevStackTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 15 item 5 ("validate like every other endpoint"): lookalike, send-time and ad-hoc scoring
 * bodies are read as strictly as training bodies ({@link BodyFields}). Data binding turned
 * {@code "targetSize": 10.5} into 10 and ignored unknown or duplicate members; each bad body is now
 * a 400 problem naming its JSON pointer, and a body that is not JSON a 415. Valid bodies are covered
 * by SendTimeAndLookalikesTest and the lifecycle tests.
 */
@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
class RequestBodyValidationTest {

    private static final String LOOKALIKES = "/v1/lookalikes";
    private static final String BEST_HOURS = "/v1/sendtime/best-hours";
    private static final String SCORE = "/v1/score";

    static Stream<Arguments> badBodies() {
        List<Arguments> cases = new ArrayList<>();
        for (String endpoint : List.of(LOOKALIKES, BEST_HOURS, SCORE)) {
            cases.add(arguments(endpoint, "null", "/"));
            cases.add(arguments(endpoint, "[1]", "/"));
            cases.add(arguments(endpoint, "\"features\"", "/"));
            cases.add(arguments(endpoint, "{", "/"));
            cases.add(arguments(endpoint, "{} {}", "/"));
            cases.add(arguments(endpoint, "{\"unknown\":1}", "/unknown"));
        }
        String seeds = "\"seedSubscriberIds\":[\"a\"],";
        cases.add(arguments(LOOKALIKES, "{" + seeds + "\"targetSize\":10.5}", "/targetSize"));
        cases.add(arguments(LOOKALIKES, "{" + seeds + "\"targetSize\":\"10\"}", "/targetSize"));
        cases.add(arguments(LOOKALIKES, "{" + seeds + "\"targetSize\":1e400}", "/targetSize"));
        cases.add(arguments(LOOKALIKES, "{" + seeds + "\"targetSize\":99999999999}", "/targetSize"));
        cases.add(arguments(LOOKALIKES, "{" + seeds + "\"targetSize\":true}", "/targetSize"));
        cases.add(arguments(LOOKALIKES, "{" + seeds + "\"targetSize\":10,\"seed\":1.5}", "/seed"));
        cases.add(arguments(LOOKALIKES, "{" + seeds + "\"targetSize\":10,\"seed\":1e400}", "/seed"));
        cases.add(arguments(LOOKALIKES, "{" + seeds + "\"targetSize\":10,\"targetsize\":5}", "/targetsize"));
        cases.add(arguments(LOOKALIKES, "{" + seeds + "\"targetSize\":10,\"targetSize\":11}", "/"));
        cases.add(arguments(LOOKALIKES, "{\"seedSubscriberIds\":[\"a\",5],\"targetSize\":10}", "/seedSubscriberIds/1"));
        cases.add(arguments(LOOKALIKES, "{\"seedSubscriberIds\":\"a\",\"targetSize\":10}", "/seedSubscriberIds"));
        cases.add(arguments(LOOKALIKES, "{\"seedSegmentId\":7,\"targetSize\":10}", "/seedSegmentId"));
        cases.add(arguments(LOOKALIKES, "", "/targetSize"));
        cases.add(arguments(BEST_HOURS, "{\"segmentId\":5}", "/segmentId"));
        cases.add(arguments(BEST_HOURS, "{\"segmentId\":1e400}", "/segmentId"));
        cases.add(arguments(BEST_HOURS, "{\"subscriberIds\":[null]}", "/subscriberIds/0"));
        cases.add(arguments(BEST_HOURS, "{\"subscriberIds\":{\"a\":1}}", "/subscriberIds"));
        cases.add(arguments(BEST_HOURS, "{\"segmentId\":\"s\",\"segmentId\":\"t\"}", "/"));
        cases.add(arguments(BEST_HOURS, "{\"segmentId\":\"s\",\"limit\":3}", "/limit"));
        cases.add(arguments(BEST_HOURS, "", "/segmentId"));
        cases.add(arguments(SCORE, "{\"features\":{\"orders_90d\":1e400}}", "/features/orders_90d"));
        cases.add(arguments(SCORE, "{\"features\":{\"orders_90d\":-1e400}}", "/features/orders_90d"));
        cases.add(arguments(SCORE, "{\"features\":{\"orders_90d\":\"3\"}}", "/features/orders_90d"));
        cases.add(arguments(SCORE, "{\"features\":{\"no_such\":1}}", "/features/no_such"));
        cases.add(arguments(SCORE, "{\"features\":[1]}", "/features"));
        cases.add(arguments(SCORE, "{\"features\":{\"orders_90d\":1,\"orders_90d\":2}}", "/"));
        cases.add(arguments(SCORE, "{\"features\":{},\"version\":1}", "/version"));
        cases.add(arguments(SCORE, "", "/features"));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} -> 400 at {2}")
    @MethodSource("badBodies")
    void aBadBodyIsA400NamingItsPointer(String endpoint, String body, String pointer) {
        given().contentType("application/json").body(body.getBytes(StandardCharsets.UTF_8)).post(endpoint)
                .then().statusCode(400).contentType(startsWith("application/problem+json"))
                .body("status", equalTo(400)).body("errors.pointer", hasItem(pointer));
    }

    @ParameterizedTest
    @ValueSource(strings = {LOOKALIKES, BEST_HOURS, SCORE})
    void aBodyThatIsNotUtf8IsA400(String endpoint) {
        // {"segmentId":"<0xff>"}: a String body would have turned it into U+FFFD and gone on
        byte[] latin1 = "{\"segmentId\":\"\u00ff\"}".getBytes(StandardCharsets.ISO_8859_1);
        given().contentType("application/json").body(latin1).post(endpoint)
                .then().statusCode(400).contentType(startsWith("application/problem+json"))
                .body("errors.pointer", hasItem("/"));
    }

    @ParameterizedTest
    @ValueSource(strings = {LOOKALIKES, BEST_HOURS, SCORE})
    void aBodyThatIsNotJsonIsA415(String endpoint) {
        for (String type : List.of("text/xml", "text/plain", "application/x-www-form-urlencoded")) {
            given().contentType(type).body("targetSize=10").post(endpoint)
                    .then().statusCode(415).contentType(startsWith("application/problem+json"))
                    .body("status", equalTo(415));
        }
    }
}
