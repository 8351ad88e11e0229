package dev.citadel.backup;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import dev.citadel.audit.AuditEvent;
import dev.citadel.audit.AuditLog;
import dev.citadel.audit.AuditOutcome;
import dev.citadel.auditverifier.SignedDocument;
import dev.citadel.crypto.AuditSigningKey;
import dev.citadel.crypto.BackupKeys;
import dev.citadel.crypto.CryptoProperties;
import dev.citadel.platform.TenantId;
import dev.citadel.platform.config.DataDirectory;
import dev.citadel.platform.db.DatabaseKind;
import dev.citadel.platform.db.TenantTransactions;
import dev.citadel.platform.jobs.JobContext;
import dev.citadel.platform.jobs.JobHandler;
import dev.citadel.storage.BlobStore;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes one backup (a platform job): every backed-up table read in one repeatable-read
 * transaction — a consistent snapshot — into the platform file and one file per tenant, each
 * encrypted with a fresh key wrapped by the KEK; then every blob the snapshot names, copied as
 * ciphertext under its digest unless an earlier backup in the target already holds it
 * (incremental); then the sealed keyring (local KEK); and last the manifest, signed with the
 * platform's audit key.
 */
@Component
class BackupJob implements JobHandler {

    static final String KIND = "backup";
    static final String FORMAT = "citadel-backup-manifest-v1";
    static final String ROWS_FORMAT = "citadel-backup-rows-v1";
    private static final Logger log = LoggerFactory.getLogger(BackupJob.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final DataSource dataSource;
    private final DatabaseKind kind;
    private final BackupKeys keys;
    private final BackupTarget target;
    private final BlobStore store;
    private final CryptoProperties crypto;
    private final DataDirectory dataDirectory;
    private final ObjectProvider<AuditSigningKey> signingKey;
    private final AuditLog audit;
    private final TenantTransactions transactions;
    private final Clock clock;

    BackupJob(DataSource dataSource, DatabaseKind kind, BackupKeys keys, BackupTarget target, BlobStore store,
            CryptoProperties crypto, DataDirectory dataDirectory, ObjectProvider<AuditSigningKey> signingKey,
            AuditLog audit, TenantTransactions transactions, Clock clock) {
        this.dataSource = dataSource;
        this.kind = kind;
        this.keys = keys;
        this.target = target;
        this.store = store;
        this.crypto = crypto;
        this.dataDirectory = dataDirectory;
        this.signingKey = signingKey;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** A blob the snapshot names, and its copy in the target. */
    record BlobEntry(String tenant, String key, String plaintextSha256, long keyId, long storedBytes, String sha256,
            boolean missing) {}

    /** One encrypted file written to the target. */
    record Written(String file, String sha256, long bytes, String kekId, byte[] wrappedKey, long rows) {}

    @Override
    public Map<String, String> run(JobContext context) throws Exception {
        Instant started = clock.instant();
        byte[] suffix = new byte[3];
        new java.security.SecureRandom().nextBytes(suffix);
        String id = ID_TIME.format(started).toLowerCase(java.util.Locale.ROOT) + "-" + HexFormat.of().formatHex(suffix);
        Path work = Files.createTempDirectory(dataDirectory.directory("tmp"), "backup-");
        try {
            context.progress("reading a consistent snapshot", 5);
            Map<String, Object> manifest = new LinkedHashMap<>();
            List<BlobEntry> blobs = new ArrayList<>();
            List<Map<String, Object>> tenantEntries = new ArrayList<>();
            Map<String, Object> platform;
            String schemaVersion;
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                connection.setReadOnly(true);
                try {
                    schemaVersion = schemaVersion(kind);
                    List<Tables.Table> tables = Tables.ordered(connection);
                    List<String> tenants = tenantIds(connection);
                    List<String> everyone = new ArrayList<>(tenants);
                    everyone.add(TenantId.PLATFORM.value());
                    Written written = writeFile(work, id, "platform", platformFile(id), out ->
                            writePlatformRows(connection, tables, everyone, out));
                    platform = fileEntry(written);
                    int done = 0;
                    for (String tenant : tenants) {
                        Written file = writeFile(work, id, "tenant|" + tenant, BackupTarget.tenantFile(id, tenant), out ->
                                writeTenantRows(connection, tables, tenant, out));
                        target.write(BackupTarget.tenantKey(id, tenant), JSON.writeValueAsBytes(Map.of(
                                "kekId", file.kekId(), "wrapped", Base64.getEncoder().encodeToString(file.wrappedKey()))));
                        Map<String, Object> entry = fileEntry(file);
                        entry.put("id", tenant);
                        tenantEntries.add(entry);
                        blobs.addAll(blobsOf(connection, tenant));
                        context.progress("tenant files", 5 + (int) (25L * ++done / Math.max(1, tenants.size())));
                    }
                } finally {
                    connection.rollback();
                }
            }

            context.progress("copying blobs", 30);
            Map<String, JsonNode> previous = previousBlobs();
            List<BlobEntry> copied = new ArrayList<>();
            long copiedBytes = 0;
            int reused = 0;
            int missing = 0;
            for (int i = 0; i < blobs.size(); i++) {
                BlobEntry blob = blobs.get(i);
                JsonNode before = previous.get(blob.key());
                if (before != null && before.path("plaintextSha256").asString().equals(blob.plaintextSha256())
                        && before.path("keyId").asLong() == blob.keyId()
                        && before.path("storedBytes").asLong() == blob.storedBytes()
                        && target.store().exists(BackupTarget.blob(before.path("sha256").asString()))) {
                    copied.add(withDigest(blob, before.path("sha256").asString(), false));
                    reused++;
                } else {
                    BlobEntry entry = copy(work, blob);
                    copied.add(entry);
                    if (entry.missing()) {
                        missing++;
                    } else {
                        copiedBytes += entry.storedBytes();
                    }
                }
                if (i % 20 == 0) {
                    context.progress("copying blobs", 30 + (int) (60L * i / Math.max(1, blobs.size())));
                }
            }

            context.progress("signing the manifest", 92);
            String keyring = null;
            var keyringFile = BackupKeys.localKeyringFile(crypto, dataDirectory);
            if (keyringFile.isPresent() && Files.exists(keyringFile.get())) {
                keyring = BackupTarget.keyring(id);
                target.write(keyring, Files.readAllBytes(keyringFile.get()));
            }
            manifest.put("id", id);
            manifest.put("createdAt", started.toString());
            manifest.put("completedAt", clock.instant().toString());
            manifest.put("requestedBy", context.params().get("requestedBy"));
            manifest.put("database", kind.name().toLowerCase(java.util.Locale.ROOT));
            manifest.put("schemaVersion", schemaVersion);
            manifest.put("kek", keys.kekDescription());
            manifest.put("keyring", keyring);
            manifest.put("platform", platform);
            manifest.put("tenants", tenantEntries);
            manifest.put("blobs", copied.stream().map(BackupJob::blobJson).toList());
            AuditSigningKey key = signingKey.getObject();
            String signed = SignedDocument.sign(FORMAT, JSON.writeValueAsString(manifest), key.keyId(), key::sign);
            target.write(BackupTarget.manifest(id), signed.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            context.progress("deleting backups past citadel.backup.keep", 97);
            List<String> pruned = target.prune();

            Map<String, String> result = new TreeMap<>();
            result.put("backup", id);
            result.put("tenants", Integer.toString(tenantEntries.size()));
            result.put("blobs", Integer.toString(blobs.size()));
            result.put("blobsCopied", Integer.toString(blobs.size() - reused - missing));
            result.put("blobsReused", Integer.toString(reused));
            result.put("blobsMissing", Integer.toString(missing));
            result.put("bytesCopied", Long.toString(copiedBytes));
            result.put("pruned", Integer.toString(pruned.size()));
            transactions.inPlatform(() -> audit.append(new AuditEvent(TenantId.PLATFORM, context.params().get("requestedBy"),
                    "backup.create", "backup", id, AuditOutcome.SUCCESS, new TreeMap<>(result))));
            log.info("Backup {} written to {}: {} tenants, {} blobs ({} copied, {} reused, {} missing)", id,
                    target.description(), tenantEntries.size(), blobs.size(), result.get("blobsCopied"), reused, missing);
            return result;
        } finally {
            deleteQuietly(work);
        }
    }

    private static String platformFile(String id) {
        return BackupTarget.platformFile(id);
    }

    private static Map<String, Object> fileEntry(Written written) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("file", written.file());
        entry.put("sha256", written.sha256());
        entry.put("bytes", written.bytes());
        entry.put("rows", written.rows());
        entry.put("kekId", written.kekId());
        entry.put("wrappedKey", Base64.getEncoder().encodeToString(written.wrappedKey()));
        return entry;
    }

    private static Map<String, Object> blobJson(BlobEntry blob) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("tenant", blob.tenant());
        json.put("key", blob.key());
        json.put("sha256", blob.sha256());
        json.put("storedBytes", blob.storedBytes());
        json.put("plaintextSha256", blob.plaintextSha256());
        json.put("keyId", blob.keyId());
        if (blob.missing()) {
            json.put("missing", true);
        }
        return json;
    }

    @FunctionalInterface
    private interface RowWriter {
        long write(OutputStream out) throws IOException, SQLException;
    }

    /** Encrypts what {@code rows} writes into a temporary file, then puts it in the target. */
    private Written writeFile(Path work, String id, String label, String file, RowWriter rows) throws Exception {
        BackupKeys.Sealed key = keys.create(id + "|" + label);
        Path temp = work.resolve("file.bin");
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        long count;
        try (OutputStream raw = new DigestOutputStream(Files.newOutputStream(temp), digest);
                OutputStream encrypted = Channels.newOutputStream(key.aead().newEncryptingChannel(
                        Channels.newChannel(raw), (id + "|" + label).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                OutputStream out = new BufferedOutputStream(encrypted, 1 << 16)) {
            line(out, JSON.createObjectNode().put("format", ROWS_FORMAT).put("backup", id).put("label", label));
            count = rows.write(out);
            line(out, JSON.createObjectNode().put("end", true).put("rows", count));
        }
        long bytes = Files.size(temp);
        target.store().put(file, out -> Files.copy(temp, out));
        Files.delete(temp);
        return new Written(file, HexFormat.of().formatHex(digest.digest()), bytes, key.kekId(), key.wrapped(), count);
    }

    private long writePlatformRows(Connection connection, List<Tables.Table> tables, List<String> everyone,
            OutputStream out) throws IOException, SQLException {
        long rows = 0;
        for (Tables.Table table : tables) {
            header(out, table);
            if (!table.tenantScoped()) {
                rows += dump(connection, table, null, out);
            } else if (table.inTenantFile()) {
                rows += dump(connection, table, TenantId.PLATFORM.value(), out);
            } else {
                for (String tenant : everyone) {
                    rows += dump(connection, table, tenant, out);
                }
            }
        }
        return rows;
    }

    private long writeTenantRows(Connection connection, List<Tables.Table> tables, String tenant, OutputStream out)
            throws IOException, SQLException {
        long rows = 0;
        for (Tables.Table table : tables) {
            if (table.inTenantFile()) {
                header(out, table);
                rows += dump(connection, table, tenant, out);
            }
        }
        return rows;
    }

    private static void header(OutputStream out, Tables.Table table) throws IOException {
        ObjectNode header = JSON.createObjectNode().put("table", table.name());
        ArrayNode columns = header.putArray("columns");
        table.columns().forEach(columns::add);
        line(out, header);
    }

    /** Writes the table's rows (of {@code tenant} when not null, with the tenant's row-level-security context). */
    private long dump(Connection connection, Tables.Table table, String tenant, OutputStream out)
            throws IOException, SQLException {
        if (tenant != null) {
            setTenant(connection, kind, tenant);
        }
        long rows = 0;
        try (PreparedStatement select = connection.prepareStatement(table.select(tenant != null))) {
            select.setFetchSize(500);
            if (tenant != null) {
                select.setString(1, tenant);
            }
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    line(out, Tables.row(table, rs));
                    rows++;
                }
            }
        }
        return rows;
    }

    static void setTenant(Connection connection, DatabaseKind kind, String tenant) throws SQLException {
        if (kind == DatabaseKind.POSTGRESQL) {
            try (PreparedStatement set = connection.prepareStatement(
                    "select set_config('citadel.tenant_id', ?, true), set_config('citadel.principal_id', '', true)")) {
                set.setString(1, tenant);
                set.executeQuery().close();
            }
        }
    }

    private static void line(OutputStream out, JsonNode node) throws IOException {
        out.write(JSON.writeValueAsBytes(node));
        out.write('\n');
    }

    /**
     * The schema version this release migrates to: the highest migration it ships for the database
     * kind, SQL or Java (the application role may not read Flyway's history table, and start-up has migrated to
     * exactly this version).
     */
    static String schemaVersion(DatabaseKind kind) {
        try {
            var resolver = new org.springframework.core.io.support.PathMatchingResourcePatternResolver();
            org.flywaydb.core.api.MigrationVersion highest = org.flywaydb.core.api.MigrationVersion.EMPTY;
            for (String location : List.of("classpath:db/migration/common", kind.migrationLocation())) {
                for (var resource : resolver.getResources(location.replace("classpath:", "classpath*:") + "/V*__*.sql")) {
                    String name = resource.getFilename();
                    var version = org.flywaydb.core.api.MigrationVersion.fromVersion(
                            name.substring(1, name.indexOf("__")).replace('_', '.'));
                    if (version.compareTo(highest) > 0) {
                        highest = version;
                    }
                }
            }
            for (var migration : dev.citadel.platform.db.JavaMigrations.all()) {
                if (migration.getVersion().compareTo(highest) > 0) {
                    highest = migration.getVersion();
                }
            }
            return highest.getVersion();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> tenantIds(Connection connection) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("select id from tenants order by id");
                ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    private List<BlobEntry> blobsOf(Connection connection, String tenant) throws SQLException {
        setTenant(connection, kind, tenant);
        List<BlobEntry> blobs = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("select store_key, plaintext_sha256, key_id, "
                + "stored_bytes from blob_objects where tenant_id = ? order by store_key")) {
            select.setString(1, tenant);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    blobs.add(new BlobEntry(tenant, rs.getString(1), HexFormat.of().formatHex(rs.getBytes(2)), rs.getLong(3),
                            rs.getLong(4), null, false));
                }
            }
        }
        return blobs;
    }

    /** The blobs of the latest complete backup in the target, by store key (to skip unchanged ones). */
    private Map<String, JsonNode> previousBlobs() {
        Map<String, JsonNode> byKey = new TreeMap<>();
        try {
            var latest = target.latest();
            if (latest.isEmpty()) {
                return byKey;
            }
            var text = target.read(BackupTarget.manifest(latest.get()));
            if (text.isEmpty()) {
                return byKey;
            }
            JsonNode document = JSON.readTree(JSON.readTree(text.get()).path("document").asString());
            for (JsonNode blob : document.path("blobs")) {
                if (!blob.path("missing").asBoolean(false)) {
                    byKey.put(blob.path("key").asString(), blob);
                }
            }
        } catch (IOException | RuntimeException e) {
            log.warn("Cannot read the previous backup's manifest ({}); copying every blob", e.toString());
        }
        return byKey;
    }

    /** Copies one blob's ciphertext into the target under its digest. */
    private BlobEntry copy(Path work, BlobEntry blob) throws IOException, NoSuchAlgorithmException {
        Path temp = work.resolve("blob.bin");
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = store.get(blob.key());
                OutputStream out = new DigestOutputStream(Files.newOutputStream(temp), digest)) {
            in.transferTo(out);
        } catch (NoSuchFileException e) {
            // deleted (retention, erasure) since the snapshot: the restored row will point at nothing
            log.warn("Blob {} disappeared during the backup", blob.key());
            return withDigest(blob, null, true);
        }
        String sha256 = HexFormat.of().formatHex(digest.digest());
        String key = BackupTarget.blob(sha256);
        if (!target.store().exists(key)) {
            target.store().put(key, out -> Files.copy(temp, out));
        }
        Files.delete(temp);
        return withDigest(blob, sha256, false);
    }

    private static BlobEntry withDigest(BlobEntry blob, String sha256, boolean missing) {
        return new BlobEntry(blob.tenant(), blob.key(), blob.plaintextSha256(), blob.keyId(), blob.storedBytes(), sha256,
                missing);
    }

    private static void deleteQuietly(Path directory) {
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            log.debug("cannot clean {}", directory);
        }
    }

}
