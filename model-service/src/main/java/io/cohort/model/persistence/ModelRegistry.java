package io.cohort.model.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.model.domain.ClusterModelCodec;
import io.cohort.model.domain.ClusterProfile;
import io.cohort.model.domain.ClusterScorer;
import io.cohort.model.domain.ClusteringMetrics;
import io.cohort.model.domain.Hyperparameters;
import io.cohort.model.domain.Preprocessing;
import io.cohort.model.domain.TrainingOutcome;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Registered model versions in domain terms, and the loaded (deserialised) models for scoring,
 * cached per version: a version never changes once stored, so its loaded model never goes stale.
 */
@ApplicationScoped
public class ModelRegistry {

    private static final TypeReference<List<ClusterProfile>> PROFILE = new TypeReference<>() {
    };

    private final ModelVersionRepository versions;
    private final ObjectMapper json;
    private final Map<String, ClusterScorer> scorers = new ConcurrentHashMap<>();

    public ModelRegistry(ModelVersionRepository versions, ObjectMapper json) {
        this.versions = versions;
        this.json = json;
    }

    /** Stores the outcome as the family's new active version (retiring the previous one). */
    public StoredVersion registerActive(String family, TrainingOutcome outcome, String provenance, Instant now) {
        // PostgreSQL keeps microseconds: cut here so the returned document equals what is read back later
        Instant createdAt = now.truncatedTo(ChronoUnit.MICROS);
        int version = versions.insertActive(family, createdAt, write(outcome.hyperparameters()),
                write(outcome.metrics()), write(outcome.preprocessing()), write(outcome.clusters()), provenance,
                ClusterModelCodec.toBytes(outcome.model()));
        scorers.put(key(family, version), outcome.scorer());
        return new StoredVersion(family, version, ModelVersionRepository.ACTIVE, createdAt,
                outcome.hyperparameters(), outcome.metrics(), outcome.preprocessing(), outcome.clusters());
    }

    public Optional<Integer> activeVersion(String family) {
        return versions.activeVersion(family);
    }

    public long count(String family) {
        return versions.count(family);
    }

    public List<StoredVersion> list(String family) {
        return versions.list(family).stream().map(this::stored).toList();
    }

    public Optional<StoredVersion> find(String family, int version) {
        return versions.find(family, version).map(this::stored);
    }

    public Optional<String> provenance(String family, int version) {
        return versions.provenance(family, version);
    }

    /** The active version and its loaded scorer, if the family has an active version. */
    public Optional<ActiveModel> active(String family) {
        return versions.activeVersion(family).map(version -> new ActiveModel(family, version, scorer(family, version)));
    }

    ClusterScorer scorer(String family, int version) {
        return scorers.computeIfAbsent(key(family, version), k -> {
            StoredVersion stored = find(family, version)
                    .orElseThrow(() -> new IllegalStateException("version " + version + " of " + family + " is gone"));
            byte[] artifact = versions.artifact(family, version).orElseThrow();
            return new ClusterScorer(stored.preprocessing(), ClusterModelCodec.fromBytes(artifact), stored.clusters());
        });
    }

    private StoredVersion stored(ModelVersionRow row) {
        Preprocessing preprocessing = read(row.preprocessing(), Preprocessing.class);
        ClusteringMetrics metrics = read(row.metrics(), ClusteringMetrics.class);
        if (metrics.silhouetteByK() != null) {
            metrics = new ClusteringMetrics(metrics.k(), metrics.silhouette(), metrics.inertia(), metrics.rows(),
                    new TreeMap<>(metrics.silhouetteByK()));
        }
        // jsonb does not keep key order: put centroid features back in the model's column order
        List<ClusterProfile> clusters = read(row.profile(), PROFILE).stream()
                .map(cluster -> new ClusterProfile(cluster.clusterId(), cluster.name(), cluster.size(),
                        cluster.share(), ordered(cluster.centroid(), preprocessing.features()),
                        cluster.predictedId()))
                .toList();
        return new StoredVersion(row.family(), row.version(), row.status(), row.createdAt(),
                read(row.hyperparameters(), Hyperparameters.class), metrics, preprocessing, clusters);
    }

    private static Map<String, Double> ordered(Map<String, Double> centroid, List<String> features) {
        Map<String, Double> ordered = new LinkedHashMap<>();
        features.forEach(feature -> ordered.put(feature, centroid.get(feature)));
        centroid.forEach(ordered::putIfAbsent);
        return ordered;
    }

    private static String key(String family, int version) {
        return family + "#" + version;
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write " + value.getClass().getSimpleName(), e);
        }
    }

    private <T> T read(String text, Class<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored " + type.getSimpleName() + " is not readable", e);
        }
    }

    private <T> T read(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored profile is not readable", e);
        }
    }

    /** The version scoring uses now. */
    public record ActiveModel(String family, int version, ClusterScorer scorer) {
    }
}
