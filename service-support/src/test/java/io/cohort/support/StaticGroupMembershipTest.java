package io.cohort.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StaticGroupMembershipTest {

    @Test
    void aNamedInstanceGivesEachConsumerChannelItsOwnStaticId() {
        Map<String, Object> consumer = Map.of("group.id", "segment-service", "bootstrap.servers", "k:9092");
        assertEquals("segment-service-7d9f-x2-features-in", StaticGroupMembership.withInstanceId(
                Optional.of("segment-service-7d9f-x2"), "features-in", consumer).get("group.instance.id"));
        assertEquals("segment-service-7d9f-x2-scores-in", StaticGroupMembership.withInstanceId(
                Optional.of("segment-service-7d9f-x2"), "scores-in", consumer).get("group.instance.id"));
        assertEquals("k:9092", StaticGroupMembership.withInstanceId(
                Optional.of("p"), "features-in", consumer).get("bootstrap.servers"));
    }

    @Test
    void withoutANameOrForProducersMembershipStaysDynamic() {
        Map<String, Object> consumer = Map.of("group.id", "feature-service");
        assertFalse(StaticGroupMembership.withInstanceId(Optional.empty(), "events-in", consumer)
                .containsKey("group.instance.id"));
        assertFalse(StaticGroupMembership.withInstanceId(Optional.of(" "), "events-in", consumer)
                .containsKey("group.instance.id"));
        assertFalse(StaticGroupMembership.withInstanceId(Optional.of("pod-1"), "features-out",
                Map.of("acks", "all")).containsKey("group.instance.id"));
    }

    @Test
    void anExplicitSettingIsKept() {
        var config = Map.<String, Object>of("group.id", "g", "group.instance.id", "fixed");
        assertEquals("fixed", StaticGroupMembership.withInstanceId(Optional.of("pod-1"), "c", config)
                .get("group.instance.id"));
    }
}
