package io.cohort.model.api;

import io.cohort.model.domain.ModelFamilies;
import io.cohort.model.domain.propensity.PropensityFamilies;
import io.cohort.model.persistence.ModelRegistry;
import io.cohort.model.persistence.TrainingJobRepository.Job;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    private final PropensityJobs jobs;
    private final TrainingService training;
    private final ModelRegistry registry;

    public RetrainScheduler(PropensityJobs jobs, TrainingService training, ModelRegistry registry) {
        this.jobs = jobs;
        this.training = training;
        this.registry = registry;
    }

    @Scheduled(cron = "{cohort.model.retrain.cron}", timeZone = "UTC", identity = "model-retrain")
    void scheduled() {
        retrain();
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
