package io.cohort.segment.persistence;

import io.cohort.segment.domain.ConditionParser;
import io.cohort.segment.domain.SegmentDefinitionParser;
import java.util.LinkedHashMap;
import java.util.Map;
import io.cohort.segment.domain.Segment;
import io.cohort.segment.domain.SegmentDefinition;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Segment definitions; conditions are stored in their canonical JSON form and re-parsed on load. */
@ApplicationScoped
public class SegmentRepository {

    private static final String COLUMNS = "id, name, kind, version, condition::text as condition, cluster_id, created_at, status, "
            + "holdout_percent, predictive::text as predictive, predictive_cutoff, actions::text as actions, "
            + "lookalike::text as lookalike";

    private final Jdbc jdbc;
    private final JsonColumns json;
    private final SegmentDefinitionParser definitions = new SegmentDefinitionParser(ConditionParser.standard());

    /** Advisory-lock key shared by every transaction that reads or changes the set of segment definitions. */
    private static final long DEFINITIONS_LOCK = 0x5E67_0001L;

    public SegmentRepository(Jdbc jdbc, JsonColumns json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public void insert(Segment segment) {
        SegmentDefinition definition = segment.definition();
        jdbc.update("insert into segment (id, name, kind, version, condition, cluster_id, created_at, "
                + "holdout_percent, predictive, actions, lookalike) values (?, ?, ?, ?, cast(? as jsonb), ?, ?, ?, "
                + "cast(? as jsonb), cast(? as jsonb), cast(? as jsonb))", s -> {
                    s.setObject(1, segment.id());
                    s.setString(2, definition.name());
                    s.setString(3, definition.kind().wireName());
                    s.setInt(4, segment.version());
                    s.setString(5, definition.condition() == null ? null : json.write(definition.condition().toJson()));
                    s.setObject(6, definition.clusterId(), Types.INTEGER);
                    s.setObject(7, Jdbc.timestamp(segment.createdAt()));
                    s.setDouble(8, definition.holdoutPercent());
                    s.setString(9, predictiveJson(definition));
                    s.setString(10, actionsJson(definition));
                    s.setString(11, lookalikeJson(definition));
                });
    }

    private String lookalikeJson(SegmentDefinition definition) {
        return definition.lookalike() == null ? null : json.write(definition.lookalike().toJson());
    }

    /** Stores model-service's latest lookalike answer: its summary on the segment, its items with their similarity. */
    public void replaceLookalike(UUID id, io.cohort.segment.domain.LookalikeResult result) {
        jdbc.update("update segment set lookalike_result = cast(? as jsonb) where id = ?", s -> {
            s.setString(1, json.write(result.summary()));
            s.setObject(2, id);
        });
        jdbc.update("delete from segment_lookalike_item where segment_id = ?", s -> s.setObject(1, id));
        jdbc.batch("insert into segment_lookalike_item (segment_id, subscriber_id, similarity) values (?, ?, ?)",
                result.similarities().entrySet(), (s, item) -> {
                    s.setObject(1, id);
                    s.setString(2, item.getKey());
                    s.setDouble(3, item.getValue());
                });
    }

    /** The lookalike items stored for a segment: similarity by subscriber id. */
    /** Removes an erased subscriber from every lookalike answer; returns the segments that held them. */
    public List<UUID> forgetLookalikeItems(String subscriberId) {
        return jdbc.query("delete from segment_lookalike_item where subscriber_id = ? returning segment_id",
                s -> s.setString(1, subscriberId), row -> row.getObject(1, UUID.class));
    }

    public Map<String, Double> lookalikeSimilarities(UUID id) {
        Map<String, Double> map = new java.util.HashMap<>();
        jdbc.query("select subscriber_id, similarity from segment_lookalike_item where segment_id = ?",
                s -> s.setObject(1, id), row -> map.put(row.getString(1), row.getDouble(2)));
        return map;
    }

    public Optional<Double> lookalikeSimilarity(UUID id, String subscriberId) {
        return jdbc.query("select similarity from segment_lookalike_item where segment_id = ? and subscriber_id = ?",
                s -> {
                    s.setObject(1, id);
                    s.setString(2, subscriberId);
                }, row -> row.getDouble(1)).stream().findFirst();
    }

    /** The summary of model-service's latest answer (method, evaluation, ...), empty before the first. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> lookalikeSummary(UUID id) {
        List<String> rows = jdbc.query("select lookalike_result::text from segment where id = ?", s -> s.setObject(1, id),
                row -> row.getString(1));
        return rows.isEmpty() || rows.get(0) == null ? Map.of() : json.read(rows.get(0), Map.class);
    }

    private String predictiveJson(SegmentDefinition definition) {
        return definition.predictive() == null ? null : json.write(definition.predictive().toJson());
    }

    private String actionsJson(SegmentDefinition definition) {
        return definition.actions() == null ? null : json.write(definition.actions().toJson());
    }

    /** Stores the top-N% cutoff in force for a predictive segment. */
    public void setCutoff(UUID id, Double cutoff) {
        jdbc.update("update segment set predictive_cutoff = ? where id = ?", s -> {
            s.setObject(1, cutoff, Types.DOUBLE);
            s.setObject(2, id);
        });
    }

    /** Replaces the definition and version of a stored segment. */
    public void update(Segment segment) {
        SegmentDefinition definition = segment.definition();
        jdbc.update("update segment set name = ?, kind = ?, version = ?, condition = cast(? as jsonb), "
                + "cluster_id = ?, holdout_percent = ?, predictive = cast(? as jsonb), actions = cast(? as jsonb), "
                + "predictive_cutoff = ?, lookalike = cast(? as jsonb) where id = ?", s -> {
                    s.setString(1, definition.name());
                    s.setString(2, definition.kind().wireName());
                    s.setInt(3, segment.version());
                    s.setString(4, definition.condition() == null ? null : json.write(definition.condition().toJson()));
                    s.setObject(5, definition.clusterId(), Types.INTEGER);
                    s.setDouble(6, definition.holdoutPercent());
                    s.setString(7, predictiveJson(definition));
                    s.setString(8, actionsJson(definition));
                    s.setObject(9, segment.cutoff(), Types.DOUBLE);
                    s.setString(10, lookalikeJson(definition));
                    s.setObject(11, segment.id());
                });
    }

    public void archive(UUID id) {
        jdbc.update("update segment set status = 'archived' where id = ?", s -> s.setObject(1, id));
    }

    /** The segment, locked until the transaction ends, so edits of one segment take turns. */
    public Optional<Segment> lock(UUID id) {
        return jdbc.query("select " + COLUMNS + " from segment where id = ? for update", s -> s.setObject(1, id),
                this::segment).stream().findFirst();
    }

    /** The segments evaluated on every change, oldest first. */
    public List<Segment> findActive() {
        return jdbc.query("select " + COLUMNS + " from segment where status = 'active' order by created_at, id", s -> {
        }, this::segment);
    }

    public long countActive() {
        return jdbc.query("select count(*) from segment where status = 'active'", s -> {
        }, row -> row.getLong(1)).get(0);
    }

    public void appendHistory(Segment segment, String change, java.time.Instant at) {
        jdbc.update("insert into segment_history (segment_id, version, change, definition, changed_at) "
                + "values (?, ?, ?, cast(? as jsonb), ?)", s -> {
                    s.setObject(1, segment.id());
                    s.setInt(2, segment.version());
                    s.setString(3, change);
                    s.setString(4, json.write(segment.definition().toJson()));
                    s.setObject(5, Jdbc.timestamp(at));
                });
    }

    public List<HistoryEntry> history(UUID id) {
        return jdbc.query("select version, change, definition::text as definition, changed_at from segment_history "
                + "where segment_id = ? order by id", s -> s.setObject(1, id),
                row -> new HistoryEntry(row.getInt("version"), json.read(row.getString("definition"), Object.class),
                        Jdbc.instant(row, "changed_at"), row.getString("change")));
    }

    public record HistoryEntry(int version, Object definition, java.time.Instant changedAt, String change) {
    }

    /**
     * What identifies the state of each segment as lookups see it (version, status, cutoff, the
     * stored lookalike answer), for noticing changes committed by other replicas.
     */
    public Map<UUID, String> fingerprints() {
        Map<UUID, String> result = new java.util.HashMap<>();
        jdbc.query("select id, version || '/' || status || '/' || coalesce(predictive_cutoff::text, '-') || '/' "
                + "|| md5(coalesce(lookalike_result::text, '')) as fingerprint from segment", s -> {
                }, row -> result.put(row.getObject("id", UUID.class), row.getString("fingerprint")));
        return result;
    }

    public List<Segment> findAll() {
        return jdbc.query("select " + COLUMNS + " from segment order by created_at, id", s -> {
        }, this::segment);
    }

    public Optional<Segment> findById(UUID id) {
        return jdbc.query("select " + COLUMNS + " from segment where id = ?", s -> s.setObject(1, id), this::segment)
                .stream().findFirst();
    }

    /**
     * Parsed definitions by segment id; a definition never changes without its version changing, so
     * an entry with the row's version is reused instead of parsing the stored JSON on every read
     * (every view change reads all active segments).
     */
    private final java.util.concurrent.ConcurrentHashMap<UUID, Parsed> parsed =
            new java.util.concurrent.ConcurrentHashMap<>();

    private record Parsed(int version, SegmentDefinition definition) {
    }

    /** Rebuilds the definition from its columns through the same parser the API uses (cached by version). */
    private Segment segment(ResultSet row) throws SQLException {
        UUID id = row.getObject("id", UUID.class);
        int version = row.getInt("version");
        Double cutoff = row.getDouble("predictive_cutoff");
        if (row.wasNull()) {
            cutoff = null;
        }
        boolean archived = "archived".equals(row.getString("status"));
        Parsed cached = parsed.get(id);
        if (cached == null || cached.version() != version) {
            cached = new Parsed(version, definition(row));
            parsed.put(id, cached);
        }
        return new Segment(id, version, Jdbc.instant(row, "created_at"), cached.definition(), archived, cutoff);
    }

    private SegmentDefinition definition(ResultSet row) throws SQLException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", row.getString("name"));
        body.put("kind", row.getString("kind"));
        String condition = row.getString("condition");
        if (condition != null) {
            body.put("condition", json.read(condition, Object.class));
        }
        Integer clusterId = Jdbc.nullableInt(row, "cluster_id");
        if (clusterId != null) {
            body.put("clusterId", clusterId);
        }
        String predictive = row.getString("predictive");
        if (predictive != null) {
            body.putAll(json.read(predictive, Map.class));
        }
        String lookalike = row.getString("lookalike");
        if (lookalike != null) {
            body.putAll(json.read(lookalike, Map.class));
        }
        body.put("holdoutPercent", row.getDouble("holdout_percent"));
        String actions = row.getString("actions");
        if (actions != null) {
            body.put("actions", json.read(actions, Object.class));
        }
        SegmentDefinitionParser.Result result = definitions.parse(body);
        if (!result.isValid()) {
            throw new IllegalStateException("a stored segment definition no longer parses: " + result.errors());
        }
        return result.definition();
    }

    /**
     * Taken by every view change before it reads the active segments: view changes run side by
     * side, but never while a definition change (create, update, archive) is in flight.
     */
    public void lockDefinitionsShared() {
        jdbc.query("select pg_advisory_xact_lock_shared(?)", s -> s.setLong(1, DEFINITIONS_LOCK), row -> Boolean.TRUE);
    }

    /**
     * Taken by create, update and archive before they backfill. It waits for view changes in
     * flight to commit, so the backfill sees their views; view changes that start later wait until
     * the new definition is committed and evaluate it themselves. Without it, a view committed
     * during a backfill was seen by neither side and its membership was missed.
     */
    public void lockDefinitionsExclusive() {
        jdbc.query("select pg_advisory_xact_lock(?)", s -> s.setLong(1, DEFINITIONS_LOCK), row -> Boolean.TRUE);
    }
}
