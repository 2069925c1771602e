package io.cohort.ingest.messaging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;

/**
 * Whether the cluster the events producer writes to answers, and holds the events topic: a real
 * round trip (describe cluster, then describe topic) with short timeouts. The producer's own
 * metadata is cached for minutes and says nothing about a broker that went away, so the probe
 * asks the brokers itself, with the producer's connection settings. The answer is kept for
 * {@code cacheFor} so frequent probes do not become load.
 */
public final class BrokerProbe implements AutoCloseable {

    /** What the last round trip found; {@code detail} names the failure when not reachable. */
    public record State(boolean reachable, String detail, int brokers, Instant checkedAt) {
    }

    private final Map<String, Object> connection;
    private final String topic;
    private final Duration timeout;
    private final Duration cacheFor;
    private final Clock clock;
    private Admin admin;
    private State last;

    /** @param connection bootstrap servers and security settings, as the producer uses them */
    public BrokerProbe(Map<String, Object> connection, String topic, Duration timeout, Duration cacheFor, Clock clock) {
        this.connection = Map.copyOf(connection);
        this.topic = topic;
        this.timeout = timeout;
        this.cacheFor = cacheFor;
        this.clock = clock;
    }

    /** The cached state while fresh, otherwise a new round trip (at most one at a time). */
    public synchronized State state() {
        Instant now = clock.instant();
        if (last == null || !now.isBefore(last.checkedAt().plus(cacheFor))) {
            last = probe(now);
        }
        return last;
    }

    private State probe(Instant now) {
        int timeoutMs = (int) timeout.toMillis();
        try {
            Admin client = admin();
            int brokers = client.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs)).nodes()
                    .get(timeoutMs + 500L, TimeUnit.MILLISECONDS).size();
            TopicDescription description = client.describeTopics(List.of(topic),
                    new DescribeTopicsOptions().timeoutMs(timeoutMs)).allTopicNames()
                    .get(timeoutMs + 500L, TimeUnit.MILLISECONDS).get(topic);
            if (brokers == 0 || description == null || description.partitions().isEmpty()) {
                return new State(false, "no broker or no partition of " + topic, brokers, now);
            }
            return new State(true, null, brokers, now);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new State(false, "interrupted", 0, now);
        } catch (ExecutionException e) {
            return new State(false, e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage(), 0, now);
        } catch (TimeoutException e) {
            return new State(false, "no answer within " + timeout, 0, now);
        } catch (RuntimeException e) {
            // e.g. bootstrap servers that do not resolve: the admin client cannot even be created
            return new State(false, e.getClass().getSimpleName() + ": " + e.getMessage(), 0, now);
        }
    }

    private Admin admin() {
        if (admin == null) {
            Map<String, Object> config = new HashMap<>(connection);
            config.put(AdminClientConfig.CLIENT_ID_CONFIG, "ingest-events-readiness");
            config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
            config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
            // keep reconnect attempts short so a broker that comes back is seen at the next probe
            config.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
            admin = Admin.create(config);
        }
        return admin;
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
            admin = null;
        }
    }
}
