package io.cohort.feature;

import io.cohort.devstack.OffsetClock;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

/** The service clock in tests: devstack's {@link OffsetClock} (real time plus an offset) made the CDI clock. */
@Alternative
@Priority(1)
@ApplicationScoped
public class AdjustableClock extends OffsetClock {
}
