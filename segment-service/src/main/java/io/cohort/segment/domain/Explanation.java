package io.cohort.segment.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The per-condition evaluation of one segment for one subscriber view: a tree mirroring the
 * definition, each node with the JSON pointer of its place in the definition and its result.
 */
public sealed interface Explanation {

    boolean passed();

    /** all / any / not, with the result of each child. */
    record Combinator(String pointer, String op, boolean passed, List<Explanation> conditions)
            implements Explanation {
        public Combinator {
            conditions = List.copyOf(conditions);
        }
    }

    /**
     * One test: the value seen (a number, a label's text, or null when absent), operator, threshold
     * and outcome; for a score, {@code reasons} are the model's reason codes (omitted when none).
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Leaf(String pointer, String feature, String op, Object threshold, Object value, boolean passed,
            @JsonInclude(JsonInclude.Include.NON_NULL) List<String> reasons) implements Explanation {

        public Leaf(String pointer, String feature, String op, Object threshold, Object value, boolean passed) {
            this(pointer, feature, op, threshold, value, passed, null);
        }
    }

    /**
     * A predictive segment: the score, its value, the threshold (given, or the cutoff of the top
     * {@code topPercent} computed over every scored subscriber), the model's reason codes, and the
     * optional extra condition's evaluation.
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Predictive(String score, Double value, Double threshold, Double topPercent, boolean passed,
            List<String> reasons, @JsonInclude(JsonInclude.Include.NON_NULL) Explanation condition)
            implements Explanation {
    }

    /** A cluster segment: the segment's cluster and the subscriber's current one (null when unassigned). */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Cluster(int clusterId, Integer subscriberCluster, boolean passed) implements Explanation {
    }

    /**
     * A lookalike segment: the seed, the subscriber's similarity to the seed's members as
     * model-service ranked them (null when not among the {@code targetSize} nearest), the method and
     * the model's held-out evaluation, and the optional extra condition's evaluation.
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Lookalike(String seedSegmentId, int targetSize, Double similarity, String method, Object evaluation,
            boolean passed, @JsonInclude(JsonInclude.Include.NON_NULL) Explanation condition) implements Explanation {
    }
}
