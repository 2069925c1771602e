package io.cohort.segment.nativeimage;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Native image only (JVM mode ignores it): the records Jackson reads and writes outside REST
 * resource signatures, i.e. Kafka payloads through ObjectMapperSerializer and the service's
 * deserializers, problem+json bodies built by hand, and the streams engine's state store values
 * (JSON through service-support's {@code JsonSerde}: views, memberships). Kafka Streams itself and RocksDB's
 * JNI library are registered by quarkus-kafka-streams; the serdes are instances, not class names.
 * Quarkus registers REST parameter and return types itself. Build: {@code ./mvnw package -pl segment-service -Pnative} (docs/OPERATIONS.md, Native images).
 */
@RegisterForReflection(registerFullHierarchy = true, targets = {
        io.cohort.contracts.FeatureVector.class,
        io.cohort.contracts.SubscriberScores.class,
        io.cohort.contracts.ClusterAssignment.class,
        io.cohort.contracts.SegmentMembershipEvent.class,
        io.cohort.contracts.MembershipChange.class,
        io.cohort.contracts.EventEnvelope.class,
        io.cohort.contracts.EventType.class,
        io.cohort.contracts.ErasureRequest.class,
        io.cohort.contracts.http.ProblemDetail.class,
        io.cohort.contracts.http.FieldViolation.class,
        io.cohort.segment.domain.SubscriberView.class,
        io.cohort.segment.domain.ScoreVersion.class,
        io.cohort.segment.domain.Membership.class,
        io.cohort.segment.streaming.StoredMemberships.class
})
public final class NativeRegistrations {

    private NativeRegistrations() {
    }
}
