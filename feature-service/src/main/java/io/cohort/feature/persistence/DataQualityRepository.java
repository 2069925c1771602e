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

/**
 * Data-quality counters in the shared {@code data_quality} table, added in the same transaction as
 * the events they count (one statement per poll): a crash loses no count, and a poll that rolls back
 * counts nothing (its redelivery is counted when applied). Each counter has one row per shard, the Kafka partition the poll
 * came from: a partition has one consumer at a time, so replicas never wait for each other's rows.
 */
@ApplicationScoped
public class DataQualityRepository {

    private final EntityManager em;
    private final Clock clock;

    public DataQualityRepository(EntityManager em, Clock clock) {
        this.em = em;
        this.clock = clock;
    }

    /** Adds the counts to the shard's rows; call inside the transaction that applies the counted events. */
    public void add(int shard, Map<String, Long> deltas) {
        List<String> metrics = deltas.entrySet().stream().filter(e -> e.getValue() != 0).map(Map.Entry::getKey)
                .sorted().toList();
        if (metrics.isEmpty()) {
            return;
        }
        Jdbc.update(em, """
                insert into data_quality (metric, shard, value)
                select t.metric, ?, t.value from unnest(?, ?) as t (metric, value)
                on conflict (metric, shard) do update set value = data_quality.value + excluded.value
                """, (c, s) -> {
            s.setInt(1, shard);
            s.setArray(2, Jdbc.texts(c, metrics));
            s.setArray(3, Jdbc.longs(c, metrics.stream().map(deltas::get).toList()));
        });
    }

    /** Reports the shared counters (summed over shards) and the profile counts. */
    @Transactional
    public DataQuality.Report report() {
        Map<String, Long> counters = new LinkedHashMap<>();
        DataQuality.COUNTERS.forEach(name -> counters.put(name, 0L));
        List<?> rows = em.createNativeQuery("select metric, sum(value) from data_quality group by metric").getResultList();
        for (Object row : rows) {
            Object[] c = (Object[]) row;
            counters.put((String) c[0], ((Number) c[1]).longValue());
        }
        Object[] profiles = (Object[]) em.createNativeQuery("""
                select count(*), count(*) filter (where coalesce(last_active_at, first_seen) < ?1) from subscriber
                """)
                .setParameter(1, clock.instant().minus(Duration.ofDays(DataQuality.INACTIVE_DAYS)))
                .getSingleResult();
        return new DataQuality.Report(counters, ((Number) profiles[0]).longValue(),
                ((Number) profiles[1]).longValue(), DataQuality.machineOpenShare(counters));
    }
}
