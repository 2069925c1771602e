package io.cohort.segment.domain;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What model-service answered for a lookalike: the method, how many seeds and candidates it saw,
 * the neighbours k, the features used, the ranked items (subscriber id and similarity) and its
 * held-out evaluation ({@code heldOut, targetSize, recall, randomRecall}).
 */
public record LookalikeResult(String method, int seeds, int candidates, int k, List<String> features,
        List<Item> items, Map<String, Object> evaluation) {

    public LookalikeResult {
        features = features == null ? List.of() : List.copyOf(features);
        items = items == null ? List.of() : List.copyOf(items);
        evaluation = evaluation == null ? Map.of()
                : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(evaluation));
    }

    public record Item(String subscriberId, double similarity) {
    }

    /** Similarity by subscriber id. */
    public Map<String, Double> similarities() {
        Map<String, Double> map = new LinkedHashMap<>();
        for (Item item : items) {
            map.putIfAbsent(item.subscriberId(), item.similarity());
        }
        return map;
    }

    /** The result without its items, as stored with the segment and shown in explanations. */
    public Map<String, Object> summary() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("method", method);
        json.put("seeds", seeds);
        json.put("candidates", candidates);
        json.put("k", k);
        json.put("features", features);
        json.put("evaluation", evaluation);
        return json;
    }
}
