package io.cohort.segment.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/** Reads and writes jsonb columns with the application's ObjectMapper. */
@ApplicationScoped
public class JsonColumns {

    private static final TypeReference<Map<String, Double>> FEATURES = new TypeReference<>() {
    };

    private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, java.util.List<String>>> REASONS = new TypeReference<>() {
    };

    private final ObjectMapper mapper;

    public JsonColumns(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }

    public <T> T read(String json, Class<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is not a " + type.getSimpleName(), e);
        }
    }

    public Map<String, Double> features(String json) {
        try {
            return json == null ? Map.of() : mapper.readValue(json, FEATURES);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored features are not a JSON object of numbers", e);
        }
    }

    public Map<String, String> labels(String json) {
        try {
            return json == null ? Map.of() : mapper.readValue(json, LABELS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored labels are not a JSON object of strings", e);
        }
    }

    public Map<String, java.util.List<String>> reasons(String json) {
        try {
            return json == null ? Map.of() : mapper.readValue(json, REASONS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored reasons are not a JSON object of string arrays", e);
        }
    }
}
