package io.cohort.devstack.sample;

import com.fasterxml.jackson.databind.JsonNode;
import io.cohort.contracts.CanonicalEvents;
import io.cohort.contracts.FeatureNames;
import io.cohort.devstack.security.TokenClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * What {@code ./cohort up} shows once the suite runs: defines segments, loads a generated sample
 * audience through the tracking API, trains the behavioural clustering, and prints the segments
 * with their sizes, the cluster profile table and where each service's Swagger UI is.
 *
 * <p>Arguments: {@code [--per-persona N]} (default 200, i.e. 600 subscribers).
 */
public final class LocalDemo {

    private final CohortClient client;

    private LocalDemo(CohortClient client) {
        this.client = client;
    }

    public static void main(String[] args) {
        int perPersona = 200;
        for (int i = 0; i < args.length; i++) {
            if ("--per-persona".equals(args[i])) {
                perPersona = Integer.parseInt(args[++i]);
            }
        }
        try {
            new LocalDemo(new CohortClient(ServiceUrls.local())).run(perPersona);
        } catch (RuntimeException e) {
            System.err.println("demo failed: " + e.getMessage());
            System.exit(1);
        }
    }

    private void run(int perPersona) {
        step("waiting for the four services to be ready");
        for (String url : client.urls().all()) {
            waitFor(Duration.ofMinutes(3), url + " ready", () -> client.isReady(url));
        }

        // the demo acts as the operator: every scope it needs (segments, members, training), not admin
        String issuer = System.getenv().getOrDefault("COHORT_SECURITY_ISSUER", "http://localhost:8180");
        TokenClient tokens = new TokenClient(issuer);
        client.useBearerToken(tokens.password("operator", "operator", null));

        // write keys are managed with the scope admin: the admin's token, only for this one call
        step("creating a client write key (tracking calls only) through ingest-service's admin API");
        String key = client.createAndUseWriteKey(tokens.password("admin", "admin", List.of("admin")), "local-demo");
        System.out.println("  write key: " + key + "  (send it as the HTTP Basic username, like Segment's libraries)");

        step("defining rule segments (before data arrives: membership is live)");
        List<JsonNode> segments = new ArrayList<>();
        segments.add(client.createSegment(rule("Opened in the last 30 days",
                leaf(FeatureNames.EMAILS_OPENED_30D, "gte", 1))));
        segments.add(client.createSegment(rule("Bought in the last 90 days",
                leaf(FeatureNames.ORDERS_90D, "gte", 1))));
        segments.add(client.createSegment(rule("Received mail but no opens in 30 days",
                Map.of("all", List.of(leaf(FeatureNames.EMAILS_DELIVERED_30D, "gte", 1),
                        Map.of("not", leaf(FeatureNames.EMAILS_OPENED_30D, "gte", 1)))))));
        segments.add(client.createSegment(rule("Tier-1 target contacts, engaged, account showing pricing intent",
                Map.of("all", List.of(leaf(FeatureNames.ACCOUNT_TIER, "eq", 1), leaf(FeatureNames.ACCOUNT_TARGET, "eq", 1),
                        leaf(FeatureNames.ENGAGED_SENDS_LAST_5, "gte", 2),
                        leaf(FeatureNames.ACCOUNT_PRICING_INTENT_30D, "gte", 1))))));
        step("adding the five starter segments from segment-service's templates");
        for (JsonNode template : client.get(client.urls().segment() + "/v1/segment-templates").expect(200).body()
                .path("items")) {
            segments.add(client.createSegment(Map.of("template", template.path("key").asText())));
        }

        Instant now = Instant.now();
        List<SampleSubscriber> audience = SampleAudience.generate(perPersona, now, 42L);
        List<Map<String, Object>> calls = new ArrayList<>();
        audience.forEach(s -> calls.addAll(s.calls()));
        calls.addAll(SampleAccounts.calls(audience, now));
        step("loading " + audience.size() + " sample subscribers (" + calls.size() + " events) through POST /v1/batch");
        long[] result = client.sendBatches(calls, 500);
        System.out.printf("  accepted %d, duplicates %d%n", result[0], result[1]);

        step("waiting for feature-service to fold every event into feature vectors");
        waitFor(Duration.ofMinutes(3), "feature vectors", () -> audience.stream().allMatch(s -> vectorIsFinal(s, now)));

        step("training clustering.behavioural (Tribuo K-Means++, k by silhouette)");
        JsonNode model = trainWhenSnapshotsArrived(audience.size());
        System.out.printf("  version %s, k=%s, silhouette %s%n", model.path("version").asText(),
                model.path("k").asText(), model.path("metrics").path("silhouette").asText("n/a"));
        for (JsonNode cluster : model.path("clusters")) {
            segments.add(client.createSegment(Map.of("name", "Cluster: " + cluster.path("name").asText(),
                    "kind", "cluster", "clusterId", cluster.path("clusterId").asInt())));
        }
        int clusterSegments = model.path("clusters").size();
        List<JsonNode> clusterSegs = segments.subList(segments.size() - clusterSegments, segments.size());
        waitFor(Duration.ofMinutes(2), "cluster memberships", () -> clusterSegs.stream()
                .mapToInt(s -> client.members(s.path("id").asText(), 1000).size()).sum() == audience.size());

        printSegments(segments);
        printClusters(model);
        System.out.println();
        System.out.println("Swagger UI:");
        String[] names = {"ingest ", "feature", "model  ", "segment"};
        for (int i = 0; i < names.length; i++) {
            System.out.printf("  %s  %s/q/swagger-ui%n", names[i], client.urls().all().get(i));
        }
    }

    private boolean vectorIsFinal(SampleSubscriber subscriber, Instant now) {
        CohortClient.Reply reply = client.features(subscriber.id());
        if (reply.status() != 200) {
            return false;
        }
        JsonNode features = reply.body().path("features");
        return features.path(FeatureNames.EMAILS_DELIVERED_30D).asLong(-1)
                        == subscriber.count(CanonicalEvents.EMAIL_DELIVERED, 30, now)
                && features.path(FeatureNames.EMAILS_OPENED_30D).asLong(-1)
                        == subscriber.count(CanonicalEvents.EMAIL_OPENED, 30, now)
                && features.path(FeatureNames.ORDERS_90D).asLong(-1)
                        == subscriber.count(CanonicalEvents.ORDER_COMPLETED, 90, now);
    }

    /** model-service may still be reading the last vectors; training needs them all. */
    private JsonNode trainWhenSnapshotsArrived(int expectedRows) {
        JsonNode[] trained = new JsonNode[1];
        waitFor(Duration.ofMinutes(2), "training on all " + expectedRows + " subscribers", () -> {
            CohortClient.Reply reply = client.post(client.urls().model()
                    + "/v1/models/clustering.behavioural/versions:train", Map.of());
            if (reply.status() == 201 && reply.body().path("rows").asInt() >= expectedRows) {
                trained[0] = reply.body();
                return true;
            }
            return false;
        });
        return trained[0];
    }

    private void printSegments(List<JsonNode> segments) {
        System.out.println();
        System.out.println("Segments:");
        System.out.printf("  %-64s %-10s %8s%n", "name", "kind", "members");
        for (JsonNode segment : segments) {
            int size = client.members(segment.path("id").asText(), 1000).size();
            System.out.printf("  %-64s %-10s %8d%n", segment.path("name").asText(), segment.path("kind").asText(), size);
        }
    }

    private void printClusters(JsonNode model) {
        System.out.println();
        System.out.println("Cluster profiles (clustering.behavioural v" + model.path("version").asText()
                + ", centroids in original units):");
        StringBuilder header = new StringBuilder(String.format("  %-3s %-40s %6s %6s", "id", "name", "size", "share"));
        for (String feature : FeatureNames.BEHAVIOURAL_CLUSTERING) {
            header.append(String.format(" %21s", feature));
        }
        System.out.println(header);
        for (JsonNode cluster : model.path("clusters")) {
            StringBuilder row = new StringBuilder(String.format("  %-3d %-40s %6d %5.1f%%",
                    cluster.path("clusterId").asInt(), cluster.path("name").asText(), cluster.path("size").asInt(),
                    cluster.path("share").asDouble() * 100));
            for (String feature : FeatureNames.BEHAVIOURAL_CLUSTERING) {
                row.append(String.format(" %21.1f", cluster.path("centroid").path(feature).asDouble()));
            }
            System.out.println(row);
        }
    }

    private static Map<String, Object> rule(String name, Map<String, Object> condition) {
        Map<String, Object> definition = new LinkedHashMap<>();
        definition.put("name", name);
        definition.put("kind", "rule");
        definition.put("condition", condition);
        return definition;
    }

    private static Map<String, Object> leaf(String feature, String op, Object value) {
        return Map.of("feature", feature, "op", op, "value", value);
    }

    private static void step(String message) {
        System.out.println("==> " + message);
    }

    private static void waitFor(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long delayMs = 100;
        while (true) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (IllegalStateException notYet) {
                // a service not reachable yet is the same as "not yet"
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            try {
                Thread.sleep(delayMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
            delayMs = Math.min(1000, delayMs * 2);
        }
    }
}
