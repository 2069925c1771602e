package io.cohort.model.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cohort.contracts.http.FieldViolation;
import io.cohort.contracts.http.ProblemDetail;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A JSON object body read strictly, field by field: data binding would turn {@code 4.5} into 4,
 * {@code 5} into "5" and ignore unknown parameters, so a mistyped request would train or rename
 * something else than asked. Wrong media type → 415; not UTF-8, not JSON or not an object → 400
 * at "/"; a parameter the call does not take or of the wrong JSON type → 400 at its pointer. An
 * empty body (clients such as {@code curl -X POST} send none) stands for "no parameters"; a call
 * that needs some reports each missing one at its pointer.
 */
final class BodyFields {

    private final ObjectNode body;
    private final List<FieldViolation> errors = new ArrayList<>();

    private BodyFields(ObjectNode body, Set<String> parameters) {
        this.body = body;
        new TreeSet<>(iterable(body)).forEach(name -> {
            if (!parameters.contains(name)) {
                errors.add(new FieldViolation("/" + escape(name), parameters.isEmpty() ? "this call takes no parameters"
                        : "is not a parameter of this call; it takes " + new TreeSet<>(parameters)));
            }
        });
    }

    /** Reads an optional body that may hold only {@code parameters}; their types are checked as they are read. */
    static BodyFields read(ObjectMapper json, String contentType, byte[] bytes, Set<String> parameters) {
        boolean empty = bytes == null || bytes.length == 0 || new String(bytes, StandardCharsets.ISO_8859_1).isBlank();
        if (empty) {
            return new BodyFields(json.createObjectNode(), parameters);
        }
        if (contentType != null && !isJson(contentType)) {
            throw new ProblemException(ProblemDetail.of(415, "Unsupported Media Type",
                    "The body must be application/json, not " + contentType));
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
        } catch (CharacterCodingException e) {
            throw invalid("/", "is not UTF-8 text");
        }
        JsonNode tree;
        try (JsonParser parser = json.getFactory().createParser(bytes)) {
            parser.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature());
            tree = json.readTree(parser);
            if (parser.nextToken() != null) {
                throw invalid("/", "has content after the JSON value");
            }
        } catch (JsonProcessingException e) {
            throw invalid("/", "is not well-formed JSON");
        } catch (java.io.IOException e) {
            throw new IllegalStateException("reading a byte array cannot fail", e);
        }
        if (!(tree instanceof ObjectNode object)) {
            throw invalid("/", "must be a JSON object");
        }
        return new BodyFields(object, parameters);
    }

    /** An int parameter, or null when absent or JSON null; 4.5, "4" or 2^31 are errors. */
    Integer integer(String name) {
        JsonNode value = value(name);
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            return wrong(name, "must be an integer");
        }
        return value.intValue();
    }

    /** A long parameter, or null when absent or JSON null. */
    Long integral(String name) {
        JsonNode value = value(name);
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            return wrong(name, "must be an integer");
        }
        return value.longValue();
    }

    /** A string parameter, or null when absent or JSON null. */
    String text(String name) {
        JsonNode value = value(name);
        if (value == null) {
            return null;
        }
        return value.isTextual() ? value.textValue() : wrong(name, "must be a string");
    }

    /** A boolean parameter, or null when absent or JSON null. */
    Boolean bool(String name) {
        JsonNode value = value(name);
        if (value == null) {
            return null;
        }
        return value.isBoolean() ? value.booleanValue() : wrong(name, "must be true or false");
    }

    /** An array of strings, or null when absent or JSON null; an element that is not a string is an error at its pointer. */
    List<String> texts(String name) {
        JsonNode value = value(name);
        if (value == null) {
            return null;
        }
        if (!value.isArray()) {
            return wrong(name, "must be an array of strings");
        }
        List<String> texts = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            JsonNode element = value.get(i);
            if (element.isTextual()) {
                texts.add(element.textValue());
            } else {
                errors.add(new FieldViolation("/" + escape(name) + "/" + i, "must be a string"));
            }
        }
        return texts;
    }

    /** A JSON object parameter whose members the caller checks, or null when absent or JSON null. */
    ObjectNode object(String name) {
        JsonNode value = value(name);
        if (value == null) {
            return null;
        }
        return value instanceof ObjectNode object ? object : wrong(name, "must be a JSON object");
    }

    /** 400 listing every unknown or mistyped parameter found so far. */
    void requireValid() {
        if (!errors.isEmpty()) {
            throw new ValidationFailedException("The request body is invalid", errors);
        }
    }

    private JsonNode value(String name) {
        JsonNode value = body.get(name);
        return value == null || value.isNull() ? null : value;
    }

    private <T> T wrong(String name, String message) {
        errors.add(new FieldViolation("/" + escape(name), message));
        return null;
    }

    private static ValidationFailedException invalid(String pointer, String message) {
        return new ValidationFailedException("The request body could not be read",
                List.of(new FieldViolation(pointer, message)));
    }

    private static boolean isJson(String contentType) {
        String type = contentType.split(";", 2)[0].strip().toLowerCase(java.util.Locale.ROOT);
        return type.equals("application/json") || type.startsWith("application/") && type.endsWith("+json");
    }

    private static List<String> iterable(ObjectNode body) {
        List<String> names = new ArrayList<>();
        body.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String escape(String field) {
        return field.replace("~", "~0").replace("/", "~1");
    }
}
