package io.cohort.feature.streaming;

import io.cohort.feature.application.FeatureEngine;
import io.cohort.feature.domain.Rfm;
import io.cohort.feature.persistence.RfmRepository;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

/**
 * The RFM boundaries for the stream threads, off the hot path: re-read from PostgreSQL (where the
 * sweep recomputes them from the history) every {@code cohort.feature.streams.rfm-refresh} and kept
 * in memory; a stream thread only reads the field. New boundaries start a rescan in every task.
 */
@ApplicationScoped
public class StreamsRfm {

    private static final Logger LOG = Logger.getLogger(StreamsRfm.class);

    private final RfmRepository repository;
    private final FeatureEngine engine;
    private volatile Rfm.Boundaries current;

    public StreamsRfm(RfmRepository repository, FeatureEngine engine) {
        this.repository = repository;
        this.engine = engine;
    }

    public Rfm.Boundaries current() {
        return current;
    }

    /** Before the first vectors if it can: the stream threads start with the stored boundaries. */
    void onStart(@Observes StartupEvent start) {
        scheduled();
    }

    @Scheduled(identity = "streams-rfm", every = "${cohort.feature.streams.rfm-refresh:1m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (!engine.streams()) {
            return;
        }
        try {
            refresh();
        } catch (RuntimeException e) {
            // the previous boundaries stay in force until the next read succeeds
            LOG.warnf("RFM boundaries not re-read (%s)", e.getClass().getSimpleName());
        }
    }

    @Transactional
    public void refresh() {
        current = repository.load().orElse(null);
    }
}
