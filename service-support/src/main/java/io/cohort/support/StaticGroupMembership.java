package io.cohort.support;

import io.smallrye.reactive.messaging.ClientCustomizer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * Static group membership (KIP-345) for every Kafka consumer of a service, when the deployment names
 * the instance ({@code cohort.kafka.group-instance-id}, on Kubernetes the pod name). A container that
 * is killed and restarted in the same pod rejoins under the same {@code group.instance.id} and gets
 * its partitions back at once, without waiting for the dead member's session to time out and without
 * a rebalance of the others. The cost: a pod that goes away for good holds its partitions until
 * {@code session.timeout.ms} passes (docs/OPERATIONS.md). Unset (local runs, tests): members are dynamic,
 * because several instances on one host would share a name and fence each other.
 */
@ApplicationScoped
public class StaticGroupMembership implements ClientCustomizer<Map<String, Object>> {

    static final String INSTANCE_ID = "cohort.kafka.group-instance-id";
    static final String GROUP_INSTANCE_ID = "group.instance.id";

    @Override
    public Map<String, Object> customize(String channel, Config channelConfig, Map<String, Object> config) {
        Optional<String> instance = channelConfig.getOptionalValue(INSTANCE_ID, String.class)
                .or(() -> org.eclipse.microprofile.config.ConfigProvider.getConfig()
                        .getOptionalValue(INSTANCE_ID, String.class));
        return withInstanceId(instance, channel, config);
    }

    /**
     * The consumer config with {@code group.instance.id = <instance>-<channel>}: one per channel, since
     * channels of one service may share a group. Producers (no {@code group.id}) and an explicit setting stay.
     */
    static Map<String, Object> withInstanceId(Optional<String> instance, String channel, Map<String, Object> config) {
        if (instance.isEmpty() || instance.get().isBlank() || !config.containsKey("group.id")
                || config.containsKey(GROUP_INSTANCE_ID)) {
            return config;
        }
        Map<String, Object> customized = new HashMap<>(config);
        customized.put(GROUP_INSTANCE_ID, instance.get().strip() + "-" + channel);
        return customized;
    }
}
