package io.cohort.devstack;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Points a {@code @QuarkusTest} at the JVM-wide devstack. {@link #stop()} leaves it running on
 * purpose: Quarkus may restart the application for another test profile, and the broker and
 * database should outlive that; a shutdown hook stops them with the test JVM.
 */
public class DevStackTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return DevStack.shared().quarkusConfig();
    }

    @Override
    public void stop() {
        // the shared stack is stopped by its shutdown hook when the test JVM exits
    }
}
