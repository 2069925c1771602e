package io.cohort.ingest.api;

import io.cohort.devstack.DevStackTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The other half of {@link DuplicateAcrossRestart}: its own profile, so its own application instance. */
@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
@TestProfile(DuplicateAcrossRestartOtherInstanceTest.OtherInstance.class)
class DuplicateAcrossRestartOtherInstanceTest {

    public static class OtherInstance implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.application.name", "ingest-service-restarted");
        }
    }

    @Inject
    DataSource data;

    @Test
    void aMessageIdSeenByTheOtherInstanceIsADuplicate() throws Exception {
        DuplicateAcrossRestart.run(data);
    }
}
