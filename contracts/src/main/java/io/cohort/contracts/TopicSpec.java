package io.cohort.contracts;

/**
 * How a topic is kept: compacted topics hold the latest value per key (state), time-retained
 * topics hold a stream of facts for {@code retentionDays}.
 */
public record TopicSpec(String name, boolean compacted, int retentionDays) {

    public static TopicSpec compacted(String name) {
        return new TopicSpec(name, true, -1);
    }

    public static TopicSpec timeRetained(String name, int retentionDays) {
        return new TopicSpec(name, false, retentionDays);
    }

    /** Kafka's {@code cleanup.policy} for this topic. */
    public String cleanupPolicy() {
        return compacted ? "compact" : "delete";
    }

    /** Kafka's {@code retention.ms}; -1 keeps compacted state forever. */
    public long retentionMs() {
        return compacted ? -1L : retentionDays * 24L * 60 * 60 * 1000;
    }
}
