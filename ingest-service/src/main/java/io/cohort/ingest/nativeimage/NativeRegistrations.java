package io.cohort.ingest.nativeimage;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Native image only (JVM mode ignores it): the records Jackson reads and writes outside REST
 * resource signatures, i.e. Kafka payloads through ObjectMapperSerializer and the service's
 * deserializers, and problem+json bodies built by hand. Quarkus registers REST parameter and
 * return types itself. Build: {@code ./mvnw package -pl ingest-service -Pnative} (docs/OPERATIONS.md, Native images).
 */
@RegisterForReflection(registerFullHierarchy = true, targets = {
        io.cohort.contracts.EventEnvelope.class,
        io.cohort.contracts.EventType.class,
        io.cohort.contracts.ErasureRequest.class,
        io.cohort.contracts.http.ProblemDetail.class,
        io.cohort.contracts.http.FieldViolation.class,
        io.cohort.ingest.messaging.DeadLetter.class,
        // the 403 problem of the import upload route, written by hand
        io.cohort.support.security.ScopeProblem.class
})
public final class NativeRegistrations {

    private NativeRegistrations() {
    }
}
