package io.cohort.segment.persistence;

import io.cohort.segment.domain.ScoreVersion;
import io.cohort.segment.domain.SubscriberView;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The subscriber_view table: one row per subscriber, locked while a change to it is applied. */
@ApplicationScoped
public class SubscriberViewRepository {

    private static final String COLUMNS = "subscriber_id, feature_version, features::text as features, "
            + "score_feature_version, scored_at, cluster_model_version, cluster_id, cluster_name, labels::text as labels, "
            + "features_computed_at, scores::text as scores, score_reasons::text as score_reasons";

    private final Jdbc jdbc;
    private final JsonColumns json;

    public SubscriberViewRepository(Jdbc jdbc, JsonColumns json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /**
     * Locks the subscriber's row until the transaction ends, creating an empty one first, so
     * concurrent changes to one subscriber (features, scores, backfill, erasure) take turns.
     */
    public SubscriberView lockOrCreate(String subscriberId, Instant now) {
        jdbc.update("insert into subscriber_view (subscriber_id, updated_at) values (?, ?) "
                + "on conflict (subscriber_id) do nothing", s -> {
                    s.setString(1, subscriberId);
                    s.setObject(2, Jdbc.timestamp(now));
                });
        return lock(subscriberId).orElseThrow(() -> new IllegalStateException("view row vanished while locked"));
    }

    public Optional<SubscriberView> lock(String subscriberId) {
        return jdbc.query("select " + COLUMNS + " from subscriber_view where subscriber_id = ? for update",
                s -> s.setString(1, subscriberId), this::view).stream().findFirst();
    }

    /** The view as committed, without locking (for explanations). */
    public Optional<SubscriberView> find(String subscriberId) {
        return jdbc.query("select " + COLUMNS + " from subscriber_view where subscriber_id = ?",
                s -> s.setString(1, subscriberId), this::view).stream().findFirst();
    }

    /** The committed views of these subscribers (for the read model), without locking. */
    public List<SubscriberView> findAll(java.util.Collection<String> subscriberIds) {
        return jdbc.query("select " + COLUMNS + " from subscriber_view where subscriber_id = any(?)",
                s -> s.setArray(1, s.getConnection().createArrayOf("text", subscriberIds.toArray())), this::view);
    }

    /** A view's versions as last written, for noticing changes committed by other replicas. */
    public record Stamp(String subscriberId, Long featureVersion, ScoreVersion scoreVersion, Instant updatedAt) {
    }

    /** The views written after {@code since} (index on updated_at), oldest first. */
    public List<Stamp> changedSince(Instant since, int limit) {
        return jdbc.query("select subscriber_id, feature_version, score_feature_version, scored_at, "
                + "cluster_model_version, updated_at from subscriber_view where updated_at > ? "
                + "order by updated_at limit ?", s -> {
                    s.setObject(1, Jdbc.timestamp(since));
                    s.setInt(2, limit);
                }, row -> {
                    Long scoreFeatureVersion = Jdbc.nullableLong(row, "score_feature_version");
                    return new Stamp(row.getString("subscriber_id"), Jdbc.nullableLong(row, "feature_version"),
                            scoreFeatureVersion == null ? null : new ScoreVersion(scoreFeatureVersion,
                                    Jdbc.instant(row, "scored_at"), Jdbc.nullableInt(row, "cluster_model_version")),
                            Jdbc.instant(row, "updated_at"));
                });
    }

    /** The newest updated_at of any view (the start of the read model's poll). */
    public Optional<Instant> lastUpdate() {
        return jdbc.query("select max(updated_at) as at from subscriber_view", s -> {
        }, row -> Jdbc.instant(row, "at")).stream().filter(java.util.Objects::nonNull).findFirst();
    }

    /** Every subscriber id with a view (the read model's check for erasures made by other replicas). */
    public java.util.Set<String> allIds() {
        java.util.Set<String> ids = new java.util.HashSet<>();
        jdbc.query("select subscriber_id from subscriber_view", s -> {
        }, row -> ids.add(row.getString(1)));
        return ids;
    }

    /** The next page of views in subscriber order, without locking (for previews). */
    public List<SubscriberView> pageAfter(String afterSubscriberId, int limit) {
        return jdbc.query("select " + COLUMNS + " from subscriber_view where subscriber_id > ? "
                + "order by subscriber_id limit ?", s -> {
                    s.setString(1, afterSubscriberId);
                    s.setInt(2, limit);
                }, this::view);
    }

    /** Locks the next page of views in subscriber order, for a backfill. */
    public List<SubscriberView> lockPageAfter(String afterSubscriberId, int limit) {
        return jdbc.query("select " + COLUMNS + " from subscriber_view where subscriber_id > ? "
                + "order by subscriber_id limit ? for update", s -> {
                    s.setString(1, afterSubscriberId);
                    s.setInt(2, limit);
                }, this::view);
    }

    public void saveFeatures(SubscriberView view, Instant now) {
        jdbc.update("update subscriber_view set feature_version = ?, features = cast(? as jsonb), "
                + "labels = cast(? as jsonb), features_computed_at = ?, suppressed = ?, updated_at = ? "
                + "where subscriber_id = ?", s -> {
                    s.setLong(1, view.featureVersion());
                    s.setString(2, json.write(view.features()));
                    s.setString(3, json.write(view.labels()));
                    s.setObject(4, Jdbc.timestamp(view.featuresComputedAt()));
                    s.setBoolean(5, view.suppressed());
                    s.setObject(6, Jdbc.timestamp(now));
                    s.setString(7, view.subscriberId());
                });
    }

    public void saveScores(SubscriberView view, Instant now) {
        ScoreVersion version = view.scoreVersion();
        jdbc.update("update subscriber_view set score_feature_version = ?, scored_at = ?, cluster_model_version = ?, "
                + "cluster_id = ?, cluster_name = ?, scores = cast(? as jsonb), score_reasons = cast(? as jsonb), "
                + "updated_at = ? where subscriber_id = ?", s -> {
                    s.setLong(1, version.featureVersion());
                    s.setObject(2, Jdbc.timestamp(version.scoredAt()));
                    s.setObject(3, version.clusterModelVersion(), java.sql.Types.INTEGER);
                    s.setObject(4, view.clusterId(), java.sql.Types.INTEGER);
                    s.setString(5, view.clusterName());
                    s.setString(6, json.write(view.scores()));
                    s.setString(7, json.write(view.reasons()));
                    s.setObject(8, Jdbc.timestamp(now));
                    s.setString(9, view.subscriberId());
                });
    }

    /** Every value of one score over all views, highest first (for top-N% cutoffs). */
    public double[] scoreValuesDescending(String score) {
        return jdbc.query("select (scores ->> ?)::double precision as v from subscriber_view "
                + "where scores ->> ? is not null order by v desc", s -> {
                    s.setString(1, score);
                    s.setString(2, score);
                }, row -> row.getDouble("v")).stream().mapToDouble(Double::doubleValue).toArray();
    }

    public long count() {
        return jdbc.query("select count(*) from subscriber_view", s -> {
        }, row -> row.getLong(1)).get(0);
    }

    public boolean delete(String subscriberId) {
        return jdbc.update("delete from subscriber_view where subscriber_id = ?",
                s -> s.setString(1, subscriberId)) == 1;
    }

    private SubscriberView view(ResultSet row) throws SQLException {
        Long scoreFeatureVersion = Jdbc.nullableLong(row, "score_feature_version");
        ScoreVersion scoreVersion = scoreFeatureVersion == null ? null
                : new ScoreVersion(scoreFeatureVersion, Jdbc.instant(row, "scored_at"),
                        Jdbc.nullableInt(row, "cluster_model_version"));
        return new SubscriberView(
                row.getString("subscriber_id"),
                Jdbc.nullableLong(row, "feature_version"),
                json.features(row.getString("features")),
                scoreVersion,
                Jdbc.nullableInt(row, "cluster_id"),
                row.getString("cluster_name"),
                json.labels(row.getString("labels")),
                Jdbc.instant(row, "features_computed_at"),
                json.features(row.getString("scores")),
                json.reasons(row.getString("score_reasons")));
    }
}
