package io.cohort.segment.domain;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A lookalike segment's request to model-service: the {@code targetSize} subscribers most similar
 * to the members of the seed segment. The seed must exist and must not lead back to the segment
 * itself through other lookalike seeds.
 */
public record Lookalike(UUID seedSegmentId, int targetSize) {

    public static final int MAX_TARGET_SIZE = 100_000;

    public Lookalike {
        if (seedSegmentId == null) {
            throw new IllegalArgumentException("seedSegmentId is required");
        }
        if (targetSize < 1 || targetSize > MAX_TARGET_SIZE) {
            throw new IllegalArgumentException("targetSize must be from 1 to " + MAX_TARGET_SIZE);
        }
    }

    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("seedSegmentId", seedSegmentId.toString());
        json.put("targetSize", targetSize);
        return json;
    }
}
