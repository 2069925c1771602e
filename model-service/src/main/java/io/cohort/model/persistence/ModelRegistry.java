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
import io.cohort.model.domain.SubscriberPredictor;
import io.cohort.model.domain.TrainedModel;
import io.cohort.model.domain.retrain.ActivationDecision;
import io.cohort.model.domain.monitoring.DriftBaseline;
import io.cohort.model.domain.TrainingOutcome;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
    private final Map<String, SubscriberPredictor> predictors = new ConcurrentHashMap<>();

    public ModelRegistry(ModelVersionRepository versions, ObjectMapper json) {
        this.versions = versions;
        this.json = json;
    }

    /** Stores a trained non-clustering model as the family's new active version (retiring the previous one). */
    public GenericVersion registerActive(String family, TrainedModel trained, Instant now) {
        return register(family, trained, ModelVersionRepository.ACTIVE, now);
    }

    /** Stores a trained non-clustering model with the given status (active or candidate). */
    public GenericVersion register(String family, TrainedModel trained, String status, Instant now) {
        return insert(family, trained, status, null, now);
    }

    /** Stores a trained non-clustering model, active or candidate as decided; the decision goes into its metrics. */
    public GenericVersion register(String family, TrainedModel trained, ActivationDecision decision, Instant now) {
        return insert(family, trained, decision.activated() ? ModelVersionRepository.ACTIVE
                : ModelVersionRepository.CANDIDATE, decision, now);
    }

    private GenericVersion insert(String family, TrainedModel trained, String status, ActivationDecision decision,
            Instant now) {
        Instant createdAt = now.truncatedTo(ChronoUnit.MICROS);
        int version = versions.insert(family, status, createdAt, write(trained.hyperparameters()),
                write(metrics(trained, decision)), write(trained.preprocessing()), write(trained.profile()),
                trained.provenance(), trained.artifact());
        predictors.put(key(family, version), trained.predictor());
        return findGeneric(family, version).orElseThrow();
    }

    private JsonNode metrics(TrainedModel trained, ActivationDecision decision) {
        JsonNode metrics = json.valueToTree(trained.metrics());
        if (metrics instanceof ObjectNode object) {
            if (!object.has("rows")) {
                object.put("rows", trained.rows());
            }
            if (decision != null) {
                object.set("comparison", json.valueToTree(decision));
            }
        }
        return metrics;
    }

    public List<GenericVersion> listGeneric(String family) {
        return versions.list(family).stream().map(this::generic).toList();
    }

    public Optional<GenericVersion> findGeneric(String family, int version) {
        return versions.find(family, version).map(this::generic);
    }

    /**
     * Gives a cluster of a clustering version a user-chosen name (it replaces the generated one in
     * documents and in published assignments).
     *
     * @return false when the version has no such cluster
     */
    public boolean renameCluster(String family, int version, int clusterId, String name, Instant now) {
        Optional<StoredVersion> stored = find(family, version);
        if (stored.isEmpty() || stored.get().clusters().stream().noneMatch(c -> c.clusterId() == clusterId)) {
            return false;
        }
        versions.renameCluster(family, version, clusterId, name, now);
        scorers.remove(key(family, version));
        return true;
    }

    public void saveDriftBaseline(String family, int version, DriftBaseline baseline) {
        versions.saveDriftBaseline(family, version, write(baseline));
    }

    public Optional<DriftBaseline> driftBaseline(String family, int version) {
        return versions.driftBaseline(family, version).map(text -> read(text, DriftBaseline.class));
    }

    /** Activates a stored version (retiring the active one); false when there is no such version. */
    public boolean activate(String family, int version) {
        return versions.activate(family, version);
    }

    /** The active version of every family that has one (one query). */
    public Map<String, Integer> activeVersions() {
        return versions.activeVersions();
    }

    /** The loaded clustering scorer of a version. */
    public ActiveModel clustering(String family, int version) {
        return new ActiveModel(family, version, scorer(family, version));
    }

    /** The active version of a scoring family and its loaded predictor. */
    public Optional<ActivePredictor> activePredictor(String family) {
        return versions.activeVersion(family)
                .map(version -> new ActivePredictor(family, version, predictor(family, version)));
    }

    public SubscriberPredictor predictor(String family, int version) {
        return predictors.computeIfAbsent(key(family, version), k -> {
            byte[] artifact = versions.artifact(family, version)
                    .orElseThrow(() -> new IllegalStateException("version " + version + " of " + family + " is gone"));
            String preprocessing = versions.find(family, version).orElseThrow().preprocessing();
            return PredictorCodec.load(family, artifact, preprocessing, json);
        });
    }

    private GenericVersion generic(ModelVersionRow row) {
        try {
            JsonNode metrics = json.readTree(row.metrics());
            return new GenericVersion(row.family(), row.version(), row.status(), row.createdAt(),
                    metrics.path("rows").asInt(), json.readTree(row.hyperparameters()), metrics,
                    json.readTree(row.preprocessing()), json.readTree(row.profile()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored version is not readable", e);
        }
    }

    /** Stores the outcome as the family's new active version (retiring the previous one). */
    public StoredVersion registerActive(String family, TrainingOutcome outcome, String provenance, Instant now) {
        return register(family, outcome, provenance, ModelVersionRepository.ACTIVE, now);
    }

    /** Stores a clustering outcome with the given status (active retires the previous active version, candidate does not). */
    public StoredVersion register(String family, TrainingOutcome outcome, String provenance, String status,
            Instant now) {
        // PostgreSQL keeps microseconds: cut here so the returned document equals what is read back later
        Instant createdAt = now.truncatedTo(ChronoUnit.MICROS);
        int version = versions.insert(family, status, createdAt, write(outcome.hyperparameters()),
                write(outcome.metrics()), write(outcome.preprocessing()), write(outcome.clusters()), provenance,
                ClusterModelCodec.toBytes(outcome.model()));
        scorers.put(key(family, version), outcome.scorer());
        return new StoredVersion(family, version, status, createdAt,
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
                    new TreeMap<>(metrics.silhouetteByK()), metrics.noiseRows(), metrics.comparison());
        }
        // jsonb does not keep key order: put centroid features back in the model's column order
        Map<Integer, String> renamed = versions.clusterNames(row.family(), row.version());
        List<ClusterProfile> clusters = read(row.profile(), PROFILE).stream()
                .map(cluster -> new ClusterProfile(cluster.clusterId(),
                        renamed.getOrDefault(cluster.clusterId(), cluster.name()), cluster.size(),
                        cluster.share(), ordered(cluster.centroid(), preprocessing.features()),
                        cluster.predictedId(), cluster.distinguishingFeatures()))
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

    /** The version of a scoring family that scoring uses now. */
    public record ActivePredictor(String family, int version, SubscriberPredictor predictor) {
    }

    /** The version scoring uses now. */
    public record ActiveModel(String family, int version, ClusterScorer scorer) {
    }
}
