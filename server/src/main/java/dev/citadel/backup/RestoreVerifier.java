package dev.citadel.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import org.springframework.stereotype.Component;

import dev.citadel.audit.AuditTrail;
import dev.citadel.auditverifier.SignedDocument;
import dev.citadel.platform.TenantId;
import dev.citadel.registry.Models;
import dev.citadel.storage.EncryptedBlobs;
import dev.citadel.storage.StoredBlob;

/**
 * The second half of a restore, on the restored installation as a server would start on it: the
 * manifest's signature under the restored audit key; every blob decrypted with its tenant's key
 * and checked against its recorded digest; every audit chain (the platform's and each tenant's,
 * erased ones included); and every model version's signature and artifact digest.
 */
@Component
class RestoreVerifier {

    private final AuditTrail audit;
    private final EncryptedBlobs blobs;
    private final Models models;

    RestoreVerifier(AuditTrail audit, EncryptedBlobs blobs, Models models) {
        this.audit = audit;
        this.blobs = blobs;
        this.models = models;
    }

    record Report(List<String> problems, String summary) {}

    Report verify(RestoreLoader.Loaded loaded, PrintStream out) {
        List<String> problems = new ArrayList<>();
        SignedDocument.Verification manifest = SignedDocument.verify(loaded.signedManifest(), BackupJob.FORMAT,
                audit.publicKeys());
        if (!manifest.valid()) {
            problems.add("the manifest's signature does not verify with the restored audit key: " + manifest.problem());
        }
        out.println("restore: manifest signature " + (manifest.valid() ? "verified" : "INVALID"));

        int chains = 0;
        List<TenantId> everyone = new ArrayList<>();
        everyone.add(TenantId.PLATFORM);
        loaded.tenants().forEach(t -> everyone.add(new TenantId(t)));
        for (TenantId tenant : everyone) {
            AuditTrail.Verification verification = audit.verify(tenant);
            chains++;
            if (!verification.valid()) {
                problems.add("the audit chain of " + tenant.value() + " does not verify: " + verification.problem()
                        + (verification.firstInvalidEntry() == null ? "" : " (first bad entry "
                                + verification.firstInvalidEntry() + ")"));
            }
        }
        out.println("restore: " + chains + " audit chains checked");

        int checkedBlobs = 0;
        int checkedModels = 0;
        for (String id : loaded.tenants()) {
            if (loaded.shredded().contains(id)) {
                continue;
            }
            TenantId tenant = new TenantId(id);
            for (StoredBlob blob : blobs.list(tenant)) {
                try (InputStream in = blobs.read(blob.context())) {
                    in.transferTo(OutputStream.nullOutputStream());
                    checkedBlobs++;
                } catch (IOException | RuntimeException e) {
                    problems.add("blob " + blob.storeKey() + " does not decrypt to its digest: " + e.getMessage());
                }
            }
            for (Models.ModelView model : models.list(tenant)) {
                for (Models.VersionView version : models.versions(tenant, model.name())) {
                    try {
                        models.load(tenant, model.name(), version.version());
                        checkedModels++;
                    } catch (RuntimeException e) {
                        problems.add("model " + id + "/" + model.name() + " v" + version.version()
                                + " does not verify: " + e.getMessage());
                    }
                }
            }
        }
        out.println("restore: " + checkedBlobs + " blobs decrypted and checked, " + checkedModels
                + " model signatures verified");
        String summary = loaded.rows() + " rows, " + loaded.tenants().size() + " tenants ("
                + loaded.shredded().size() + " shredded), " + checkedBlobs + " blobs, " + checkedModels + " models, "
                + chains + " audit chains";
        return new Report(List.copyOf(problems), summary);
    }
}
