package io.cohort.feature.streaming;

import io.cohort.feature.domain.AccountContribution;
import io.cohort.feature.domain.AccountTally;

/**
 * What a subscriber task sends an account (repartition topic keyed by account): a group call's
 * traits, or else the subscriber's new contribution ({@code contribution} null withdraws it).
 */
public record AccountInput(String accountId, String subscriberId, AccountContribution contribution,
        AccountTally.Traits traits) {
}
