package io.cohort.segment.domain;

import java.util.List;

/**
 * The active segment definitions at one moment, numbered: {@code generation} grows whenever the
 * set or any definition changes, so an evaluator can tell that it must look at its views again.
 */
public record ActiveSegments(long generation, List<Segment> segments) {

    public static final ActiveSegments NONE = new ActiveSegments(0, List.of());

    public ActiveSegments {
        segments = List.copyOf(segments);
    }
}
