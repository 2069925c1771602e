package io.cohort.devstack;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock for tests of time-driven behaviour (sweeps, ageing windows, daily rows): real time plus an
 * offset the test moves forward and must reset, so nothing waits for the wall clock. Services make it
 * their clock with a three-line CDI alternative in their test sources (this module carries no CDI).
 */
public class OffsetClock extends Clock {

    private volatile Duration offset = Duration.ZERO;

    public void advance(Duration by) {
        offset = offset.plus(by);
    }

    public void reset() {
        offset = Duration.ZERO;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return Clock.offset(Clock.system(zone), offset);
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset);
    }
}
