package io.cohort.segment.api;

import io.cohort.contracts.http.FieldViolation;
import io.cohort.segment.domain.ConditionParser;
import io.cohort.segment.domain.SegmentDefinition;
import io.cohort.segment.domain.SegmentDefinitionParser;
import io.cohort.segment.domain.SegmentTemplates;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a create/preview/update body: a full definition, or {@code {"template": key, ...overrides}}
 * (name, holdoutPercent, actions) instantiating one of {@link SegmentTemplates}.
 */
final class DefinitionInput {

    static final SegmentDefinitionParser PARSER = new SegmentDefinitionParser(ConditionParser.standard());

    private DefinitionInput() {
    }

    record Parsed(SegmentDefinition definition, String template) {
    }

    static Parsed parse(Object body, String failure) {
        if (body instanceof Map<?, ?> map && map.containsKey("template")) {
            Object key = map.get("template");
            List<FieldViolation> errors = new ArrayList<>();
            Optional<SegmentTemplates.Template> template = key instanceof String k ? SegmentTemplates.find(k)
                    : Optional.empty();
            if (template.isEmpty()) {
                errors.add(new FieldViolation("/template", "must be one of " + SegmentTemplates.keys()));
            }
            for (Object property : map.keySet()) {
                if (!property.equals("template") && !SegmentTemplates.OVERRIDABLE.contains(property)) {
                    errors.add(new FieldViolation("/" + ConditionParser.escape(String.valueOf(property)),
                            "is not allowed with template; only " + String.join(", ", SegmentTemplates.OVERRIDABLE)
                                    + " may be given"));
                }
            }
            if (!errors.isEmpty()) {
                throw new ValidationFailedException(failure, errors);
            }
            return new Parsed(definition(SegmentTemplates.instantiate(template.get(), map), failure),
                    template.get().key());
        }
        return new Parsed(definition(body, failure), null);
    }

    static SegmentDefinition definition(Object body, String failure) {
        SegmentDefinitionParser.Result result = PARSER.parse(body);
        if (!result.isValid()) {
            throw new ValidationFailedException(failure, result.errors());
        }
        return result.definition();
    }
}
