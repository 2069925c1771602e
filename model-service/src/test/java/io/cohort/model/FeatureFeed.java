package io.cohort.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.contracts.FeatureNames;
import io.cohort.contracts.FeatureVector;
import io.cohort.contracts.Topics;
import io.cohort.devstack.DevStack;
import io.cohort.devstack.TopicRecords;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.utils.Utils;

/** Writes feature vectors (as feature-service would) onto cohort.features.v1 for tests. */
public final class FeatureFeed {

    private final ObjectMapper json;

    public FeatureFeed(ObjectMapper json) {
        this.json = json;
    }

    public void send(String subscriberId, long version, Map<String, Double> features) {
        sendRaw(subscriberId, json(subscriberId, version, features));
    }

    public void sendRaw(String key, String value) {
        TopicRecords.send(DevStack.shared().kafkaBootstrapServers(), Topics.FEATURES, key, value);
    }

    public void tombstone(String subscriberId) {
        sendRaw(subscriberId, null);
    }

    public String json(String subscriberId, long version, Map<String, Double> features) {
        try {
            return json.writeValueAsString(new FeatureVector(FeatureVector.SCHEMA_VERSION, subscriberId, version,
                    Instant.parse("2026-03-01T00:00:00Z"), features));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Makes sure a clustering version is active (so stored vectors are scored and published): feeds
     * three behaviours under {@code prefix} and trains k=3 when none is active.
     */
    public void ensureActiveClustering(String prefix, TestDatabase db) {
        if (io.restassured.RestAssured.given().get("/v1/models").then().statusCode(200).extract().jsonPath()
                .get("families.find { it.family == 'clustering.behavioural' }.activeVersion") != null) {
            return;
        }
        for (Behaviour behaviour : Behaviour.values()) {
            for (int i = 0; i < 10; i++) {
                send(prefix + behaviour.name().toLowerCase() + "-" + i, 1, behaviour(behaviour, i));
            }
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                .until(() -> db.snapshotsWithPrefix(prefix) == 30L);
        io.restassured.RestAssured.given().contentType("application/json").body("{\"k\":3}")
                .post("/v1/models/clustering.behavioural/versions:train").then().statusCode(201);
    }

    /** A key that lands on the same partition as {@code key}, so records for both are consumed in order. */
    public static String samePartitionKey(String key, String prefix) {
        int partition = partition(key);
        for (int i = 0; ; i++) {
            String candidate = prefix + i;
            if (partition(candidate) == partition) {
                return candidate;
            }
        }
    }

    private static int partition(String key) {
        // Kafka's default partitioner for keyed records
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % DevStack.PARTITIONS;
    }

    /** Features of three clearly different behaviours; {@code jitter} varies members a little. */
    public static Map<String, Double> behaviour(Behaviour behaviour, int jitter) {
        Map<String, Double> f = new LinkedHashMap<>();
        f.put(FeatureNames.EMAILS_DELIVERED_30D, 20.0);
        switch (behaviour) {
            case BUYER -> {
                f.put(FeatureNames.EMAILS_OPENED_30D, 14.0 + jitter % 3);
                f.put(FeatureNames.EMAILS_CLICKED_30D, 6.0 + jitter % 2);
                f.put(FeatureNames.DAYS_SINCE_LAST_OPEN, 1.0 + jitter % 2);
                f.put(FeatureNames.ORDERS_90D, 4.0 + jitter % 2);
                f.put(FeatureNames.REVENUE_90D, 400.0 + 5 * (jitter % 7));
            }
            case OPENER -> {
                f.put(FeatureNames.EMAILS_OPENED_30D, 8.0 + jitter % 3);
                f.put(FeatureNames.EMAILS_CLICKED_30D, 1.0 + jitter % 2);
                f.put(FeatureNames.DAYS_SINCE_LAST_OPEN, 3.0 + jitter % 3);
                f.put(FeatureNames.ORDERS_90D, 0.0);
                f.put(FeatureNames.REVENUE_90D, 0.0);
            }
            case DORMANT -> {
                // never opened: days_since_last_open is absent
                f.put(FeatureNames.EMAILS_OPENED_30D, 0.0);
                f.put(FeatureNames.EMAILS_CLICKED_30D, 0.0);
                f.put(FeatureNames.ORDERS_90D, 0.0);
                f.put(FeatureNames.REVENUE_90D, 0.0);
            }
        }
        return f;
    }

    public enum Behaviour { BUYER, OPENER, DORMANT }
}
