package io.cohort.model.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Propensity and churn scores as they were served (published), one row per family, subscriber and
 * UTC day, so their calibration can be checked once the realised outcomes are known.
 */
@ApplicationScoped
public class ServedPredictionRepository {

    private final EntityManager em;

    public ServedPredictionRepository(EntityManager em) {
        this.em = em;
    }

    /** One served score. */
    public record Served(String family, String subscriberId, int modelVersion, double score) {
    }

    /**
     * Keeps the last score served on {@code day} per family and subscriber. Like the published-score
     * row, nothing is written for a subscriber erased meanwhile (no snapshot any more).
     */
    @Transactional
    public void record(LocalDate day, List<Served> all) {
        if (all.isEmpty()) {
            return;
        }
        // one statement cannot write a row twice: the last score per family and subscriber wins
        Map<List<String>, Served> last = new java.util.LinkedHashMap<>();
        all.forEach(s -> last.put(List.of(s.family(), s.subscriberId()), s));
        List<Served> served = List.copyOf(last.values());
        SetStatements.update(em, """
                insert into served_prediction (family, served_on, subscriber_id, model_version, score)
                select t.family, ?, t.id, t.model_version, t.score
                from unnest(?, ?, ?, ?) as t (family, id, model_version, score)
                where exists (select 1 from feature_snapshot where subscriber_id = t.id)
                on conflict (family, served_on, subscriber_id) do update
                    set model_version = excluded.model_version, score = excluded.score""", (c, s) -> {
            s.setObject(1, day);
            s.setArray(2, SetStatements.texts(c, served.stream().map(Served::family).toList()));
            s.setArray(3, SetStatements.texts(c, served.stream().map(Served::subscriberId).toList()));
            s.setArray(4, SetStatements.integers(c, served.stream().map(Served::modelVersion).toList()));
            s.setArray(5, SetStatements.doubles(c, served.stream().map(Served::score).toList()));
        });
    }

    /**
     * Per subscriber, the score of {@code version} that was being served at the start of
     * {@code day}: the last one served on an earlier day.
     */
    @Transactional
    public Map<String, Double> servedBefore(String family, int version, LocalDate day) {
        List<?> rows = em.createNativeQuery("""
                select distinct on (subscriber_id) subscriber_id, score
                from served_prediction
                where family = ?1 and model_version = ?2 and served_on < ?3
                order by subscriber_id, served_on desc""")
                .setParameter(1, family).setParameter(2, version).setParameter(3, day)
                .getResultList();
        Map<String, Double> served = new TreeMap<>();
        for (Object row : rows) {
            Object[] columns = (Object[]) row;
            served.put((String) columns[0], ((Number) columns[1]).doubleValue());
        }
        return served;
    }
}
