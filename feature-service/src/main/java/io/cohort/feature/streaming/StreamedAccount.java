package io.cohort.feature.streaming;

import io.cohort.feature.domain.AccountRollup;
import io.cohort.feature.domain.AccountTally;
import java.util.List;

/**
 * An account in the {@code account-tallies} store: the running sums, the rollup last fanned out to
 * its contacts (null: none yet) and the contacts that joined since (they get the rollup even when it
 * did not change).
 */
public record StreamedAccount(AccountTally tally, AccountRollup published, List<String> newContacts) {

    public StreamedAccount {
        newContacts = newContacts == null ? List.of() : List.copyOf(newContacts);
    }
}
