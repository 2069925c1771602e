package io.cohort.devstack;

import io.cohort.contracts.TopicSpec;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A single combined (broker + controller) KRaft node running in this JVM, built with Kafka's own
 * test kit. It is a real broker speaking the real protocol on a real socket; only the process
 * boundary is saved.
 */
public final class KafkaBroker implements AutoCloseable {

    private final KafkaClusterTestKit cluster;
    private final BootstrapForwarder forwarder;

    private KafkaBroker(KafkaClusterTestKit cluster, BootstrapForwarder forwarder) {
        this.cluster = cluster;
        this.forwarder = forwarder;
    }

    /**
     * @param port    listener port, or 0 for a free one
     * @param dataDir where logs live; null for a temporary directory deleted on close
     */
    public static KafkaBroker start(int port, Path dataDir) throws Exception {
        keepKafkaFromEndingTheJvm();
        TestKitNodes.Builder nodes = new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1);
        if (dataDir != null) {
            nodes.setBaseDirectory(dataDir);
        }
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes.build())
                .setDeleteOnClose(dataDir == null)
                // one node: internal topics cannot have more replicas than that
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("auto.create.topics.enable", "false")
                .setConfigProp("num.partitions", "3");
        KafkaClusterTestKit kit = builder.build();
        kit.format();
        kit.startup();
        kit.waitForReadyBrokers();
        BootstrapForwarder forwarder = null;
        if (port > 0) {
            // the kit binds its listener sockets itself on free ports; a fixed bootstrap address
            // is a forwarder in front of it (clients then follow the advertised listener)
            String[] hostPort = kit.bootstrapServers().split(",")[0].split(":");
            forwarder = BootstrapForwarder.start(port, hostPort[0], Integer.parseInt(hostPort[1]));
        }
        return new KafkaBroker(kit, forwarder);
    }

    /** The bootstrap address clients should use: the fixed port when one was asked for. */
    /**
     * An in-process broker shares the JVM with tests or the local run, and Kafka's server code calls
     * {@code Exit.exit/halt(1)} on conditions it deems fatal, typically while shutting down (a log
     * directory gone, a controller it can no longer reach). That would end a test JVM with exit code 1
     * after every test passed. Kafka's own test harnesses replace these procedures; so does the devstack,
     * reporting the request instead.
     */
    private static void keepKafkaFromEndingTheJvm() {
        Exit.setExitProcedure((code, message) -> System.err.println(
                "devstack: kafka asked to exit(" + code + ") and was ignored: " + message));
        Exit.setHaltProcedure((code, message) -> System.err.println(
                "devstack: kafka asked to halt(" + code + ") and was ignored: " + message));
    }

    public String bootstrapServers() {
        return forwarder != null ? "localhost:" + forwarder.port() : cluster.bootstrapServers();
    }

    /** Creates the topics that do not exist yet, with their cleanup policy and retention. */
    public void createTopics(Collection<TopicSpec> topics, int partitions)
            throws InterruptedException, ExecutionException {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            for (TopicSpec spec : topics) {
                NewTopic topic = new NewTopic(spec.name(), partitions, (short) 1).configs(Map.of(
                        "cleanup.policy", spec.cleanupPolicy(),
                        "retention.ms", Long.toString(spec.retentionMs())));
                try {
                    admin.createTopics(java.util.List.of(topic)).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }

    @Override
    public void close() throws Exception {
        if (forwarder != null) {
            forwarder.close();
        }
        cluster.close();
    }
}
