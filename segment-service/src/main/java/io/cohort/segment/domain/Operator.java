package io.cohort.segment.domain;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** Comparison operators a leaf condition may use, written in lower case on the wire. */
public enum Operator {
    EQ, NE, GT, GTE, LT, LTE, IN, BETWEEN, EXISTS;

    /** "eq, ne, gt, …" in declaration order, for error messages. */
    public static final String CHOICES = Arrays.stream(values()).map(Operator::wireName)
            .collect(Collectors.joining(", "));

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Operator> fromWire(String name) {
        return Arrays.stream(values()).filter(op -> op.wireName().equals(name)).findFirst();
    }

    /** Operators that compare the feature with one number. */
    public boolean isScalarComparison() {
        return this == EQ || this == NE || this == GT || this == GTE || this == LT || this == LTE;
    }
}
