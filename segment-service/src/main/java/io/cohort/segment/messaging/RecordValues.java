package io.cohort.segment.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads the JSON value of a record consumed as bytes. Consumers take bytes, not typed values, so
 * a record that cannot be read is still at hand, byte for byte, to be dead-lettered.
 */
@ApplicationScoped
public class RecordValues {

    private final ObjectMapper json;

    public RecordValues(ObjectMapper json) {
        this.json = json;
    }

    /** The subscriber id key; a record without one belongs to nobody and is unusable. */
    public static String subscriberKey(ConsumerRecord<String, byte[]> record) {
        if (record.key() == null || record.key().isBlank()) {
            throw new UnusableRecordException("record has no subscriber id key");
        }
        return record.key();
    }

    /** The value as {@code type}, null for a tombstone (a null value). */
    public <T> T read(ConsumerRecord<String, byte[]> record, Class<T> type) {
        if (record.value() == null) {
            return null;
        }
        try {
            T value = json.readValue(record.value(), type);
            if (value == null) {
                throw new UnusableRecordException("value is JSON null, not a " + type.getSimpleName());
            }
            return value;
        } catch (IOException e) {
            throw new UnusableRecordException("value is not readable as a " + type.getSimpleName(), e);
        }
    }

    /** A value naming another subscriber than its key would be applied to the wrong view. */
    public static void requireSameSubscriber(ConsumerRecord<String, byte[]> record, String subscriberId) {
        if (subscriberId != null && !subscriberId.equals(record.key())) {
            throw new UnusableRecordException("subscriberId in the value differs from the record key");
        }
    }
}
