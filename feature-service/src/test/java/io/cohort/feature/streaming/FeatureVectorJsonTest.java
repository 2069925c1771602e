package io.cohort.feature.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.cohort.contracts.FeatureVector;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-written vector JSON is the tree the object mapper writes, and reads back equal. */
class FeatureVectorJsonTest {

    private static final String[] NAMES = {"emails_opened_30d", "Zürich ☃ 東京 😀", "tab\tnew\nline\\\"",
        "\u0001\u001f control", "", "</script>"};
    private static final double[] SPECIAL = {0.0, -0.0, 1e-7, 123456789.125, Double.MAX_VALUE, Double.MIN_VALUE,
        1.0 / 3, 2.5e21};

    @Test
    void sameJsonAsTheMapperForManyVectors() throws Exception {
        FeatureVectorJson writer = new FeatureVectorJson(TopologyFixture.JSON);
        Random random = new Random(16);
        for (int i = 0; i < 2000; i++) {
            Map<String, Double> features = random.nextInt(20) == 0 ? null
                    : random.nextBoolean() ? new HashMap<>() : new LinkedHashMap<>();
            for (int f = random.nextInt(60); features != null && f > 0; f--) {
                double value = random.nextInt(3) == 0 ? SPECIAL[random.nextInt(SPECIAL.length)]
                        : random.nextInt(2) == 0 ? random.nextInt(1000) : random.nextGaussian() * 1e3;
                features.put(NAMES[random.nextInt(NAMES.length)] + f, random.nextInt(50) == 0 ? null : value);
            }
            Map<String, String> labels = random.nextInt(5) == 0 ? null
                    : Map.of("rfm_group", NAMES[random.nextInt(NAMES.length)], "lifecycle_stage", "active");
            Instant at = random.nextInt(10) == 0 ? null
                    : Instant.ofEpochSecond(random.nextInt(2_000_000_000), random.nextInt(4) * 1_000_000L);
            FeatureVector vector = new FeatureVector(FeatureVector.SCHEMA_VERSION, "sub-" + i, random.nextLong(), at,
                    features, labels);
            byte[] written = writer.serialize("t", vector);
            // the same tree (numbers compared as doubles: the fast writer may choose shorter digits)
            assertEquals(TopologyFixture.JSON.valueToTree(vector), TopologyFixture.JSON.readTree(written),
                    vector.toString());
            assertEquals(vector, TopologyFixture.JSON.readValue(written, FeatureVector.class));
        }
        assertNull(writer.serialize("t", null));
    }
}
