package io.cohort.model.api;

import io.cohort.model.domain.ModelFamilies;
import io.cohort.model.domain.propensity.PropensityFamilies;
import io.cohort.model.persistence.ModelRegistry;
import io.cohort.model.persistence.TrainingJobRepository.Job;
import io.cohort.support.schedule.ScheduledRunClaims;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Scheduled retraining ({@code cohort.model.retrain.cron}, default Mondays 03:00 UTC; {@code off}
 * disables it). Every family that already has a version gets a training job that registers a
 * <em>candidate</em> and activates it only if it beats the active version:
 * <ul>
 *   <li>propensity/churn families: on their time-based holdout (AUC, then log loss);</li>
 *   <li>{@code clustering.behavioural}, {@code clv.btyd}, {@code sendtime} (trained on the current
 *       snapshots with the active version's settings): on those same rows, by silhouette or
 *       log-likelihood ({@link io.cohort.model.domain.retrain.RetrainComparison}); skipped when the
 *       family has versions but none is active, as there is nothing to beat.</li>
 * </ul>
 */
@ApplicationScoped
public class RetrainScheduler {

    private static final Logger LOG = Logger.getLogger(RetrainScheduler.class);
    /** The snapshot-trained families, in the order they are retrained. */
    static final List<String> SNAPSHOT_FAMILIES = List.of(ModelFamilies.CLUSTERING_BEHAVIOURAL,
            ModelFamilies.CLV_BTYD, ModelFamilies.SENDTIME);

    static final String JOB = "model-retrain";

    private final PropensityJobs jobs;
    private final TrainingService training;
    private final ModelRegistry registry;
    private final ScheduledRunClaims claims;
    private final Clock clock;

    public RetrainScheduler(PropensityJobs jobs, TrainingService training, ModelRegistry registry, DataSource dataSource,
            Clock clock, @ConfigProperty(name = "cohort.kafka.group-instance-id") Optional<String> podName) {
        this.jobs = jobs;
        this.training = training;
        this.registry = registry;
        this.clock = clock;
        // the pod name where k8s sets it, else a process id: only shown to operators in scheduled_run
        this.claims = new ScheduledRunClaims(dataSource, podName.orElse("process-" + ProcessHandle.current().pid()));
    }

    @Scheduled(cron = "{cohort.model.retrain.cron}", timeZone = "UTC", identity = JOB)
    void scheduled(ScheduledExecution execution) {
        retrainOnce(execution.getScheduledFireTime());
    }

    /**
     * Every replica's scheduler fires at the cron time; only the one that claims the fire time
     * retrains, so N replicas train once. Returns the jobs submitted here (empty where another
     * replica has the slot).
     */
    public Optional<List<Job>> retrainOnce(Instant fireTime) {
        if (!claims.claim(JOB, fireTime.truncatedTo(ChronoUnit.SECONDS), clock.instant())) {
            LOG.infof("scheduled retrain of %s already claimed by another replica", fireTime);
            return Optional.empty();
        }
        return Optional.of(retrain());
    }

    /** Submits one job per family due for a retrain and returns them (jobs run one at a time, in this order). */
    public List<Job> retrain() {
        List<Job> submitted = new ArrayList<>();
        for (String family : PropensityFamilies.ALL.keySet().stream().sorted().toList()) {
            if (registry.count(family) > 0) {
                Job job = jobs.submit(family, null);
                LOG.infof("scheduled retrain of %s: job %s", family, job.id());
                submitted.add(job);
            }
        }
        for (String family : SNAPSHOT_FAMILIES) {
            if (registry.activeVersion(family).isPresent()) {
                Job job = jobs.submitTraining(family, Map.of("scheduled", true), () -> {
                    TrainingService.Retrain retrain = training.retrainCandidate(family);
                    return new PropensityJobs.Done(retrain.version(), retrain.stage());
                });
                LOG.infof("scheduled retrain of %s: job %s", family, job.id());
                submitted.add(job);
            }
        }
        return submitted;
    }
}
