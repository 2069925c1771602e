package io.cohort.feature.messaging;

import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;

/** Reads a consumed record's JSON value; one that is missing or unreadable is an {@link UnprocessableRecordException}. */
final class RecordValues {

    private RecordValues() {
    }

    static <T> T read(ObjectReader reader, byte[] value, String what) {
        if (value == null) {
            throw new UnprocessableRecordException("no value (a tombstone), not " + what);
        }
        T read;
        try {
            read = reader.readValue(value);
        } catch (IOException e) {
            throw new UnprocessableRecordException("not a readable " + what, e);
        }
        if (read == null) {
            throw new UnprocessableRecordException("JSON null, not " + what);
        }
        return read;
    }
}
