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

    /** One feature test: the value seen (null when absent), operator, threshold and outcome. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Leaf(String pointer, String feature, String op, Object threshold, Double value, boolean passed)
            implements Explanation {
    }

    /** A cluster segment: the segment's cluster and the subscriber's current one (null when unassigned). */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Cluster(int clusterId, Integer subscriberCluster, boolean passed) implements Explanation {
    }
}
