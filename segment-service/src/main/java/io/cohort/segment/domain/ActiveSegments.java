package io.cohort.segment.domain;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The active segment definitions at one moment, numbered: {@code generation} grows whenever the
 * set or any definition changes, so an evaluator can tell that it must look at its views again.
 * {@code similarities}: for each lookalike segment whose model-service answer is known, the
 * similarity of each subscriber in it (a lookalike membership is decided from these).
 */
public record ActiveSegments(long generation, List<Segment> segments,
        Map<UUID, Map<String, Double>> similarities) {

    public static final ActiveSegments NONE = new ActiveSegments(0, List.of());

    public ActiveSegments {
        segments = List.copyOf(segments);
        similarities = Map.copyOf(similarities);
    }

    public ActiveSegments(long generation, List<Segment> segments) {
        this(generation, segments, Map.of());
    }
}
