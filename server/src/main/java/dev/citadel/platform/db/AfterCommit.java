package dev.citadel.platform.db;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** Work that must see the caller's change: run once the caller's transaction commits, or now outside one. */
public final class AfterCommit {

    private AfterCommit() {}

    /** Runs {@code work} after the current transaction commits (never if it rolls back), or at once without one. */
    public static void run(Runnable work) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    work.run();
                }
            });
        } else {
            work.run();
        }
    }
}
