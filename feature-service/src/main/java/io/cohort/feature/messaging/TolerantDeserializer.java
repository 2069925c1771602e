package io.cohort.feature.messaging;

import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;
import org.jboss.logging.Logger;

/**
 * Reads JSON records and turns an unreadable one (a poison record) into a null value instead of
 * an exception, so one bad record cannot stop the consumer; the consumer skips null values. Only
 * the exception type is logged: the payload and parser message may carry personal data.
 */
abstract class TolerantDeserializer<T> extends ObjectMapperDeserializer<T> {

    private static final Logger LOG = Logger.getLogger(TolerantDeserializer.class);

    TolerantDeserializer(Class<T> type) {
        super(type);
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        try {
            return super.deserialize(topic, data);
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            LOG.warnf("skipping an unreadable record on %s (%s)", topic, cause.getClass().getSimpleName());
            return null;
        }
    }
}
