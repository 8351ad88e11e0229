package dev.citadel.compliance.erasure;

import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import dev.citadel.audit.AuditEvent;
import dev.citadel.audit.AuditLog;
import dev.citadel.audit.AuditOutcome;
import dev.citadel.auditverifier.SignedDocument;
import dev.citadel.crypto.AuditSigningKey;
import dev.citadel.crypto.KeyVersion;
import dev.citadel.crypto.TenantKeys;
import dev.citadel.datasets.Datasets;
import dev.citadel.platform.TenantId;
import dev.citadel.platform.db.TenantTransactions;
import dev.citadel.platform.jobs.JobContext;
import dev.citadel.platform.jobs.JobHandler;
import dev.citadel.registry.Models;
import dev.citadel.storage.EncryptedBlobs;
import dev.citadel.tenancy.Tenants;
import tools.jackson.databind.json.JsonMapper;

/**
 * Erases a whole tenant, as a platform job: records what is about to go (digests of every dataset
 * and model version), destroys the tenant's keysets first — from then on no copy of its objects,
 * in any store or backup, can be decrypted — then deletes its objects and every row of its own
 * (the audit trail, the key tombstones and the certificates stay), marks the tenant erased, and
 * issues a certificate signed with the platform's audit key. Safe to run again.
 */
@Component
class TenantErasureJob implements JobHandler {

    static final String KIND = dev.citadel.compliance.Erasures.TENANT_KIND;
    private static final Logger log = LoggerFactory.getLogger(TenantErasureJob.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Evidence that outlives the tenant: its audit trail, key tombstones, erasure certificates. */
    private static final Set<String> KEPT = Set.of("audit_events", "audit_checkpoints", "audit_heads", "tenant_keys",
            "erasure_certificates");

    private final Datasets datasets;
    private final Models models;
    private final TenantKeys keys;
    private final EncryptedBlobs blobs;
    private final Tenants tenants;
    private final ErasureCertificates certificates;
    private final ObjectProvider<AuditSigningKey> signingKey;
    private final JdbcTemplate jdbc;
    private final AuditLog audit;
    private final TenantTransactions transactions;
    private final Clock clock;

    TenantErasureJob(Datasets datasets, Models models, TenantKeys keys, EncryptedBlobs blobs, Tenants tenants,
            ErasureCertificates certificates, ObjectProvider<AuditSigningKey> signingKey, JdbcTemplate jdbc, AuditLog audit,
            TenantTransactions transactions, Clock clock) {
        this.datasets = datasets;
        this.models = models;
        this.keys = keys;
        this.blobs = blobs;
        this.tenants = tenants;
        this.certificates = certificates;
        this.signingKey = signingKey;
        this.jdbc = jdbc;
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
        TenantId tenant = new TenantId(context.params().get("tenant"));
        String requestedBy = context.params().get("requestedBy");
        context.progress("recording what is erased", 5);
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Datasets.DatasetView dataset : datasets.list(tenant)) {
            for (Datasets.VersionView v : datasets.versions(tenant, dataset.name())) {
                objects.add(object("dataset-version", dataset.name(), v.version(), v.sha256()));
            }
        }
        for (Models.ModelView model : models.list(tenant)) {
            for (Models.VersionView v : models.versions(tenant, model.name())) {
                objects.add(object("model-version", model.name(), v.version(), v.artifact().sha256()));
            }
        }
        List<KeyVersion> keyVersions = keys.list(tenant);

        context.progress("destroying the tenant's keys", 20);
        keys.destroy(tenant);

        context.progress("deleting objects", 40);
        int objectsDeleted = blobs.deleteAll(tenant);

        context.progress("deleting rows", 70);
        Map<String, Integer> rows = deleteRows(tenant);

        context.progress("signing the certificate", 90);
        tenants.markErased(tenant);
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("id", context.jobId().toString());
        document.put("tenant", tenant.value());
        document.put("scope", "tenant");
        document.put("requestedBy", requestedBy);
        document.put("requestedAt", context.params().get("requestedAt"));
        document.put("completedAt", clock.instant().toString());
        document.put("erasedObjects", objects);
        document.put("storedObjectsDeleted", objectsDeleted);
        document.put("rowsDeleted", rows);
        document.put("keysDestroyed", keyVersions.stream().map(k -> Map.of("purpose", k.purpose(), "keyId", k.keyId()))
                .toList());
        AuditSigningKey key = signingKey.getObject();
        String signed = SignedDocument.sign(ErasureJob.FORMAT, JSON.writeValueAsString(document), key.keyId(), key::sign);
        transactions.inPlatform(() -> {
            certificates.store(TenantId.PLATFORM, context.jobId(), "tenant", signed, clock.instant());
            audit.append(new AuditEvent(TenantId.PLATFORM, requestedBy, "erasure.complete", "tenant", tenant.value(),
                    AuditOutcome.SUCCESS, new TreeMap<>(Map.of("job", context.jobId().toString(),
                            "keysDestroyed", Integer.toString(keyVersions.size()),
                            "objectsDeleted", Integer.toString(objectsDeleted)))));
        });
        return Map.of("tenant", tenant.value(), "keysDestroyed", Integer.toString(keyVersions.size()),
                "objectsDeleted", Integer.toString(objectsDeleted),
                "rowsDeleted", Integer.toString(rows.values().stream().mapToInt(Integer::intValue).sum()));
    }

    private static Map<String, Object> object(String kind, String name, int version, String sha256) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("kind", kind);
        object.put("name", name);
        object.put("version", version);
        object.put("sha256", sha256);
        return object;
    }

    /**
     * Deletes the tenant's rows from every table with a tenant_id column except the kept evidence,
     * each table in a transaction of its own; a table refused for a foreign key is tried again after
     * the others.
     */
    private Map<String, Integer> deleteRows(TenantId tenant) {
        Set<String> tables = tenantTables();
        Map<String, Integer> deleted = new TreeMap<>();
        for (int pass = 0; pass < 5 && !tables.isEmpty(); pass++) {
            for (String table : List.copyOf(tables)) {
                try {
                    int count = transactions.inNewTenantTransaction(tenant, () ->
                            jdbc.update("delete from " + table + " where tenant_id = ?", tenant.value()));
                    deleted.put(table, count);
                    tables.remove(table);
                } catch (DataAccessException e) {
                    log.debug("erasing tenant rows: {} waits for another table ({})", table, e.getClass().getSimpleName());
                }
            }
        }
        if (!tables.isEmpty()) {
            throw new IllegalStateException("rows of " + tables + " could not be deleted");
        }
        return deleted;
    }

    private Set<String> tenantTables() {
        return jdbc.execute((ConnectionCallback<Set<String>>) connection -> {
            Set<String> tables = new TreeSet<>();
            DatabaseMetaData meta = connection.getMetaData();
            try (ResultSet columns = meta.getColumns(connection.getCatalog(), connection.getSchema(), "%", "%")) {
                while (columns.next()) {
                    String table = columns.getString("TABLE_NAME").toLowerCase(Locale.ROOT);
                    if (columns.getString("COLUMN_NAME").equalsIgnoreCase("tenant_id") && table.matches("[a-z_]+")
                            && !KEPT.contains(table) && !table.startsWith("flyway")) {
                        tables.add(table);
                    }
                }
            }
            return tables;
        });
    }
}
