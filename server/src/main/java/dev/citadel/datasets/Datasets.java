package dev.citadel.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

import dev.citadel.audit.AuditEvent;
import dev.citadel.audit.AuditLog;
import dev.citadel.audit.AuditOutcome;
import dev.citadel.crypto.BlobContext;
import dev.citadel.datasets.ingest.ColumnSchema;
import dev.citadel.datasets.ingest.CsvExport;
import dev.citadel.datasets.ingest.CsvRows;
import dev.citadel.datasets.ingest.Expectations;
import dev.citadel.datasets.ingest.Finding;
import dev.citadel.datasets.ingest.IngestPipeline;
import dev.citadel.datasets.ingest.IngestProblem;
import dev.citadel.datasets.ingest.IngestResult;
import dev.citadel.datasets.ingest.LimitedInputStream;
import dev.citadel.datasets.ingest.ValidationReport;
import dev.citadel.datasets.ingest.XlsxRows;
import dev.citadel.platform.TenantId;
import dev.citadel.platform.access.Principals;
import dev.citadel.platform.db.TenantTransactions;
import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;
import dev.citadel.privacy.ProtectionAction;
import dev.citadel.privacy.Tokenizer;
import dev.citadel.storage.EncryptedBlobs;
import dev.citadel.storage.StoredBlob;

/**
 * Datasets and their versions. An upload streams through {@link IngestPipeline} straight into an
 * encrypted blob; the version record and its audit entry are written only once the protected
 * content is safely stored.
 */
@Service
public class Datasets {

    private final DatasetRepository repository;
    private final EncryptedBlobs blobs;
    private final Tokenizer tokenizer;
    private final AuditLog audit;
    private final TenantTransactions transactions;
    private final Clock clock;
    private final DatasetsProperties limits;
    private final IngestWorkers workers;

    Datasets(DatasetRepository repository, EncryptedBlobs blobs, Tokenizer tokenizer, AuditLog audit,
            TenantTransactions transactions, Clock clock, DatasetsProperties limits, IngestWorkers workers) {
        this.workers = workers;
        this.repository = repository;
        this.blobs = blobs;
        this.tokenizer = tokenizer;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
        this.limits = limits;
    }

    /** A dataset as the API shows it. */
    public record DatasetView(String name, String description, Expectations expectations, Map<String, String> privacyPolicy,
            int latestVersion, Instant createdAt, String createdBy, Instant updatedAt) {}

    /** A version: its digest, size, schema, findings and validation report. */
    public record VersionView(String dataset, int version, String sha256, long rows, int columns, long storedBytes,
            List<ColumnSchema> schema, List<Finding> findings, ValidationReport validation, List<String> keptSensitive,
            String sourceFormat, Instant createdAt, String createdBy) {}

    /** What an upload is. */
    public enum Format { CSV, XLSX }

    public record Upload(InputStream body, Format format, boolean gzip, String sheet) {}

    public DatasetView define(TenantId tenant, String name, String description, Expectations expectations) {
        DatasetName.require(name);
        Expectations checked = (expectations == null ? Expectations.NONE : expectations).validated();
        return transactions.inTenant(tenant, () -> {
            DatasetRepository.DatasetRow row = findOrCreate(tenant, name);
            repository.updateDefinition(tenant, row.id(), description, checked, clock.instant());
            audit.append(AuditEvent.of(tenant, "dataset.define", "dataset", row.id().toString(), AuditOutcome.SUCCESS,
                    Map.of("expectations", Integer.toString(checked.columns().size()),
                            "rejectOnFailure", Boolean.toString(checked.rejectOnFailure()))));
            return view(tenant, repository.find(tenant, name, false).orElseThrow());
        });
    }

    /** Sets the per-column actions applied to the dataset's following versions. */
    public DatasetView setPrivacyPolicy(TenantId tenant, String name, Map<String, String> columns, boolean mayKeep) {
        DatasetName.require(name);
        Map<String, String> policy = new TreeMap<>();
        List<CitadelException.FieldProblem> problems = new ArrayList<>();
        if (columns.size() > 1024) {
            problems.add(new CitadelException.FieldProblem("columns", "at most 1024 columns"));
        }
        columns.forEach((column, action) -> {
            if (column == null || column.isBlank() || column.length() > 256) {
                problems.add(new CitadelException.FieldProblem("columns", "column names are 1-256 characters"));
            } else if (ProtectionAction.fromWireName(action).isEmpty()) {
                problems.add(new CitadelException.FieldProblem("columns." + column,
                        "must be tokenize, mask, drop, generalize, reject or keep"));
            } else {
                policy.put(column.strip(), action);
            }
        });
        if (!problems.isEmpty()) {
            throw new CitadelException(ErrorCode.DATASET_POLICY_INVALID, "The privacy policy is invalid.", problems, null);
        }
        if (!mayKeep && policy.containsValue("keep")) {
            transactions.inTenant(tenant, () -> audit.append(AuditEvent.of(tenant, "access.denied", "action",
                    "privacy.keep", AuditOutcome.DENIED, Map.of("reason", "role", "dataset", name))));
            throw new CitadelException(ErrorCode.ACCESS_DENIED,
                    "keep stores identifiers unprotected: it needs the privacy.keep permission (data-steward).");
        }
        return transactions.inTenant(tenant, () -> {
            DatasetRepository.DatasetRow row = findOrCreate(tenant, name);
            repository.updatePolicy(tenant, row.id(), policy, clock.instant());
            String kept = policy.entrySet().stream().filter(e -> e.getValue().equals("keep")).map(Map.Entry::getKey)
                    .collect(Collectors.joining(","));
            audit.append(AuditEvent.of(tenant, "privacy.policy.set", "dataset", row.id().toString(), AuditOutcome.SUCCESS,
                    kept.isEmpty() ? Map.of("columns", Integer.toString(policy.size()))
                            : Map.of("columns", Integer.toString(policy.size()), "keep", truncate(kept))));
            return view(tenant, repository.find(tenant, name, false).orElseThrow());
        });
    }

    public VersionView upload(TenantId tenant, String name, Upload upload) {
        DatasetName.require(name);
        record Prepared(UUID datasetId, int version, Map<String, ProtectionAction> policy, Expectations expectations) {}
        Prepared prepared = transactions.inTenant(tenant, () -> {
            DatasetRepository.DatasetRow row = findOrCreate(tenant, name);
            Map<String, ProtectionAction> policy = new TreeMap<>();
            row.policy().forEach((column, action) -> ProtectionAction.fromWireName(action).ifPresent(a -> policy.put(column, a)));
            return new Prepared(row.id(), repository.allocateVersion(tenant, row.id()), policy, row.expectations());
        });
        BlobContext context = new BlobContext(tenant, BlobContext.BlobKind.DATASET, prepared.datasetId(), prepared.version());
        Tokenizer.Tokens tokens = tokenizer.forTenant(tenant);
        IngestResult[] result = new IngestResult[1];
        StoredBlob stored;
        try {
            stored = blobs.write(context, out -> {
                IngestPipeline pipeline = new IngestPipeline(prepared.policy(), prepared.expectations(), tokens,
                        limits.decisionWindowRows(), out, workers.executor(), workers.parallelism());
                InputStream body = body(upload);
                if (upload.format() == Format.XLSX) {
                    XlsxRows.read(body, limits.maxXlsxSize().toBytes(), upload.sheet(), limits.maxFieldChars(),
                            limits.maxColumns(), pipeline);
                } else {
                    CsvRows.read(body, limits.maxFieldChars(), limits.maxColumns(), pipeline);
                }
                result[0] = pipeline.finish();
                if (prepared.expectations().rejectOnFailure() && !result[0].validation().passed()) {
                    throw validationFailed(result[0].validation());
                }
            });
        } catch (CitadelException e) {
            recordRejectedUpload(tenant, prepared.datasetId(), e);
            throw e;
        }
        IngestResult ingested = result[0];
        VersionView view = new VersionView(name, prepared.version(), stored.sha256Hex(), ingested.rows(),
                ingested.schema().size(), stored.storedBytes(), ingested.schema(), ingested.findings(), ingested.validation(),
                ingested.keptSensitive(), upload.format().name().toLowerCase(), clock.instant(), Principals.currentActor());
        transactions.inTenant(tenant, () -> {
            repository.insertVersion(tenant, prepared.datasetId(), view);
            Map<String, String> details = new TreeMap<>();
            details.put("version", Integer.toString(view.version()));
            details.put("rows", Long.toString(view.rows()));
            details.put("columns", Integer.toString(view.columns()));
            details.put("sha256", view.sha256());
            details.put("validation", view.validation().passed() ? "passed" : "failed");
            details.put("sensitiveKinds", truncate(view.findings().stream().map(Finding::kind).distinct().sorted()
                    .collect(Collectors.joining(","))));
            details.put("protections", truncate(view.findings().stream().map(f -> f.column() + "=" + f.action())
                    .collect(Collectors.joining(","))));
            audit.append(AuditEvent.of(tenant, "dataset.version.create", "dataset", prepared.datasetId().toString(),
                    AuditOutcome.SUCCESS, details));
            if (!view.keptSensitive().isEmpty()) {
                audit.append(AuditEvent.of(tenant, "privacy.keep", "dataset", prepared.datasetId().toString(),
                        AuditOutcome.SUCCESS, Map.of("version", Integer.toString(view.version()),
                                "columns", truncate(String.join(",", view.keptSensitive())))));
            }
        });
        return view;
    }

    public List<DatasetView> list(TenantId tenant) {
        return transactions.inTenant(tenant, () -> repository.list(tenant).stream().map(row -> view(tenant, row)).toList());
    }

    public DatasetView get(TenantId tenant, String name) {
        return transactions.inTenant(tenant, () -> view(tenant, row(tenant, name)));
    }

    public List<VersionView> versions(TenantId tenant, String name) {
        return transactions.inTenant(tenant, () -> repository.versions(tenant, row(tenant, name).id(), name));
    }

    public VersionView version(TenantId tenant, String name, int version) {
        return transactions.inTenant(tenant, () -> repository.version(tenant, row(tenant, name).id(), name, version))
                .orElseThrow(() -> new CitadelException(ErrorCode.DATASET_VERSION_NOT_FOUND, "No such dataset version."));
    }

    /** The stored protected CSV of a version, decrypting as it streams (for training and export). */
    public InputStream content(TenantId tenant, String name, int version) {
        UUID id = transactions.inTenant(tenant, () -> row(tenant, name).id());
        version(tenant, name, version);
        return blobs.read(new BlobContext(tenant, BlobContext.BlobKind.DATASET, id, version));
    }

    /**
     * Opens a version for download: the content is authenticated and the read audited before a
     * byte is returned; {@link #writeExport} then streams it with CSV injection neutralised.
     */
    public InputStream openExport(TenantId tenant, String name, int version) {
        InputStream content = content(tenant, name, version);
        transactions.inTenant(tenant, () -> {
            audit.append(AuditEvent.of(tenant, "dataset.content.read", "dataset", row(tenant, name).id().toString(),
                    AuditOutcome.SUCCESS, Map.of("version", Integer.toString(version))));
        });
        return content;
    }

    public static void writeExport(InputStream content, OutputStream out) throws IOException {
        try (content) {
            CsvExport.copyNeutralised(content, out);
        }
    }

    private InputStream body(Upload upload) throws IOException {
        InputStream raw = new LimitedInputStream(upload.body(), limits.maxUploadSize().toBytes(), "The upload");
        if (!upload.gzip()) {
            return raw;
        }
        try {
            return new LimitedInputStream(new GZIPInputStream(raw, 64 * 1024), limits.maxDecompressedSize().toBytes(),
                    "The decompressed upload");
        } catch (ZipException e) {
            throw IngestProblem.of(ErrorCode.DATASET_INVALID_CSV, "Content-Encoding is gzip but the body is not gzip data");
        }
    }

    private CitadelException validationFailed(ValidationReport report) {
        List<CitadelException.FieldProblem> problems = report.results().stream().filter(r -> !r.passed()).limit(50)
                .map(r -> new CitadelException.FieldProblem(r.column() == null ? "rows" : r.column(),
                        r.check() + " failed for " + r.failures() + " rows" + (r.exampleLines().isEmpty() ? ""
                                : " (e.g. lines " + r.exampleLines() + ")")))
                .toList();
        return new CitadelException(ErrorCode.DATASET_VALIDATION_FAILED,
                "The version fails the dataset's expectations and the dataset rejects failing versions; nothing was stored.",
                problems, null);
    }

    private void recordRejectedUpload(TenantId tenant, UUID datasetId, CitadelException e) {
        transactions.inNewTenantTransaction(tenant, () -> audit.append(AuditEvent.of(tenant, "dataset.version.create",
                "dataset", datasetId.toString(), AuditOutcome.FAILURE, Map.of("code", e.code().code()))));
    }

    private DatasetRepository.DatasetRow findOrCreate(TenantId tenant, String name) {
        Optional<DatasetRepository.DatasetRow> existing = repository.find(tenant, name, false);
        if (existing.isPresent()) {
            return existing.get();
        }
        Instant now = clock.instant();
        DatasetRepository.DatasetRow row = new DatasetRepository.DatasetRow(UUID.randomUUID(), name, null,
                Expectations.NONE, Map.of(), 1, now, Principals.currentActor(), now);
        try {
            repository.insert(tenant, row);
            audit.append(AuditEvent.of(tenant, "dataset.create", "dataset", row.id().toString(), AuditOutcome.SUCCESS, Map.of()));
            return row;
        } catch (DuplicateKeyException raced) {
            return repository.find(tenant, name, false).orElseThrow();
        }
    }

    private DatasetRepository.DatasetRow row(TenantId tenant, String name) {
        return repository.find(tenant, name, false)
                .orElseThrow(() -> new CitadelException(ErrorCode.DATASET_NOT_FOUND, "No such dataset."));
    }

    private DatasetView view(TenantId tenant, DatasetRepository.DatasetRow row) {
        return new DatasetView(row.name(), row.description(), row.expectations(), row.policy(),
                repository.latestVersion(tenant, row.id()), row.createdAt(), row.createdBy(), row.updatedAt());
    }

    private static String truncate(String value) {
        return value.length() > 500 ? value.substring(0, 497) + "..." : value;
    }
}
