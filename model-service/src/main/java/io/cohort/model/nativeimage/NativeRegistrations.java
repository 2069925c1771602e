package io.cohort.model.nativeimage;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Native image only (JVM mode ignores it): the records Jackson reads and writes outside REST
 * resource signatures, i.e. Kafka payloads through ObjectMapperSerializer and the service's
 * deserializers, and problem+json bodies built by hand. Quarkus registers REST parameter and
 * return types itself.
 *
 * <p>Tribuo and protobuf are registered in
 * {@code src/main/resources/META-INF/native-image/io.cohort/model-service/reflect-config.json}:
 * Tribuo's {@code ProtoUtil} finds each serialized class by name and calls its static
 * {@code deserializeFromProto} reflectively, reads {@code @ProtoSerializableField} fields
 * reflectively when serializing, OLCUT rebuilds provenance objects by class name, and protobuf's
 * {@code Any.unpack} looks up {@code getDefaultInstance} reflectively. The file lists every class of
 * the Tribuo/OLCUT jars on the classpath with a static {@code deserializeFromProto}, every
 * generated protobuf message and every provenance class (regenerate it when Tribuo is upgraded:
 * docs/OPERATIONS.md, Native images). Build: {@code ./mvnw package -pl model-service -Pnative} (docs/OPERATIONS.md, Native images).
 */
@RegisterForReflection(registerFullHierarchy = true, targets = {
        io.cohort.contracts.FeatureVector.class,
        io.cohort.contracts.SubscriberScores.class,
        io.cohort.contracts.ClusterAssignment.class,
        io.cohort.contracts.http.ProblemDetail.class,
        io.cohort.contracts.http.FieldViolation.class,
        // stored inside clustering metrics (jsonb) and read back outside a REST signature
        io.cohort.model.domain.retrain.ActivationDecision.class
})
public final class NativeRegistrations {

    private NativeRegistrations() {
    }
}
