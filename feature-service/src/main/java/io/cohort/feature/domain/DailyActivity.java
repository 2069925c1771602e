package io.cohort.feature.domain;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Objects;

/**
 * What one subscriber did on one UTC day: the aggregate every feature window is summed from.
 * Also used as the increment a single event adds to its day.
 */
public record DailyActivity(LocalDate day, long delivered, long opened, long clicked, long orders, BigDecimal revenue) {

    public DailyActivity {
        Objects.requireNonNull(day, "day");
        revenue = revenue == null ? BigDecimal.ZERO : revenue;
    }

    public static DailyActivity nothingOn(LocalDate day) {
        return new DailyActivity(day, 0, 0, 0, 0, BigDecimal.ZERO);
    }

    /** True when the event counted towards no aggregate (it only marks the subscriber as seen). */
    public boolean isEmpty() {
        return delivered == 0 && opened == 0 && clicked == 0 && orders == 0 && revenue.signum() == 0;
    }
}
