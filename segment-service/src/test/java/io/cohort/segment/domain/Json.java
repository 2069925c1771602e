package io.cohort.segment.domain;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the plain objects Jackson produces for a JSON body, without Jackson. */
final class Json {

    private Json() {
    }

    static Map<String, Object> obj(Object... keyValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    static List<Object> arr(Object... items) {
        return java.util.Arrays.asList(items);
    }

    static Map<String, Object> leaf(String feature, String op, Object value) {
        return obj("feature", feature, "op", op, "value", value);
    }
}
