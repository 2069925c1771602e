package io.cohort.feature.nativeimage;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Native image only (JVM mode ignores it): the records Jackson reads and writes outside REST
 * resource signatures, i.e. Kafka payloads through ObjectMapperSerializer and the service's
 * deserializers, and problem+json bodies built by hand. Quarkus registers REST parameter and
 * return types itself. Build: {@code ./mvnw package -pl feature-service -Pnative} (docs/OPERATIONS.md, Native images).
 */
@RegisterForReflection(registerFullHierarchy = true, targets = {
        io.cohort.contracts.EventEnvelope.class,
        io.cohort.contracts.EventType.class,
        io.cohort.contracts.ErasureRequest.class,
        io.cohort.contracts.FeatureVector.class,
        io.cohort.contracts.http.ProblemDetail.class,
        io.cohort.contracts.http.FieldViolation.class,
        // streamed NDJSON rows, written by hand rather than as a resource's return type
        io.cohort.feature.persistence.TrainingSets.Row.class,
        io.cohort.feature.persistence.TrainingSets.FeatureRow.class,
        // streams engine: state store values and repartition records (JsonSerde)
        io.cohort.feature.domain.StreamedSubscriber.class,
        io.cohort.feature.domain.StreamedSubscriber.IntentDay.class,
        io.cohort.feature.domain.SubscriberState.class,
        io.cohort.feature.domain.DailyActivity.class,
        io.cohort.feature.domain.OrderTotals.class,
        io.cohort.feature.domain.RecentSends.RecentSend.class,
        io.cohort.feature.domain.AccountContribution.class,
        io.cohort.feature.domain.AccountRollup.class,
        io.cohort.feature.domain.AccountTally.class,
        io.cohort.feature.domain.AccountTally.Traits.class,
        io.cohort.feature.streaming.AccountInput.class,
        io.cohort.feature.streaming.StreamedAccount.class
})
public final class NativeRegistrations {

    private NativeRegistrations() {
    }
}
