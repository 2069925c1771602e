package io.cohort.feature.messaging;

import io.cohort.feature.domain.DataQuality;
import io.cohort.feature.persistence.DataQualityRepository;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Reads the data-quality report every {@code cohort.feature.data-quality.every} (10s) and
 * exports the report as gauges: {@code cohort.feature.data.quality{metric=...}} for every counter,
 * {@code profiles}, {@code profiles_inactive_180d} and {@code machine_open_share}.
 */
@ApplicationScoped
public class DataQualityMetrics {

    private static final Logger LOG = Logger.getLogger(DataQualityMetrics.class);

    private final DataQualityRepository quality;
    private final AtomicReference<DataQuality.Report> last = new AtomicReference<>();

    public DataQualityMetrics(DataQualityRepository quality, MeterRegistry registry) {
        this.quality = quality;
        for (String counter : DataQuality.COUNTERS) {
            Gauge.builder("cohort.feature.data.quality", last,
                    r -> r.get() == null ? 0 : r.get().counters().getOrDefault(counter, 0L))
                    .tag("metric", counter).register(registry);
        }
        Gauge.builder("cohort.feature.data.quality", last, r -> r.get() == null ? 0 : r.get().profiles())
                .tag("metric", "profiles").register(registry);
        Gauge.builder("cohort.feature.data.quality", last,
                r -> r.get() == null ? 0 : r.get().profilesInactive180d())
                .tag("metric", "profiles_inactive_180d").register(registry);
        Gauge.builder("cohort.feature.data.quality", last, r -> r.get() == null ? 0 : r.get().machineOpenShare())
                .tag("metric", "machine_open_share").register(registry);
    }

    @Scheduled(identity = "data-quality", every = "${cohort.feature.data-quality.every:10s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            last.set(quality.report());
        } catch (RuntimeException e) {
            LOG.warnf("data-quality refresh failed (%s)", e.getClass().getSimpleName());
        }
    }
}
