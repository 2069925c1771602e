package io.cohort.model.api;

import io.cohort.model.domain.propensity.PropensityFamilies;
import io.cohort.model.persistence.ModelRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Scheduled retraining ({@code cohort.model.retrain.cron}, default Mondays 03:00 UTC; {@code off}
 * disables it): every propensity/churn family that already has a version gets a training job, which
 * registers a candidate and activates it only if it beats the active version on its holdout.
 */
@ApplicationScoped
public class RetrainScheduler {

    private static final Logger LOG = Logger.getLogger(RetrainScheduler.class);

    private final PropensityJobs jobs;
    private final ModelRegistry registry;

    public RetrainScheduler(PropensityJobs jobs, ModelRegistry registry) {
        this.jobs = jobs;
        this.registry = registry;
    }

    @Scheduled(cron = "{cohort.model.retrain.cron}", timeZone = "UTC", identity = "model-retrain")
    void retrain() {
        for (String family : PropensityFamilies.ALL.keySet().stream().sorted().toList()) {
            if (registry.count(family) > 0) {
                var job = jobs.submit(family, null);
                LOG.infof("scheduled retrain of %s: job %s", family, job.id());
            }
        }
    }
}
