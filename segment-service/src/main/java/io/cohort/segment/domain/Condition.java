package io.cohort.segment.domain;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed segment condition tree. Every node can render itself back to the JSON shape it was
 * parsed from ({@link #toJson()}), so what the API returns is exactly what is evaluated.
 */
public sealed interface Condition {

    /** The canonical JSON form (maps, lists, numbers) of this node. */
    Object toJson();

    record All(List<Condition> conditions) implements Condition {
        public All {
            conditions = List.copyOf(conditions);
        }

        @Override
        public Object toJson() {
            return Map.of("all", conditions.stream().map(Condition::toJson).toList());
        }
    }

    record Any(List<Condition> conditions) implements Condition {
        public Any {
            conditions = List.copyOf(conditions);
        }

        @Override
        public Object toJson() {
            return Map.of("any", conditions.stream().map(Condition::toJson).toList());
        }
    }

    record Not(Condition condition) implements Condition {
        @Override
        public Object toJson() {
            return Map.of("not", condition.toJson());
        }
    }

    /** A test of one feature; which of {@code values} are used depends on the operator. */
    sealed interface Leaf extends Condition {
        String feature();

        Operator op();

        /** The value the feature is compared with as JSON (a number, an array, or null for exists). */
        default Object threshold() {
            return ((Map<?, ?>) toJson()).get("value");
        }

        /** Human-readable form, e.g. {@code emails_opened_30d gte 1}. */
        String describe();
    }

    /** eq, ne, gt, gte, lt, lte against one number. */
    record Compare(String feature, Operator op, double value) implements Leaf {
        public Compare {
            if (!op.isScalarComparison()) {
                throw new IllegalArgumentException(op + " is not a scalar comparison");
            }
        }

        @Override
        public Object toJson() {
            return leafJson(feature, op, number(value));
        }

        @Override
        public String describe() {
            return feature + " " + op.wireName() + " " + text(value);
        }
    }

    record In(String feature, List<Double> values) implements Leaf {
        public In {
            values = List.copyOf(values);
        }

        @Override
        public Operator op() {
            return Operator.IN;
        }

        @Override
        public Object toJson() {
            return leafJson(feature, Operator.IN, values.stream().map(Condition::number).toList());
        }

        @Override
        public String describe() {
            return feature + " in " + values.stream().map(Condition::text).toList();
        }
    }

    /** Inclusive on both ends. */
    record Between(String feature, double low, double high) implements Leaf {
        @Override
        public Operator op() {
            return Operator.BETWEEN;
        }

        @Override
        public Object toJson() {
            return leafJson(feature, Operator.BETWEEN, List.of(number(low), number(high)));
        }

        @Override
        public String describe() {
            return feature + " between " + text(low) + " and " + text(high);
        }
    }

    record Exists(String feature) implements Leaf {
        @Override
        public Operator op() {
            return Operator.EXISTS;
        }

        @Override
        public Object toJson() {
            return leafJson(feature, Operator.EXISTS, null);
        }

        @Override
        public String describe() {
            return feature + " exists";
        }
    }

    /** eq or ne against one text value of a categorical feature (a label such as rfm_group). */
    record TextCompare(String feature, Operator op, String value) implements Leaf {
        public TextCompare {
            if (op != Operator.EQ && op != Operator.NE) {
                throw new IllegalArgumentException(op + " does not apply to text");
            }
        }

        @Override
        public Object toJson() {
            return leafJson(feature, op, value);
        }

        @Override
        public String describe() {
            return feature + " " + op.wireName() + " '" + value + "'";
        }
    }

    /** in against a list of text values of a categorical feature. */
    record TextIn(String feature, List<String> values) implements Leaf {
        public TextIn {
            values = List.copyOf(values);
        }

        @Override
        public Operator op() {
            return Operator.IN;
        }

        @Override
        public Object toJson() {
            return leafJson(feature, Operator.IN, values);
        }

        @Override
        public String describe() {
            return feature + " in " + values;
        }
    }

    private static Map<String, Object> leafJson(String feature, Operator op, Object value) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("feature", feature);
        json.put("op", op.wireName());
        if (value != null) {
            json.put("value", value);
        }
        return json;
    }

    /**
     * Whole numbers go back out as integers, so {@code 1} does not come back as {@code 1.0}; the
     * Java types are those Jackson reads (Integer, then Long), so a parsed body round-trips equal.
     */
    static Number number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 9.007199254740992E15) {
            long whole = (long) value;
            return whole == (int) whole ? (Number) (int) whole : (Number) whole;
        }
        return value;
    }

    private static String text(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
