package io.cohort.support.streams;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * JSON for Kafka Streams state store values, internal topics and outputs, through Jackson (records
 * only; never Java serialization). Null stays null, so a null value is still a delete or a tombstone.
 */
public final class JsonSerde<T> implements Serde<T> {

    private final ObjectMapper json;
    private final Class<T> type;

    public JsonSerde(ObjectMapper json, Class<T> type) {
        this.json = json;
        this.type = type;
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> {
            if (value == null) {
                return null;
            }
            try {
                return json.writeValueAsBytes(value);
            } catch (IOException e) {
                throw new SerializationException("cannot write a " + type.getSimpleName(), e);
            }
        };
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return json.readValue(bytes, type);
            } catch (IOException e) {
                throw new SerializationException("cannot read a " + type.getSimpleName(), e);
            }
        };
    }
}
