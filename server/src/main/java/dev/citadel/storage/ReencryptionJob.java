package dev.citadel.storage;

import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import dev.citadel.platform.jobs.JobContext;
import dev.citadel.platform.jobs.JobHandler;

/**
 * After a key rotation, moves every blob of the tenant to the new primary key, one atomic
 * replacement at a time, reporting progress. Safe to run again after a crash: it only touches
 * blobs still encrypted with an older key.
 */
@Component
class ReencryptionJob implements JobHandler {

    static final String KIND = "keys.reencrypt";

    private final EncryptedBlobs blobs;

    ReencryptionJob(EncryptedBlobs blobs) {
        this.blobs = blobs;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Map<String, String> run(JobContext context) {
        List<StoredBlob> pending = blobs.needingReencryption(context.tenant());
        int done = 0;
        context.progress("re-encrypting " + pending.size() + " blobs", 0);
        for (StoredBlob blob : pending) {
            if (context.cancelRequested()) {
                break;
            }
            blobs.reencrypt(blob);
            done++;
            context.progress("re-encrypted " + done + " of " + pending.size() + " blobs", done * 100 / pending.size());
        }
        return Map.of("blobs", Integer.toString(pending.size()), "reencrypted", Integer.toString(done));
    }
}
