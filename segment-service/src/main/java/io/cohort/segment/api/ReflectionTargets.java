package io.cohort.segment.api;

import io.cohort.segment.domain.Explanation;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Types Jackson writes that Quarkus cannot find from resource signatures alone (the subtypes of
 * {@link Explanation}, reached through the interface; the body one instance forwards to another for a
 * streams preview), registered for a native image.
 */
@RegisterForReflection(targets = {Explanation.Combinator.class, Explanation.Leaf.class, Explanation.Cluster.class,
        Explanation.Predictive.class, Explanation.Lookalike.class, StreamsPreviews.Forwarded.class})
final class ReflectionTargets {

    private ReflectionTargets() {
    }
}
