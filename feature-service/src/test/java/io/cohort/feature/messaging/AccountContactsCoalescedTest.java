package io.cohort.feature.messaging;

import io.cohort.devstack.DevStackTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link AccountContactsFollowTest} with coalescing on (and small refresh batches). */
@QuarkusTest
@TestProfile(CoalescingTest.Coalescing.class)
@QuarkusTestResource(DevStackTestResource.class)
class AccountContactsCoalescedTest extends AccountContactsFollowTest {
}
