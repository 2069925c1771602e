package io.cohort.contracts;

import java.util.List;

/**
 * The Kafka topics the services talk over. Names carry the schema major version, so an
 * incompatible change means a new topic, never a silent reinterpretation of an old one.
 */
public final class Topics {

    /** Validated events, keyed by subscriber id; time retention. */
    public static final String EVENTS = "cohort.events.v1";
    /** Rejected events with the reason, keyed by message id; time retention. */
    public static final String EVENTS_DLQ = "cohort.events.dlq.v1";
    /** Erasure requests, keyed by subscriber id; compacted so a late consumer still sees them. */
    public static final String ERASURE = "cohort.erasure.v1";
    /** Latest feature vector per subscriber; compacted. */
    public static final String FEATURES = "cohort.features.v1";
    /** Latest scores per subscriber; compacted. */
    public static final String SCORES = "cohort.scores.v1";
    /** Segment entered/exited events; time retention. */
    public static final String SEGMENT_MEMBERSHIP = "cohort.segment-membership.v1";
    /** Records feature-service can never process, with where they came from and why (DeadLetterHeaders). */
    public static final String FEATURE_SERVICE_DLQ = deadLetters("feature-service");
    /** Records model-service can never process. */
    public static final String MODEL_SERVICE_DLQ = deadLetters("model-service");
    /** Records segment-service can never process. */
    public static final String SEGMENT_SERVICE_DLQ = deadLetters("segment-service");

    /** Every topic with how it is kept, as ARCHITECTURE.md designs it. */
    public static final List<TopicSpec> ALL = List.of(
            TopicSpec.timeRetained(EVENTS, 30),
            TopicSpec.timeRetained(EVENTS_DLQ, 30),
            TopicSpec.compacted(ERASURE),
            TopicSpec.compacted(FEATURES),
            TopicSpec.compacted(SCORES),
            TopicSpec.timeRetained(SEGMENT_MEMBERSHIP, 30),
            TopicSpec.timeRetained(FEATURE_SERVICE_DLQ, 30),
            TopicSpec.timeRetained(MODEL_SERVICE_DLQ, 30),
            TopicSpec.timeRetained(SEGMENT_SERVICE_DLQ, 30));

    /**
     * The consuming service's dead-letter topic, {@code cohort.<service>.dlq.v1}. Records keep their
     * key and value; where they came from and why they failed travel in {@link DeadLetterHeaders}.
     */
    public static String deadLetters(String service) {
        return "cohort." + service + ".dlq.v1";
    }

    private Topics() {
    }
}
