package io.cohort.ingest.domain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Seeded generator of hostile JSON-like input for the parser property tests: odd Unicode (NUL,
 * lone surrogates, BOM, separators), non-finite and extreme numbers, wrong types, nesting up to a
 * bounded depth, and now and then a value of the right shape so generation also reaches deep
 * validation. Bounded in size, so thousands of tries stay fast.
 */
final class FuzzValues {

    private static final char[] ODD = {'\u0000', '\uD800', '\uDBFF', '\uDC00', '\uFEFF', '\u202E', '\u2028',
        'a', 'Z', '/', '.', ';', '%', '"', '\\', ' ', '7', 'é', '\u00A0'};
    private static final Object[] EXTREME = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
        -0.0, 1e308, 4.9e-324, Long.MAX_VALUE, Long.MIN_VALUE, Integer.MIN_VALUE, 0, true, false};

    private final SplittableRandom random;

    FuzzValues(long seed) {
        this.random = new SplittableRandom(seed);
    }

    int nextInt(int bound) {
        return random.nextInt(bound);
    }

    <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    String string() {
        int length = random.nextInt(10);
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(random.nextInt(4) == 0 ? (char) random.nextInt(0x10000) : ODD[random.nextInt(ODD.length)]);
        }
        return s.toString();
    }

    /** Any JSON-like value: string, number, boolean, null, or a map or list nested up to {@code depth}. */
    Object value(int depth) {
        int kind = random.nextInt(depth > 0 ? 6 : 4);
        return switch (kind) {
            case 0 -> string();
            case 1 -> EXTREME[random.nextInt(EXTREME.length)];
            case 2 -> random.nextInt(3) == 0 ? null : random.nextLong();
            case 3 -> random.nextDouble() * Math.pow(10, random.nextInt(40) - 20);
            case 4 -> map(depth - 1, List.of());
            default -> list(depth - 1);
        };
    }

    List<Object> list(int depth) {
        int size = random.nextInt(4);
        List<Object> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            list.add(value(depth));
        }
        return list;
    }

    /** A map whose keys are drawn from {@code likelyKeys} or odd strings, with any values. */
    Map<String, Object> map(int depth, List<String> likelyKeys) {
        int size = random.nextInt(likelyKeys.isEmpty() ? 4 : 8);
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            String key = !likelyKeys.isEmpty() && random.nextInt(4) > 0 ? pick(likelyKeys) : string();
            map.put(key, value(depth));
        }
        return map;
    }

    /** Either a well-shaped value or a hostile one. */
    Object valueOrOneOf(List<Object> plausible, int depth) {
        return random.nextBoolean() ? pick(plausible) : value(depth);
    }
}
