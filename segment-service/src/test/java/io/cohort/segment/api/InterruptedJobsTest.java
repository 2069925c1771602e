package io.cohort.segment.api;

import static io.cohort.segment.api.SegmentFixtures.create;
import static io.cohort.segment.api.SegmentFixtures.ruleBody;
import static io.cohort.segment.api.SegmentFixtures.sendFeatures;
import static io.cohort.segment.api.SegmentFixtures.uniqueNumber;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cohort.devstack.DevStackTestResource;
import io.cohort.segment.messaging.BackfillRunner;
import io.cohort.segment.persistence.Jdbc;
import io.cohort.segment.persistence.JobRepository;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Jobs left {@code running} by a process that died are taken over: an asynchronous backfill resumes
 * after its last committed page (not from the start), a job whose owner is alive is left alone.
 */
@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
class InterruptedJobsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    Jdbc jdbc;

    @Inject
    BackfillRunner backfills;

    @Test
    void anInterruptedBackfillResumesFromItsPersistedProgress() {
        int marker = uniqueNumber();
        String prefix = "resume-" + marker + "-";
        List<String> subscribers = List.of(prefix + "a", prefix + "b", prefix + "c", prefix + "d");
        String segment = create(ruleBody("resume-" + marker, 2, marker, null));
        for (String subscriber : subscribers) {
            sendFeatures(subscriber, 1, Map.of("emails_opened_30d", 5.0, "orders_90d", (double) marker));
        }
        await().atMost(WAIT).until(() -> members(segment).equals(subscribers));

        // what a dead process left: the memberships not yet computed, its job at page "…b" of 4
        UUID segmentId = UUID.fromString(segment);
        jdbc.update("delete from membership where segment_id = ?", s -> s.setObject(1, segmentId));
        UUID dead = UUID.randomUUID();
        insertJob(dead, segmentId, "dead-process", "1 hour", prefix + "b");
        UUID alive = UUID.randomUUID();
        insertJob(alive, segmentId, "live-process", "0 seconds", "");

        backfills.resumeInterrupted();

        await().atMost(WAIT).until(() -> "completed".equals(status(dead)));
        // resumed after "…b": the views up to it count as done, only c and d were evaluated (and entered)
        assertEquals(List.of(prefix + "c", prefix + "d"), members(segment));
        assertEquals(JobRepository.OWNER, owner(dead));
        given().get("/v1/jobs/" + dead).then().statusCode(200);
        assertEquals(2L, jdbc.query("select entered from segment_job where id = ?", s -> s.setObject(1, dead),
                row -> row.getLong(1)).get(0));
        // the job of a live owner is not touched
        assertEquals("running", status(alive));
        assertEquals("live-process", owner(alive));
        jdbc.update("update segment_job set status = 'failed' where id = ?", s -> s.setObject(1, alive));
    }

    @Test
    void anInterruptedSweepIsMarkedFailed() {
        UUID sweep = UUID.randomUUID();
        jdbc.update("insert into segment_job (id, kind, status, total, started_at, owner, heartbeat_at) "
                + "values (?, 'sweep', 'running', 10, now() - interval '1 hour', 'dead-process', "
                + "now() - interval '1 hour')", s -> s.setObject(1, sweep));
        backfills.resumeInterrupted();
        await().atMost(WAIT).until(() -> "failed".equals(status(sweep)));
    }

    private void insertJob(UUID id, UUID segment, String owner, String silentFor, String resumeAfter) {
        jdbc.update("insert into segment_job (id, kind, segment_id, segment_version, status, total, started_at, owner, "
                + "heartbeat_at, resume_after) values (?, 'backfill', ?, 1, 'running', 4, now(), ?, "
                + "now() - cast(? as interval), ?)", s -> {
                    s.setObject(1, id);
                    s.setObject(2, segment);
                    s.setString(3, owner);
                    s.setString(4, silentFor);
                    s.setString(5, resumeAfter);
                });
    }

    private String status(UUID job) {
        return jdbc.query("select status from segment_job where id = ?", s -> s.setObject(1, job),
                row -> row.getString(1)).get(0);
    }

    private String owner(UUID job) {
        return jdbc.query("select owner from segment_job where id = ?", s -> s.setObject(1, job),
                row -> row.getString(1)).get(0);
    }

    private List<String> members(String segment) {
        return jdbc.query("select subscriber_id from membership where segment_id = ? order by subscriber_id",
                s -> s.setObject(1, UUID.fromString(segment)), row -> row.getString(1));
    }
}
