package dev.citadel.compliance.erasure;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import dev.citadel.audit.AuditEvent;
import dev.citadel.audit.AuditLog;
import dev.citadel.audit.AuditOutcome;
import dev.citadel.auditverifier.SignedDocument;
import dev.citadel.crypto.AuditSigningKey;
import dev.citadel.datasets.Datasets;
import dev.citadel.platform.TenantId;
import dev.citadel.platform.db.TenantTransactions;
import dev.citadel.platform.jobs.JobContext;
import dev.citadel.platform.jobs.JobHandler;
import dev.citadel.registry.Models;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs an erasure: a whole dataset, or a data subject (every row whose tokenized columns hold the
 * subject's token, in every version of every dataset or of the named ones, rewritten into new
 * versions while the old ones are erased). Models trained on an erased version are flagged for
 * retraining. Ends with a deletion certificate signed by the platform's audit key. Safe to run
 * again: versions already erased are skipped, and the first certificate stored is kept.
 */
@Component
class ErasureJob implements JobHandler {

    static final String KIND = "compliance.erasure";
    static final String FORMAT = "citadel-erasure-certificate/v1";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Datasets datasets;
    private final Models models;
    private final ErasureCertificates certificates;
    private final ObjectProvider<AuditSigningKey> signingKey;
    private final AuditLog audit;
    private final TenantTransactions transactions;
    private final Clock clock;

    ErasureJob(Datasets datasets, Models models, ErasureCertificates certificates, ObjectProvider<AuditSigningKey> signingKey,
            AuditLog audit, TenantTransactions transactions, Clock clock) {
        this.datasets = datasets;
        this.models = models;
        this.certificates = certificates;
        this.signingKey = signingKey;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Map<String, String> run(JobContext context) throws Exception {
        TenantId tenant = context.tenant();
        Map<String, String> params = context.params();
        String scope = params.get("scope");
        String reason = "erasure " + context.jobId();
        List<Datasets.ErasedVersion> erased = new ArrayList<>();
        List<Map<String, Object>> replaced = new ArrayList<>();
        List<String> flagged = new ArrayList<>();
        long removedRows = 0;
        if (scope.equals("dataset")) {
            String name = params.get("dataset");
            context.progress("erasing dataset " + name, 10);
            erased.addAll(datasets.eraseDataset(tenant, name, reason));
            flagged.addAll(models.requireRetraining(tenant, name,
                    erased.stream().map(Datasets.ErasedVersion::version).collect(Collectors.toSet()),
                    "training data erased (" + reason + ")"));
        } else {
            String token = params.get("token");
            List<String> names = params.containsKey("datasets") && !params.get("datasets").isEmpty()
                    ? List.of(params.get("datasets").split(","))
                    : datasets.list(tenant).stream().map(Datasets.DatasetView::name).toList();
            int done = 0;
            for (String name : names) {
                context.progress("searching dataset " + name, 5 + 85 * done++ / Math.max(1, names.size()));
                if (context.cancelRequested()) {
                    break;
                }
                Set<Integer> affected = new TreeSet<>();
                for (Datasets.VersionView version : datasets.versions(tenant, name)) {
                    var result = datasets.eraseSubject(tenant, name, version.version(), token, reason);
                    if (result.isPresent()) {
                        Datasets.SubjectErasure erasure = result.get();
                        erased.add(erasure.replaced());
                        affected.add(version.version());
                        removedRows += erasure.removedRows();
                        Map<String, Object> entry = new LinkedHashMap<>();
                        entry.put("dataset", name);
                        entry.put("replacedVersion", version.version());
                        entry.put("newVersion", erasure.newVersion());
                        entry.put("newSha256", erasure.newSha256());
                        entry.put("removedRows", erasure.removedRows());
                        replaced.add(entry);
                    }
                }
                if (!affected.isEmpty()) {
                    flagged.addAll(models.requireRetraining(tenant, name, affected, "training data held an erased "
                            + "subject (" + reason + ")"));
                }
            }
        }
        context.progress("signing the certificate", 95);
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("id", context.jobId().toString());
        document.put("tenant", tenant.value());
        document.put("scope", scope);
        if (params.containsKey("dataset")) {
            document.put("dataset", params.get("dataset"));
        }
        if (params.containsKey("token")) {
            document.put("subjectToken", params.get("token"));
        }
        document.put("requestedBy", params.get("requestedBy"));
        document.put("requestedAt", params.get("requestedAt"));
        document.put("completedAt", clock.instant().toString());
        document.put("erasedObjects", erased.stream().map(e -> {
            Map<String, Object> object = new LinkedHashMap<>();
            object.put("kind", "dataset-version");
            object.put("dataset", e.dataset());
            object.put("version", e.version());
            object.put("sha256", e.sha256());
            object.put("rows", e.rows());
            object.put("storedBytes", e.storedBytes());
            return object;
        }).toList());
        document.put("replacementVersions", replaced);
        document.put("removedRows", removedRows);
        document.put("modelsNeedingRetraining", flagged);
        document.put("keysDestroyed", List.of());
        long removed = removedRows;
        AuditSigningKey key = signingKey.getObject();
        String signed = SignedDocument.sign(FORMAT, JSON.writeValueAsString(document), key.keyId(), key::sign);
        transactions.inTenant(tenant, () -> {
            certificates.store(tenant, context.jobId(), scope, signed, clock.instant());
            TreeMap<String, String> details = new TreeMap<>();
            details.put("scope", scope);
            details.put("erasedVersions", Integer.toString(erased.size()));
            details.put("removedRows", Long.toString(removed));
            details.put("modelsFlagged", Integer.toString(flagged.size()));
            audit.append(new AuditEvent(tenant, params.get("requestedBy"), "erasure.complete", "erasure",
                    context.jobId().toString(), AuditOutcome.SUCCESS, details));
        });
        Map<String, String> result = new TreeMap<>();
        result.put("erasedVersions", Integer.toString(erased.size()));
        result.put("newVersions", Integer.toString(replaced.size()));
        result.put("removedRows", Long.toString(removedRows));
        result.put("modelsNeedingRetraining", String.join(",", flagged));
        return result;
    }
}
