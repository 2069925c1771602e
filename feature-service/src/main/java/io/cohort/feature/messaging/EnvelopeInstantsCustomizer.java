package io.cohort.feature.messaging;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import io.cohort.contracts.IsoInstants;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Instant;

/**
 * Reads instants in their common text form with {@link IsoInstants#parseCommonForm}: every consumed
 * envelope carries three of them, and jsr310's formatter-based parsing was a twelfth of the service's
 * CPU while consuming. Any other token or form goes to jsr310's own deserializer, so the results and
 * the errors stay jsr310's.
 */
@Singleton
public class EnvelopeInstantsCustomizer implements ObjectMapperCustomizer {

    static final StdScalarDeserializer<Instant> INSTANTS = new StdScalarDeserializer<>(Instant.class) {
        @Override
        public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (parser.currentToken() == JsonToken.VALUE_STRING) {
                Instant common = IsoInstants.parseCommonForm(parser.getText().trim());
                if (common != null) {
                    return common;
                }
            }
            return InstantDeserializer.INSTANT.deserialize(parser, context);
        }
    };

    @Override
    public void customize(ObjectMapper mapper) {
        // a module registered later takes precedence over the JavaTimeModule for Instant
        mapper.registerModule(new SimpleModule("cohort-iso-instants").addDeserializer(Instant.class, INSTANTS));
    }

    @Override
    public int priority() {
        // applied after Quarkus' own customizers
        return MINIMUM_PRIORITY;
    }
}
