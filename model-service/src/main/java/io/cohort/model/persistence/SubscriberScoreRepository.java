package io.cohort.model.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The last published score per subscriber, so unchanged assignments are not published again. */
@ApplicationScoped
public class SubscriberScoreRepository {

    private static final TypeReference<Map<String, Double>> SCORES = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Integer>> VERSIONS = new TypeReference<>() {
    };

    private final EntityManager em;
    private final ObjectMapper json;

    public SubscriberScoreRepository(EntityManager em, ObjectMapper json) {
        this.em = em;
        this.json = json;
    }

    @Transactional
    public Map<String, PublishedScore> find(Collection<String> subscriberIds) {
        if (subscriberIds.isEmpty()) {
            return Map.of();
        }
        List<?> rows = em.createNativeQuery("""
                select subscriber_id, feature_version, model_version, cluster_id, published_at,
                    scores::text, model_versions::text
                from subscriber_score where subscriber_id in (:ids)""")
                .setParameter("ids", subscriberIds)
                .getResultList();
        return rows.stream().map(row -> score((Object[]) row))
                .collect(Collectors.toMap(PublishedScore::subscriberId, Function.identity()));
    }

    public Optional<PublishedScore> find(String subscriberId) {
        return Optional.ofNullable(find(List.of(subscriberId)).get(subscriberId));
    }

    /**
     * Remembers published scores, all rows with one statement. A subscriber erased since it was
     * scored gets no row back: the row is written only while the subscriber's snapshot exists.
     */
    @Transactional
    public void record(List<PublishedScore> published) {
        if (published.isEmpty()) {
            return;
        }
        // one statement cannot write a row twice: the last score per subscriber wins
        Map<String, PublishedScore> last = new java.util.LinkedHashMap<>();
        published.forEach(score -> last.put(score.subscriberId(), score));
        List<PublishedScore> scores = List.copyOf(last.values());
        SetStatements.update(em, """
                insert into subscriber_score (subscriber_id, feature_version, model_version, cluster_id, published_at,
                    scores, model_versions)
                select t.id, t.feature_version, t.model_version, t.cluster_id, t.published_at,
                    cast(t.scores as jsonb), cast(t.model_versions as jsonb)
                from unnest(?, ?, ?, ?, ?, ?, ?)
                    as t (id, feature_version, model_version, cluster_id, published_at, scores, model_versions)
                where exists (select 1 from feature_snapshot where subscriber_id = t.id)
                on conflict (subscriber_id) do update
                    set feature_version = excluded.feature_version, model_version = excluded.model_version,
                        cluster_id = excluded.cluster_id, published_at = excluded.published_at,
                        scores = excluded.scores, model_versions = excluded.model_versions""", (c, s) -> {
            s.setArray(1, SetStatements.texts(c, scores.stream().map(PublishedScore::subscriberId).toList()));
            s.setArray(2, SetStatements.bigints(c, scores.stream().map(PublishedScore::featureVersion).toList()));
            s.setArray(3, SetStatements.integers(c, scores.stream().map(PublishedScore::modelVersion).toList()));
            s.setArray(4, SetStatements.integers(c, scores.stream().map(PublishedScore::clusterId).toList()));
            s.setArray(5, c.createArrayOf("timestamptz", scores.stream()
                    .map(score -> SetStatements.timestamptz(score.publishedAt())).toArray()));
            s.setArray(6, SetStatements.texts(c, scores.stream().map(score -> write(score.scores())).toList()));
            s.setArray(7, SetStatements.texts(c, scores.stream().map(score -> write(score.modelVersions())).toList()));
        });
    }

    private PublishedScore score(Object[] row) {
        return new PublishedScore((String) row[0], ((Number) row[1]).longValue(),
                row[2] == null ? null : ((Number) row[2]).intValue(),
                row[3] == null ? null : ((Number) row[3]).intValue(), Timestamps.instant(row[4]),
                row[5] == null ? Map.of() : read((String) row[5], SCORES),
                row[6] == null ? Map.of() : read((String) row[6], VERSIONS));
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T read(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored scores are not readable", e);
        }
    }
}
