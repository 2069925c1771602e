package io.cohort.model.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cohort.devstack.DevStackTestResource;
import io.cohort.model.TestDatabase;
import io.cohort.model.domain.ModelFamilies;
import io.cohort.model.persistence.TrainingJobRepository;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Jobs left unfinished by a stopped process are failed; jobs of live processes are not. */
@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
class JobRecoveryTest {

    @Inject
    TestDatabase db;
    @Inject
    JobRecovery recovery;
    @Inject
    TrainingJobRepository jobs;

    @Test
    void unfinishedJobsOfAStoppedProcessFailAsInterruptedByRestart() {
        Instant now = Instant.now();
        Instant longAgo = now.minus(Duration.ofMinutes(10));
        UUID running = UUID.randomUUID();
        UUID queued = UUID.randomUUID();
        UUID beforeOwners = UUID.randomUUID();
        UUID liveReplica = UUID.randomUUID();
        UUID finished = UUID.randomUUID();
        String family = ModelFamilies.PROPENSITY_CLICKED_7D;
        db.insertJob(running, family, TrainingJobRepository.RUNNING, "stopped-process", longAgo, longAgo);
        db.insertJob(queued, family, TrainingJobRepository.QUEUED, "stopped-process", longAgo, longAgo);
        db.insertJob(beforeOwners, family, TrainingJobRepository.RUNNING, null, null, longAgo);
        db.insertJob(liveReplica, family, TrainingJobRepository.RUNNING, "live-replica", now, longAgo);
        db.insertJob(finished, family, TrainingJobRepository.SUCCEEDED, "stopped-process", longAgo, longAgo);
        try {
            assertTrue(recovery.failInterrupted() >= 3);
            for (UUID id : List.of(running, queued, beforeOwners)) {
                given().get("/v1/jobs/" + id).then().statusCode(200)
                        .body("state", equalTo("failed"))
                        .body("error", equalTo("interrupted by restart"));
            }
            given().get("/v1/jobs/" + liveReplica).then().statusCode(200)
                    .body("state", equalTo("running")).body("error", nullValue());
            given().get("/v1/jobs/" + finished).then().statusCode(200)
                    .body("state", equalTo("succeeded")).body("error", nullValue());
        } finally {
            db.deleteJobs(List.of(running, queued, beforeOwners, liveReplica, finished));
        }
    }

    @Test
    void thisProcessesOwnJobsAreAliveHowEverOldTheirHeartbeat() {
        UUID own = UUID.randomUUID();
        Instant longAgo = Instant.now().minus(Duration.ofHours(1));
        db.insertJob(own, ModelFamilies.CHURN_90D, TrainingJobRepository.RUNNING, jobs.owner(), longAgo, longAgo);
        try {
            recovery.failInterrupted();
            given().get("/v1/jobs/" + own).then().statusCode(200).body("state", equalTo("running"));
        } finally {
            db.deleteJobs(List.of(own));
        }
    }
}
