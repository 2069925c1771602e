package io.cohort.ingest.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.contracts.Topics;
import io.cohort.devstack.DevStack;
import io.cohort.devstack.DevStackTestResource;
import io.cohort.devstack.TopicRecords;
import io.cohort.ingest.persistence.ImportJobRepository;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** CSV imports: malformed files report line numbers and lose no good row; jobs resume from committed progress. */
@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
class ImportTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static TopicRecords events;

    @Inject
    ImportJobRepository jobs;
    @Inject
    ImportChunks chunks;
    @Inject
    ImportProcessor processor;

    @BeforeAll
    static void readEvents() {
        events = new TopicRecords(DevStack.shared().kafkaBootstrapServers(), Topics.EVENTS);
    }

    @AfterAll
    static void close() {
        events.close();
    }

    private static String upload(String kind, String csv) {
        return given().contentType("text/csv").body(csv.getBytes(StandardCharsets.UTF_8))
                .post("/v1/imports?kind=" + kind).then().statusCode(202)
                .body("status", equalTo("queued")).extract().path("id");
    }

    private static JsonPath completed(String id) {
        return await().atMost(Duration.ofSeconds(60)).until(
                () -> given().get("/v1/imports/" + id).then().statusCode(200).extract().jsonPath(),
                status -> "completed".equals(status.getString("status")) || "failed".equals(status.getString("status")));
    }

    private static JsonNode only(String key) throws Exception {
        var records = await().atMost(Duration.ofSeconds(30)).until(() -> events.pollKey(key), r -> !r.isEmpty());
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> events.pollKey(key).size() == 1);
        return JSON.readTree(records.get(0).value());
    }

    @Test
    void aMalformedCsvReportsLineNumbersAndEveryGoodRowIsPublished() throws Exception {
        String p = "csv-" + UUID.randomUUID() + "-";
        String csv = String.join("\n",
                "userId,event,timestamp,properties.revenue,properties.note",              // 1
                p + "1,Order Completed,2024-05-01T10:00:00Z,12.5,first",                   // 2 good
                p + "2,\"Order\"Completed,2024-05-01T10:00:00Z,1,bad quotes",              // 3 stray quote
                p + "3,Product Viewed,2024-05-01T10:00:00Z,,note,extra",                   // 4 six columns
                p + "4,Product Viewed",                                                    // 5 two columns
                p + "5,Product Viewed,01/05/2024,,bad date",                               // 6 bad date
                p + "6,Product Viewed,2024-05-01T10:00:00Z,,\"spans",                      // 7 good, quoted
                "two lines\"",                                                             // 8   value on 2 lines
                p + "7,Order Completed,2024-05-01T10:00:00Z,twelve,revenue not a number",  // 9
                p + "8,Product Viewed,\"2024-05-01T10:00:00Z,,never closed",               // 10 unterminated
                p + "9,Product Viewed,2024-05-01T11:00:00Z,,last") + "\n";                 // 11 good
        JsonPath status = completed(upload("events", csv));
        assertEquals("completed", status.getString("status"), status.prettify());
        assertEquals(9, status.getInt("rowsRead"));
        assertEquals(3, status.getInt("accepted"));
        assertEquals(6, status.getInt("rejected"));
        assertEquals(List.of(3, 4, 5, 6, 9, 10), status.getList("errors.line", Integer.class));
        assertTrue(status.getString("errors[3].message").contains("/timestamp"), status.prettify());
        assertTrue(status.getString("errors[4].message").contains("/properties/revenue"), status.prettify());

        assertEquals(12.5, only(p + "1").path("properties").path("revenue").asDouble());
        assertEquals("spans\ntwo lines", only(p + "6").path("properties").path("note").asText());
        assertEquals("2024-05-01T11:00:00Z", only(p + "9").path("timestamp").asText());
        for (int refused : new int[] {2, 3, 4, 5, 7, 8}) {
            assertTrue(events.pollKey(p + refused).isEmpty(), "row of " + refused + " must not be published");
        }
    }

    @Test
    void subscribersBecomeIdentifyCallsWithTraitsAndConsent() throws Exception {
        String s = "sub-" + UUID.randomUUID();
        String id = upload("subscribers", "\uFEFFuserId,plan,traits.city,consent.email,timestamp\n"
                + s + ",gold,Lyon,revoked,2024-05-01T10:00:00Z\n");
        JsonPath status = completed(id);
        assertEquals(1, status.getInt("accepted"), status.prettify());
        var records = await().atMost(Duration.ofSeconds(30)).until(() -> events.pollKey(s), r -> r.size() == 2);
        JsonNode identify = JSON.readTree(records.get(0).value());
        assertEquals("identify", identify.path("type").asText());
        assertEquals("Lyon", identify.path("traits").path("city").asText());
        JsonNode consent = JSON.readTree(records.get(1).value());
        assertEquals("Consent Updated", consent.path("event").asText());
        assertEquals(false, consent.path("properties").path("granted").asBoolean(true));
    }

    @Test
    void aLargeFileStreamsPastTheTrackingBodyLimitInManyChunks() {
        String p = "big-" + UUID.randomUUID() + "-";
        StringBuilder csv = new StringBuilder("userId,event,timestamp,properties.product_id,properties.price\n");
        int rows = 12_000;
        for (int i = 0; i < rows; i++) {
            csv.append(p).append(i % 500).append(",Product Viewed,2024-05-01T10:00:00Z,sku-").append(i).append(",19.99\n");
        }
        assertTrue(csv.length() > 500 * 1024, "larger than the 500 KB tracking limit");
        JsonPath status = completed(upload("events", csv.toString()));
        assertEquals("completed", status.getString("status"), status.prettify());
        assertEquals(rows, status.getInt("accepted"));
        assertEquals(0, status.getInt("rejected"));
    }

    @Test
    void aJobResumesAfterItsLastCommittedChunk() throws Exception {
        String p = "resume-" + UUID.randomUUID() + "-";
        String header = "userId,event\n";
        String done = p + "1,Product Viewed\n" + p + "2,Product Viewed\n";
        String rest = p + "3,Product Viewed\n" + p + "4,Product Viewed\n";
        UUID id = UUID.randomUUID();
        Path file = Path.of("target", "imports", id + ".csv").toAbsolutePath();
        Files.createDirectories(file.getParent());
        Files.writeString(file, header + done + rest, StandardCharsets.UTF_8);
        // what a service that stopped after committing the first two rows left behind
        jobs.create(id, "events", file.toString(), Files.size(file), Instant.now());
        jobs.header(id, "[\"userId\",\"event\"]", header.length() - 1, 1, Instant.now());
        chunks.commit(id, List.of(), header.length() + done.length() - 1, 3, 2, 2, 0, "[]");

        processor.run(id);

        JsonPath status = given().get("/v1/imports/" + id).then().statusCode(200).extract().jsonPath();
        assertEquals("completed", status.getString("status"));
        assertEquals(4, status.getInt("rowsRead"));
        assertEquals(4, status.getInt("accepted"));
        assertEquals(List.of(), status.getList("errors"));
        await().atMost(Duration.ofSeconds(30)).until(() -> events.pollKey(p + "4").size() == 1);
        assertEquals(1, events.pollKey(p + "3").size());
        assertTrue(events.pollKey(p + "1").isEmpty() && events.pollKey(p + "2").isEmpty(), "committed rows not again");
        assertTrue(Files.notExists(file), "the file goes once the job completed");
    }

    /** A job with its file written and its header committed, as an upload leaves it; returns its id. */
    private UUID stagedJob(String prefix, boolean writeFile) throws Exception {
        String header = "userId,event\n";
        String body = prefix + "1,Product Viewed\n" + prefix + "2,Product Viewed\n";
        UUID id = UUID.randomUUID();
        Path file = Path.of("target", "imports", id + ".csv").toAbsolutePath();
        Files.createDirectories(file.getParent());
        if (writeFile) {
            Files.writeString(file, header + body, StandardCharsets.UTF_8);
        }
        jobs.create(id, "events", file.toString(), (header + body).length(), Instant.now());
        return id;
    }

    @Test
    void aJobAnotherLiveReplicaRunsIsLeftAloneAndAStaleOneIsTakenOver() throws Exception {
        String p = "owned-" + UUID.randomUUID() + "-";
        UUID id = stagedJob(p, true);
        // another replica claimed it a moment ago (its heartbeat is fresh)
        assertTrue(jobs.claim(id, "ingest-other-pod", Instant.now(), Instant.now()));
        processor.run(id);
        ImportJobRepository.Job untouched = jobs.find(id).orElseThrow();
        assertEquals("running", untouched.status());
        assertEquals(0, untouched.rowsRead(), "not run twice");
        assertTrue(events.pollKey(p + "1").isEmpty());

        // that replica stopped: its last heartbeat is older than stale-after, so this replica takes over
        assertTrue(jobs.claim(id, "ingest-other-pod", Instant.now().minus(Duration.ofMinutes(10)), Instant.now()));
        processor.run(id);
        assertEquals("completed", jobs.find(id).orElseThrow().status());
        assertEquals("Product Viewed", only(p + "1").path("event").asText(), "each row published once, by the new owner");
        assertEquals("Product Viewed", only(p + "2").path("event").asText());
    }

    @Test
    void aJobWhoseFileIsOnAnotherReplicaIsNotFailedUntilItIsOrphaned() throws Exception {
        UUID id = stagedJob("elsewhere-" + UUID.randomUUID() + "-", false);
        processor.run(id);
        ImportJobRepository.Job waiting = jobs.find(id).orElseThrow();
        assertEquals("queued", waiting.status(), "the replica holding the file will run it");
        assertNull(waiting.failure());

        // nobody made progress for longer than orphan-after (24 h): failed, with the reason
        jobs.status(id, ImportJobRepository.RUNNING, null, Instant.now().minus(Duration.ofHours(25)));
        processor.run(id);
        ImportJobRepository.Job orphaned = jobs.find(id).orElseThrow();
        assertEquals("failed", orphaned.status());
        assertTrue(orphaned.failure().contains("no live replica"), orphaned.failure());
    }

    @Test
    void anUnknownKindAndAnUnknownJobAreProblems() {
        given().contentType("text/csv").body("userId\nu\n").post("/v1/imports?kind=orders").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].pointer", equalTo("/kind"));
        given().get("/v1/imports/" + UUID.randomUUID()).then().statusCode(404).contentType("application/problem+json");
    }
}
