package io.cohort.segment.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cohort.segment.domain.LookalikeResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelServiceClientTest {

    @Test
    void readsModelServicesLookalikeAnswer() {
        LookalikeResult result = ModelServiceClient.parse(Map.of("method", "knn-standardised", "seeds", 12,
                "candidates", 400, "k", 7, "features", List.of("a", "b"),
                "items", List.of(Map.of("subscriberId", "s1", "similarity", 0.87), Map.of("subscriberId", "s2",
                        "similarity", 1)),
                "evaluation", Map.of("heldOut", 3, "targetSize", 2, "recall", 0.66, "randomRecall", 0.01)));
        assertEquals("knn-standardised", result.method());
        assertEquals(12, result.seeds());
        assertEquals(400, result.candidates());
        assertEquals(7, result.k());
        assertEquals(List.of("a", "b"), result.features());
        assertEquals(List.of(new LookalikeResult.Item("s1", 0.87), new LookalikeResult.Item("s2", 1.0)),
                result.items());
        assertEquals(0.66, result.evaluation().get("recall"));
    }
}
