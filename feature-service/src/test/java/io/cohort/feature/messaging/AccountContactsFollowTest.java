package io.cohort.feature.messaging;

import static io.cohort.feature.messaging.FeatureTopics.send;
import static io.cohort.feature.messaging.FeatureTopics.vectors;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cohort.contracts.EventEnvelope;
import io.cohort.contracts.EventType;
import io.cohort.contracts.FeatureNames;
import io.cohort.contracts.FeatureVector;
import io.cohort.contracts.Topics;
import io.cohort.devstack.DevStackTestResource;
import io.cohort.devstack.TopicRecords;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every contact's account features follow the account (issue 15, item 7): when a fourth contact joins,
 * the three others are republished with four contacts. Coalescing off here; {@link AccountContactsCoalescedTest}
 * runs the same with it on.
 */
@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
class AccountContactsFollowTest {

    static final Duration WAIT = Duration.ofSeconds(60);
    static TopicRecords features;

    @Inject
    AccountRefresh refresh;

    @Inject
    io.cohort.feature.persistence.FeatureStore store;

    @BeforeAll
    static void readFeatures() {
        features = new TopicRecords(FeatureTopics.bootstrap(), Topics.FEATURES);
    }

    @AfterAll
    static void close() {
        features.close();
    }

    /** A RudderStack/Segment group call: the contact joins the account. */
    static EventEnvelope group(String user, String account, Map<String, Object> traits) {
        Instant at = Instant.now();
        return new EventEnvelope(1, UUID.randomUUID().toString(), EventType.GROUP, user, null, account, null, null,
                null, traits, null, at, null, at);
    }

    static double contactsOnLatestVector(String user) {
        List<FeatureVector> published = vectors(features, user);
        if (published.isEmpty() || published.get(published.size() - 1) == null) {
            return -1;
        }
        return published.get(published.size() - 1).features().getOrDefault(FeatureNames.ACCOUNT_CONTACTS, -1.0);
    }

    /** Refreshes until every contact's latest published vector shows {@code contacts}. */
    void awaitContacts(List<String> contacts, double expected) {
        await().atMost(WAIT).untilAsserted(() -> {
            refresh.refreshOnce();
            for (String contact : contacts) {
                assertEquals(expected, contactsOnLatestVector(contact), "the latest vector published for a contact");
                given().get("/v1/subscribers/{id}/features", contact).then().statusCode(200)
                        .body("features.account_contacts", equalTo((float) expected));
            }
        });
    }

    @Test
    void aFourthContactIsCountedOnTheVectorsOfTheThreeOthers() {
        String account = "acct-" + UUID.randomUUID();
        List<String> contacts = IntStream.range(0, 4).mapToObj(i -> "u-" + UUID.randomUUID()).toList();
        for (String contact : contacts.subList(0, 3)) {
            send(group(contact, account, Map.of("name", "Acme", "plan", "pro")));
        }
        awaitContacts(contacts.subList(0, 3), 3);

        send(group(contacts.get(3), account, Map.of("name", "Acme", "plan", "pro")));
        given().get("/v1/accounts/{id}/features", account);
        awaitContacts(contacts, 4);
        given().get("/v1/accounts/{id}/features", account).then().statusCode(200).body("contacts", equalTo(4));
    }

    @Test
    void aRefreshWhosePublishWasLostIsPublishedByTheNextOne() {
        String account = "acct-" + UUID.randomUUID();
        List<String> contacts = IntStream.range(0, 4).mapToObj(i -> "u-" + UUID.randomUUID()).toList();
        for (String contact : contacts.subList(0, 3)) {
            send(group(contact, account, Map.of("name", "Acme")));
        }
        awaitContacts(contacts.subList(0, 3), 3);
        send(group(contacts.get(3), account, Map.of("name", "Acme")));
        await().atMost(WAIT).untilAsserted(() -> given().get("/v1/accounts/{id}/features", account)
                .then().statusCode(200).body("contacts", equalTo(4)));

        // a refresh computes and stores the contacts' new vectors, then its send fails: nothing is
        // published and no publish is confirmed
        store.accountRefreshBatch(10_000);
        awaitContacts(contacts, 4);
    }
}
