package io.cohort.support.streams;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A state-store value as a format byte followed by a layout written with {@link StoreBytes}. Values
 * an earlier version stored as JSON (first byte '{', which no format byte equals) are still read
 * through Jackson, so existing changelogs restore after an upgrade. Null stays null (a delete or a
 * tombstone). For internal stores and topics only: contracts between services stay JSON.
 */
public final class BinarySerde<T> implements Serde<T> {

    /** The first binary layout. A service that changes a layout bumps its byte and keeps reading the old one. */
    public static final int FORMAT_1 = 1;
    private static final int JSON_START = '{';

    private final JsonSerde<T> legacy;
    private final Class<T> type;
    private final int capacity;
    private final BiConsumer<StoreBytes.Out, T> write;
    private final Function<StoreBytes.In, T> read;

    /**
     * @param json     reads values stored as JSON before the binary layout existed
     * @param capacity the first buffer size (a typical value's length, to avoid growing)
     */
    public BinarySerde(ObjectMapper json, Class<T> type, int capacity, BiConsumer<StoreBytes.Out, T> write,
            Function<StoreBytes.In, T> read) {
        this.legacy = new JsonSerde<>(json, type);
        this.type = type;
        this.capacity = capacity;
        this.write = write;
        this.read = read;
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> {
            if (value == null) {
                return null;
            }
            StoreBytes.Out out = new StoreBytes.Out(capacity);
            out.writeByte(FORMAT_1);
            write.accept(out, value);
            return out.toByteArray();
        };
    }

    @Override
    public Deserializer<T> deserializer() {
        Deserializer<T> json = legacy.deserializer();
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length > 0 && bytes[0] == JSON_START) {
                return json.deserialize(topic, bytes);
            }
            if (bytes.length == 0 || bytes[0] != FORMAT_1) {
                throw new SerializationException("unknown format of a stored " + type.getSimpleName());
            }
            return read.apply(new StoreBytes.In(bytes, 1));
        };
    }
}
