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
     * Remembers published scores. A subscriber erased since it was scored gets no row back: the
     * row is written only while the subscriber's snapshot exists.
     */
    @Transactional
    public void record(List<PublishedScore> scores) {
        for (PublishedScore score : scores) {
            em.createNativeQuery("""
                    insert into subscriber_score (subscriber_id, feature_version, model_version, cluster_id, published_at,
                        scores, model_versions)
                    select ?1, ?2, ?3, ?4, ?5, cast(?6 as jsonb), cast(?7 as jsonb)
                    where exists (select 1 from feature_snapshot where subscriber_id = ?1)
                    on conflict (subscriber_id) do update
                        set feature_version = excluded.feature_version, model_version = excluded.model_version,
                            cluster_id = excluded.cluster_id, published_at = excluded.published_at,
                            scores = excluded.scores, model_versions = excluded.model_versions""")
                    .setParameter(1, score.subscriberId())
                    .setParameter(2, score.featureVersion())
                    .setParameter(3, score.modelVersion())
                    .setParameter(4, score.clusterId())
                    .setParameter(5, score.publishedAt())
                    .setParameter(6, write(score.scores()))
                    .setParameter(7, write(score.modelVersions()))
                    .executeUpdate();
        }
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
