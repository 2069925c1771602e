package io.cohort.segment.persistence;

import io.cohort.contracts.FeatureNames;
import io.cohort.contracts.http.FieldViolation;
import io.cohort.segment.domain.Condition;
import io.cohort.segment.domain.ConditionParser;
import io.cohort.segment.domain.Segment;
import io.cohort.segment.domain.SegmentDefinition;
import io.cohort.segment.domain.SegmentKind;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Segment definitions; conditions are stored in their canonical JSON form and re-parsed on load. */
@ApplicationScoped
public class SegmentRepository {

    private static final String COLUMNS = "id, name, kind, version, condition::text as condition, cluster_id, created_at";

    private final Jdbc jdbc;
    private final JsonColumns json;
    private final ConditionParser conditions = new ConditionParser(FeatureNames.ALL);

    public SegmentRepository(Jdbc jdbc, JsonColumns json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public void insert(Segment segment) {
        SegmentDefinition definition = segment.definition();
        jdbc.update("insert into segment (id, name, kind, version, condition, cluster_id, created_at) "
                + "values (?, ?, ?, ?, cast(? as jsonb), ?, ?)", s -> {
                    s.setObject(1, segment.id());
                    s.setString(2, definition.name());
                    s.setString(3, definition.kind().wireName());
                    s.setInt(4, segment.version());
                    s.setString(5, definition.condition() == null ? null : json.write(definition.condition().toJson()));
                    s.setObject(6, definition.clusterId(), Types.INTEGER);
                    s.setObject(7, Jdbc.timestamp(segment.createdAt()));
                });
    }

    public List<Segment> findAll() {
        return jdbc.query("select " + COLUMNS + " from segment order by created_at, id", s -> {
        }, this::segment);
    }

    public Optional<Segment> findById(UUID id) {
        return jdbc.query("select " + COLUMNS + " from segment where id = ?", s -> s.setObject(1, id), this::segment)
                .stream().findFirst();
    }

    private Segment segment(ResultSet row) throws SQLException {
        SegmentKind kind = SegmentKind.fromWire(row.getString("kind"))
                .orElseThrow(() -> new IllegalStateException("unknown stored segment kind"));
        String name = row.getString("name");
        SegmentDefinition definition = kind == SegmentKind.RULE
                ? SegmentDefinition.rule(name, storedCondition(row.getString("condition")))
                : SegmentDefinition.cluster(name, row.getInt("cluster_id"));
        return new Segment(row.getObject("id", UUID.class), row.getInt("version"), Jdbc.instant(row, "created_at"),
                definition);
    }

    private Condition storedCondition(String text) {
        List<FieldViolation> errors = new ArrayList<>();
        Condition condition = conditions.parse(json.read(text, Object.class), "/condition", errors);
        if (condition == null) {
            throw new IllegalStateException("a stored segment condition no longer parses: " + errors);
        }
        return condition;
    }
}
