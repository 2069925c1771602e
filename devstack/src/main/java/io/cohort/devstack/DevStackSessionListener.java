package io.cohort.devstack;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Stops the shared devstack when the JUnit session of a test JVM ends, while the test fork is
 * still running normally, rather than in a JVM shutdown hook racing the fork's own exit.
 * Registered through {@code META-INF/services}; a no-op when no test started the devstack.
 */
public class DevStackSessionListener implements LauncherSessionListener {

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        DevStack.stopShared();
    }
}
