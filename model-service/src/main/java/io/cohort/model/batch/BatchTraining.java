package io.cohort.model.batch;

import io.cohort.model.api.ProblemException;
import io.cohort.model.api.PropensityJobs;
import io.cohort.model.api.TrainingService;
import io.cohort.model.domain.ModelFamilies;
import io.cohort.model.domain.propensity.PropensityFamilies;
import io.cohort.model.persistence.TrainingJobRepository;
import io.cohort.model.persistence.TrainingJobRepository.Job;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Trains families once, in order, following the same rules as the API: clustering, CLV and send time
 * activate directly; the propensity and churn families run their normal job (candidate, activated
 * only when it beats the active version on the holdout), which this waits for. A failing family does
 * not stop the others.
 */
@ApplicationScoped
public class BatchTraining {

    public static final String PROPERTY = "cohort.model.batch.train";
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    private static final Logger LOG = Logger.getLogger(BatchTraining.class);

    private final TrainingService training;
    private final PropensityJobs jobs;
    private final Duration timeout;
    private final Duration poll;

    public BatchTraining(TrainingService training, PropensityJobs jobs,
            @ConfigProperty(name = "cohort.model.batch.timeout", defaultValue = "PT2H") Duration timeout,
            @ConfigProperty(name = "cohort.model.batch.poll", defaultValue = "PT2S") Duration poll) {
        this.training = training;
        this.jobs = jobs;
        this.timeout = timeout;
        this.poll = poll;
    }

    /** @return the process exit code: {@link #OK}, {@link #FAILED} or {@link #USAGE} */
    public int run(List<String> families) {
        List<String> unknown = families.stream().filter(f -> !ModelFamilies.isKnown(f)).toList();
        if (families.isEmpty() || !unknown.isEmpty()) {
            LOG.errorf("batch training: unknown families %s; known are %s", unknown, ModelFamilies.ALL);
            return USAGE;
        }
        LOG.infof("batch training of %s", families);
        int failed = 0;
        for (String family : families) {
            long started = System.nanoTime();
            try {
                int version = train(family);
                LOG.infof("batch training: %s done, version %d (%d s)", family, version,
                        (System.nanoTime() - started) / 1_000_000_000L);
            } catch (ProblemException e) {
                failed++;
                LOG.errorf("batch training: %s failed: %s", family, e.problem().detail());
            } catch (RuntimeException e) {
                failed++;
                LOG.errorf(e, "batch training: %s failed", family);
            }
        }
        LOG.infof("batch training finished: %d of %d families trained", families.size() - failed, families.size());
        return failed == 0 ? OK : FAILED;
    }

    private int train(String family) {
        if (ModelFamilies.CLUSTERING_BEHAVIOURAL.equals(family)) {
            return training.train(family, null).version();
        }
        if (ModelFamilies.SNAPSHOT_FAMILIES.contains(family)) {
            return training.trainOnSnapshots(family, true).stored().version();
        }
        if (PropensityFamilies.find(family).isEmpty()) {
            throw new IllegalStateException("no batch training for " + family);
        }
        return awaitJob(jobs.submit(family, null));
    }

    private int awaitJob(Job submitted) {
        UUID id = submitted.id();
        LOG.infof("batch training: %s job %s submitted", submitted.family(), id);
        Instant deadline = Instant.now().plus(timeout);
        String lastStage = null;
        while (true) {
            Job job = jobs.find(id).orElseThrow(() -> new IllegalStateException("job " + id + " disappeared"));
            if (!Objects.equals(lastStage, job.stage())) {
                LOG.infof("batch training: %s %.0f%% %s", job.family(), 100 * job.progress(), job.stage());
                lastStage = job.stage();
            }
            switch (job.state()) {
                case TrainingJobRepository.SUCCEEDED -> {
                    return job.version();
                }
                case TrainingJobRepository.FAILED -> throw new IllegalStateException("job " + id + ": " + job.error());
                default -> {
                    if (Instant.now().isAfter(deadline)) {
                        throw new IllegalStateException("job " + id + " still " + job.state() + " after " + timeout);
                    }
                    sleep();
                }
            }
        }
    }

    private void sleep() {
        try {
            Thread.sleep(poll.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the training job", e);
        }
    }
}
