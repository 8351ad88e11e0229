package dev.citadel.platform.jobs;

import java.util.Map;
import java.util.UUID;

import dev.citadel.platform.TenantId;

/** What a running job sees: whose it is, its parameters, a progress reporter, a cancellation flag. */
public interface JobContext {

    UUID jobId();

    TenantId tenant();

    Map<String, String> params();

    /** Records progress (0–100) and renews the lease; cheap enough to call per step. */
    void progress(String phase, int percent);

    /** Whether someone asked to cancel; handlers stop at the next safe point and return. */
    boolean cancelRequested();
}
