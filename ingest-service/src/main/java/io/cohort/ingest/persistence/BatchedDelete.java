package io.cohort.ingest.persistence;

import io.quarkus.narayana.jta.QuarkusTransaction;
import java.util.function.IntSupplier;

/**
 * The loop the purges share: delete at most {@code batchSize} rows per transaction, each batch its
 * own short transaction (so a purge never holds long locks against the intake), until a batch
 * comes back short.
 */
final class BatchedDelete {

    private BatchedDelete() {
    }

    /** Runs {@code deleteBatch} (which deletes at most {@code batchSize} rows) until done; returns the total. */
    static long inBatches(int batchSize, IntSupplier deleteBatch) {
        long total = 0;
        int deleted;
        do {
            deleted = QuarkusTransaction.requiringNew().call(deleteBatch::getAsInt);
            total += deleted;
        } while (deleted == batchSize);
        return total;
    }
}
