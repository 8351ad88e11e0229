package dev.citadel.compliance;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Service;

import dev.citadel.audit.AuditEvent;
import dev.citadel.audit.AuditLog;
import dev.citadel.audit.AuditOutcome;
import dev.citadel.audit.AuditTrail;
import dev.citadel.compliance.reports.AccessReview;
import dev.citadel.compliance.reports.Control;
import dev.citadel.crypto.KeyVersion;
import dev.citadel.crypto.TenantKeys;
import dev.citadel.datasets.Datasets;
import dev.citadel.platform.TenantId;
import dev.citadel.platform.access.TenantScope;
import dev.citadel.platform.db.TenantTransactions;
import dev.citadel.registry.Models;
import dev.citadel.storage.StorageRegions;
import dev.citadel.tenancy.Members;
import dev.citadel.tenancy.Tenants;

/**
 * The tenant's access review and compliance report (tenant admins and auditors). Every figure is
 * read when the report is made: the audit chain is verified, keys, members, policies, datasets and
 * models are counted; a control Citadel cannot show evidence for is reported as not configured.
 */
@Service
public class Reports {

    private final Members members;
    private final TenantKeys keys;
    private final AuditTrail trail;
    private final Policies policies;
    private final Erasures erasures;
    private final Datasets datasets;
    private final Models models;
    private final Tenants tenants;
    private final StorageRegions regions;
    private final Retention retention;
    private final Environment environment;
    private final AuditLog audit;
    private final TenantTransactions transactions;
    private final Clock clock;
    private final AccessReview.Thresholds thresholds;

    Reports(Members members, TenantKeys keys, AuditTrail trail, Policies policies, Erasures erasures, Datasets datasets,
            Models models, Tenants tenants, StorageRegions regions, Retention retention, Environment environment,
            AuditLog audit,
            TenantTransactions transactions, Clock clock,
            @Value("${citadel.compliance.stale-after:90d}") Duration staleAfter,
            @Value("${citadel.compliance.secret-max-age:90d}") Duration secretMaxAge) {
        this.members = members;
        this.keys = keys;
        this.trail = trail;
        this.policies = policies;
        this.erasures = erasures;
        this.datasets = datasets;
        this.models = models;
        this.tenants = tenants;
        this.regions = regions;
        this.retention = retention;
        this.environment = environment;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
        this.thresholds = new AccessReview.Thresholds(staleAfter, secretMaxAge);
    }

    public record ComplianceReport(String tenant, String region, Instant generatedAt, Map<String, Long> statusCounts,
            List<Control> controls) {}

    public AccessReview.Report accessReview(TenantScope scope) {
        AccessReview.Report report = AccessReview.of(scope.tenant().value(), members.accessEntries(scope), thresholds,
                clock.instant());
        recordRead(scope.tenant(), "access-review");
        return report;
    }

    public ComplianceReport compliance(TenantScope scope) {
        TenantId tenant = scope.tenant();
        Instant now = clock.instant();
        Tenants.TenantView view = tenants.find(tenant).orElseThrow();
        AccessReview.Report review = AccessReview.of(tenant.value(), members.accessEntries(scope), thresholds, now);
        List<Control> controls = new ArrayList<>();

        // encryption at rest and key rotation
        List<KeyVersion> keyVersions = keys.list(tenant);
        Instant newestKey = keyVersions.stream().filter(KeyVersion::primary).map(KeyVersion::createdAt)
                .max(Instant::compareTo).orElse(null);
        Map<String, Object> keyEvidence = new LinkedHashMap<>();
        keyEvidence.put("blobEncryption", "AES-256-GCM-HKDF streaming AEAD, the tenant's own keyset, bound to tenant, "
                + "kind, object and version");
        keyEvidence.put("primaryKeys", keyVersions.stream().filter(KeyVersion::primary)
                .map(k -> Map.of("purpose", k.purpose(), "keyId", k.keyId(), "createdAt", k.createdAt().toString())).toList());
        keyEvidence.put("keyVersions", keyVersions.size());
        boolean destroyed = keyVersions.stream().anyMatch(k -> "destroyed".equals(k.status()));
        controls.add(new Control("encryption-at-rest", "Encryption at rest with per-tenant keys",
                keyVersions.isEmpty() || destroyed ? Control.ATTENTION : Control.IN_PLACE,
                destroyed ? "The tenant's keys were destroyed." : "Every blob is encrypted with the tenant's keyset, "
                        + "itself wrapped by the platform's key-encryption key.",
                keyEvidence, new Control.Mappings(List.of("164.312(a)(2)(iv)", "164.312(e)(2)(ii)"),
                        List.of("Art. 32(1)(a)"), List.of("CC6.1", "CC6.7"))));
        long keyAgeDays = newestKey == null ? -1 : Duration.between(newestKey, now).toDays();
        controls.add(new Control("key-rotation", "Key rotation",
                newestKey == null ? Control.ATTENTION : keyAgeDays > 365 ? Control.ATTENTION : Control.IN_PLACE,
                newestKey == null ? "No primary key found." : "The newest primary key is " + keyAgeDays + " days old"
                        + (keyAgeDays > 365 ? "; rotate it (POST …/keys/rotation)." : "."),
                Map.of("newestPrimaryKeyAgeDays", keyAgeDays), new Control.Mappings(List.of("164.312(a)(2)(iv)"),
                        List.of("Art. 32(1)(a)"), List.of("CC6.1"))));

        // transport
        boolean tls = environment.getProperty("citadel.tls.enabled", Boolean.class, true);
        controls.add(new Control("encryption-in-transit", "Encryption in transit", tls ? Control.IN_PLACE
                : Control.ATTENTION, tls ? "The API is served over TLS 1.3 and 1.2 only, with forward-secret AEAD suites."
                        : "TLS is terminated in front of Citadel (citadel.tls.enabled=false); Citadel cannot show the "
                                + "proxy's settings.",
                Map.of("tls", tls, "protocols", tls ? List.of("TLSv1.3", "TLSv1.2") : List.of()),
                new Control.Mappings(List.of("164.312(e)(1)"), List.of("Art. 32(1)(a)"), List.of("CC6.7"))));

        // authentication and access
        long users = review.entries().stream().filter(e -> "user".equals(e.kind())).count();
        long withMfa = review.entries().stream().filter(e -> "user".equals(e.kind()) && Boolean.TRUE.equals(e.mfaEnabled()))
                .count();
        controls.add(new Control("mfa", "Multi-factor authentication", users == withMfa ? Control.IN_PLACE
                : Control.ATTENTION, withMfa + " of " + users + " members sign in with TOTP; tenant-admin takes effect only "
                        + "with it.",
                Map.of("members", users, "withMfa", withMfa), new Control.Mappings(List.of("164.312(d)"),
                        List.of("Art. 32(1)(b)"), List.of("CC6.1"))));
        Map<String, Object> accessEvidence = new LinkedHashMap<>();
        accessEvidence.put("principals", review.principals());
        accessEvidence.put("flagged", review.flagged());
        accessEvidence.put("flags", review.entries().stream().filter(e -> !e.flags().isEmpty())
                .map(e -> Map.of("principal", e.name(), "flags", e.flags())).toList());
        controls.add(new Control("least-privilege", "Least privilege and access review", review.flagged() == 0
                ? Control.IN_PLACE : Control.ATTENTION, "Deny by default; roles map to actions in one table; "
                        + review.flagged() + " of " + review.principals() + " principals need a look (access review).",
                accessEvidence, new Control.Mappings(List.of("164.308(a)(4)", "164.312(a)(1)"), List.of("Art. 25", "Art. 32"),
                        List.of("CC6.1", "CC6.2", "CC6.3"))));

        // audit
        AuditTrail.Verification verification = trail.verify(tenant);
        Map<String, Object> auditEvidence = new LinkedHashMap<>();
        auditEvidence.put("valid", verification.valid());
        auditEvidence.put("entries", verification.entries());
        auditEvidence.put("latestCheckpoint", verification.latestCheckpoint() == null ? null
                : Map.of("size", verification.latestCheckpoint().size(), "time", verification.latestCheckpoint().time()));
        if (!verification.valid()) {
            auditEvidence.put("firstInvalidEntry", verification.firstInvalidEntry());
            auditEvidence.put("problem", verification.problem());
        }
        controls.add(new Control("audit-trail", "Tamper-evident audit trail", verification.valid() ? Control.IN_PLACE
                : Control.ATTENTION, verification.valid() ? "The hash chain and its signed checkpoints verify now ("
                        + verification.entries() + " entries)." : "The audit trail does not verify: " + verification.problem(),
                auditEvidence, new Control.Mappings(List.of("164.312(b)", "164.312(c)(1)"), List.of("Art. 30", "Art. 32(1)(d)"),
                        List.of("CC7.2", "CC7.3"))));

        // data protection
        long sensitiveColumns = 0;
        long protectedColumns = 0;
        long versions = 0;
        for (Datasets.DatasetView dataset : datasets.list(tenant)) {
            for (Datasets.VersionView version : datasets.versions(tenant, dataset.name())) {
                versions++;
                for (Map<String, Object> column : Datasets.policyColumns(version)) {
                    if (Boolean.TRUE.equals(column.get("sensitive"))) {
                        sensitiveColumns++;
                        if (!"none".equals(column.get("protection"))) {
                            protectedColumns++;
                        }
                    }
                }
            }
        }
        controls.add(new Control("pseudonymisation", "Personal data found and protected on upload",
                sensitiveColumns == protectedColumns ? Control.IN_PLACE : Control.ATTENTION,
                protectedColumns + " of " + sensitiveColumns + " columns holding personal data are protected (tokenized, "
                        + "masked, generalised or dropped) across " + versions + " dataset versions.",
                Map.of("datasetVersions", versions, "sensitiveColumns", sensitiveColumns, "protectedColumns",
                        protectedColumns), new Control.Mappings(List.of("164.514(b)"), List.of("Art. 25", "Art. 32(1)(a)"),
                        List.of("C1.1", "P4.1"))));

        // policies as code
        List<Policies.PolicyView> inForce = policies.list(tenant).stream().filter(Policies.PolicyView::enabled).toList();
        Map<String, Long> byGate = new TreeMap<>();
        inForce.forEach(p -> byGate.merge(p.gate(), 1L, Long::sum));
        controls.add(new Control("policies-as-code", "Policies as code at every gate", inForce.isEmpty()
                ? Control.NOT_CONFIGURED : Control.IN_PLACE, inForce.size() + " policies in force ("
                        + inForce.stream().filter(Policies.PolicyView::builtIn).count() + " built-in).",
                Map.of("policies", inForce.stream().map(p -> p.scope() + ":" + p.id()).toList(), "byGate", byGate),
                new Control.Mappings(List.of("164.308(a)(1)(ii)(B)"), List.of("Art. 25"), List.of("CC5.2", "CC8.1"))));

        // model integrity
        long modelVersions = models.list(tenant).stream().mapToLong(m -> models.versions(tenant, m.name()).size()).sum();
        controls.add(new Control("model-integrity", "Signed models, verified on every use", Control.IN_PLACE,
                modelVersions + " model versions, each with a manifest signed by the tenant's Ed25519 key; a version "
                        + "whose signature or digest fails is never served.",
                Map.of("modelVersions", modelVersions), new Control.Mappings(List.of("164.312(c)(1)", "164.312(c)(2)"),
                        List.of("Art. 32(1)(b)"), List.of("CC8.1", "PI1.3"))));

        // residency
        boolean residency = regions.configured();
        controls.add(new Control("data-residency", "Data residency", residency ? Control.IN_PLACE : Control.NOT_CONFIGURED,
                residency ? "The tenant's blobs are stored only in region " + view.region() + "'s object store."
                        : "One object store holds every tenant's data; the tenant's region (" + view.region()
                                + ") is recorded and enforced for serving by policy only.",
                Map.of("region", view.region(), "regionStores", new java.util.TreeSet<>(regions.names())),
                new Control.Mappings(List.of(), List.of("Art. 44", "Art. 32"), List.of("C1.1"))));

        // retention
        Retention.Settings kept = retention.settings(tenant);
        boolean configured = kept.datasetVersionDays() != null || !kept.datasets().isEmpty();
        Map<String, Object> retentionEvidence = new LinkedHashMap<>();
        retentionEvidence.put("datasetVersionDays", kept.datasetVersionDays());
        retentionEvidence.put("datasetOverrides", kept.datasets());
        retentionEvidence.put("auditYears", kept.auditYears());
        retentionEvidence.put("lastRunAt", kept.lastRunAt() == null ? null : kept.lastRunAt().toString());
        retentionEvidence.put("lastRunErased", kept.lastRunDeleted());
        retentionEvidence.put("overdueNow", configured ? retention.report(tenant).versions().size() : 0);
        controls.add(new Control("retention", "Retention of dataset versions", configured ? Control.IN_PLACE
                : Control.NOT_CONFIGURED, configured ? "Dataset versions are erased after "
                        + (kept.datasetVersionDays() == null ? "their dataset's period" : kept.datasetVersionDays() + " days")
                        + " by a scheduled, audited run; audit entries are never deleted."
                        : "No retention period is set: dataset versions are kept until erased.",
                retentionEvidence, new Control.Mappings(List.of("164.316(b)(2)(i)"), List.of("Art. 5(1)(e)"),
                        List.of("C1.2"))));

        // erasure
        List<Erasures.ErasureView> erased = erasures.list(tenant, 500);
        long certified = erased.stream().filter(Erasures.ErasureView::certificate).count();
        long failed = erased.stream().filter(e -> "failed".equals(e.state())).count();
        controls.add(new Control("erasure", "Right to erasure with deletion certificates", failed > 0 ? Control.ATTENTION
                : Control.IN_PLACE, certified + " completed erasures with signed certificates" + (failed > 0 ? ", "
                        + failed + " failed." : "."),
                Map.of("requests", erased.size(), "certified", certified, "failed", failed),
                new Control.Mappings(List.of(), List.of("Art. 17"), List.of("P4.3", "C1.2"))));

        Map<String, Long> counts = new TreeMap<>();
        controls.forEach(c -> counts.merge(c.status(), 1L, Long::sum));
        recordRead(tenant, "compliance");
        return new ComplianceReport(tenant.value(), view.region(), now, counts, controls);
    }

    private void recordRead(TenantId tenant, String report) {
        transactions.inTenant(tenant, () -> audit.append(AuditEvent.of(tenant, "report.read", "report", report,
                AuditOutcome.SUCCESS, Map.of())));
    }
}
