package dev.citadel.platform.jobs;

import java.util.Map;

import dev.citadel.platform.TenantId;

/**
 * The work behind one job kind. Implementations are beans; the runner finds them by {@link #kind()}.
 * A handler reports progress through its {@link JobContext}, checks for cancellation between
 * steps, and must be safe to run again after a crash (a job whose worker died is retried).
 */
public interface JobHandler {

    String kind();

    /** Runs the job; the returned map becomes the job's result. Throwing fails the job with that message. */
    Map<String, String> run(JobContext context) throws Exception;

    /** How many jobs of this kind {@code tenant} may run at once. */
    default int perTenantConcurrency(TenantId tenant) {
        return 1;
    }
}
