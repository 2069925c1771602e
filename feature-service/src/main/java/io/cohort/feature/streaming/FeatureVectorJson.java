package io.cohort.feature.streaming;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.contracts.FeatureVector;
import io.cohort.contracts.IsoInstants;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes a {@link FeatureVector} as the JSON the object mapper writes for it (fields in record
 * order, maps in their iteration order, nulls written, ISO-8601 instants; tested against the
 * mapper: the same tree, numbers equal as doubles) straight onto a generator: the bean and map serialisers were a sixth of
 * the stream thread's time in the JFR profile, as the vector goes out for nearly every event.
 */
final class FeatureVectorJson implements Serializer<FeatureVector> {

    private final JsonFactory factory;
    /** Feature and label names, encoded once (the catalogue is small; arbitrary names are capped). */
    private final Map<String, SerializedString> names = new ConcurrentHashMap<>();

    FeatureVectorJson(ObjectMapper json) {
        this.factory = json.getFactory();
    }

    private SerializableString name(String name) {
        SerializedString encoded = names.get(name);
        if (encoded == null) {
            encoded = new SerializedString(name);
            if (names.size() < 4096) {
                names.put(name, encoded);
            }
        }
        return encoded;
    }

    @Override
    public byte[] serialize(String topic, FeatureVector vector) {
        if (vector == null) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator g = factory.createGenerator(out)) {
            // shortest round-tripping digits (Schubfach) instead of Double.toString: the same doubles
            // come back, in a third of the time
            g.enable(JsonGenerator.Feature.USE_FAST_DOUBLE_WRITER);
            g.writeStartObject();
            g.writeNumberField("schemaVersion", vector.schemaVersion());
            g.writeStringField("subscriberId", vector.subscriberId());
            g.writeNumberField("version", vector.version());
            // what the mapper's InstantSerializer writes with WRITE_DATES_AS_TIMESTAMPS off (ISO_INSTANT)
            g.writeStringField("computedAt", vector.computedAt() == null ? null
                    : IsoInstants.format(vector.computedAt()));
            g.writeFieldName("features");
            if (vector.features() == null) {
                g.writeNull();
            } else {
                g.writeStartObject();
                for (Map.Entry<String, Double> feature : vector.features().entrySet()) {
                    g.writeFieldName(name(feature.getKey()));
                    if (feature.getValue() == null) {
                        g.writeNull();
                    } else {
                        g.writeNumber(feature.getValue());
                    }
                }
                g.writeEndObject();
            }
            g.writeFieldName("labels");
            if (vector.labels() == null) {
                g.writeNull();
            } else {
                g.writeStartObject();
                for (Map.Entry<String, String> label : vector.labels().entrySet()) {
                    g.writeFieldName(name(label.getKey()));
                    g.writeString(label.getValue());
                }
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new SerializationException("cannot write a FeatureVector", e);
        }
        return out.toByteArray();
    }
}
