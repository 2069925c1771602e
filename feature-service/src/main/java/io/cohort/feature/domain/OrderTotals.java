package io.cohort.feature.domain;

import java.math.BigDecimal;

/** Orders and their revenue summed over some span of days (e.g. the days older than a calculator's window). */
public record OrderTotals(long orders, BigDecimal revenue) {

    public static final OrderTotals NONE = new OrderTotals(0, BigDecimal.ZERO);

    public OrderTotals {
        revenue = revenue == null ? BigDecimal.ZERO : revenue;
    }

    public OrderTotals plus(long moreOrders, BigDecimal moreRevenue) {
        return new OrderTotals(orders + moreOrders, revenue.add(moreRevenue));
    }
}
