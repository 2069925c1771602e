package io.cohort.feature.persistence;

import io.cohort.feature.domain.DataQuality;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Data-quality counters: counted in memory as events are consumed and added to the shared
 * {@code data_quality} table by {@link #flush} (scheduled), so consuming never contends on a hot row.
 * Counts of a replica that dies before its flush are lost (at most one flush interval).
 */
@ApplicationScoped
public class DataQualityRepository {

    private final EntityManager em;
    private final Clock clock;
    private final Map<String, LongAdder> pending = new ConcurrentHashMap<>();

    public DataQualityRepository(EntityManager em, Clock clock) {
        this.em = em;
        this.clock = clock;
    }

    public void add(Map<String, Long> deltas) {
        deltas.forEach((metric, delta) -> pending.computeIfAbsent(metric, m -> new LongAdder()).add(delta));
    }

    /** Moves the pending counts into the table. */
    @Transactional
    public void flush() {
        for (Map.Entry<String, LongAdder> entry : pending.entrySet()) {
            long delta = entry.getValue().sumThenReset();
            if (delta != 0) {
                em.createNativeQuery("""
                        insert into data_quality (metric, value) values (?1, ?2)
                        on conflict (metric) do update set value = data_quality.value + excluded.value
                        """)
                        .setParameter(1, entry.getKey()).setParameter(2, delta).executeUpdate();
            }
        }
    }

    /** Flushes, then reports the shared counters and the profile counts. */
    @Transactional
    public DataQuality.Report report() {
        flush();
        Map<String, Long> counters = new LinkedHashMap<>();
        DataQuality.COUNTERS.forEach(name -> counters.put(name, 0L));
        List<?> rows = em.createNativeQuery("select metric, value from data_quality").getResultList();
        for (Object row : rows) {
            Object[] c = (Object[]) row;
            counters.put((String) c[0], ((Number) c[1]).longValue());
        }
        Object[] profiles = (Object[]) em.createNativeQuery("""
                select count(*), count(*) filter (where last_seen < ?1) from subscriber
                """)
                .setParameter(1, clock.instant().minus(Duration.ofDays(DataQuality.INACTIVE_DAYS)))
                .getSingleResult();
        return new DataQuality.Report(counters, ((Number) profiles[0]).longValue(),
                ((Number) profiles[1]).longValue(), DataQuality.machineOpenShare(counters));
    }
}
