package io.cohort.ingest.api;

import io.cohort.devstack.DevStackTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** One half of {@link DuplicateAcrossRestart}, in the default-profile application instance. */
@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
class DuplicateAcrossRestartTest {

    @Inject
    DataSource data;

    @Test
    void aMessageIdSeenByTheOtherInstanceIsADuplicate() throws Exception {
        DuplicateAcrossRestart.run(data);
    }
}
