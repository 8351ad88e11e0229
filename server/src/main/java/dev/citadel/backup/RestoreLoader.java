package dev.citadel.backup;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import javax.sql.DataSource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import dev.citadel.crypto.BackupKeys;
import dev.citadel.crypto.CryptoProperties;
import dev.citadel.platform.config.DataDirectory;
import dev.citadel.platform.db.DatabaseKind;
import dev.citadel.storage.BlobStore;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The first half of a restore: checks that the backup fits (same database kind and schema version)
 * and that the installation is empty, puts the sealed keyring back when the data directory lost
 * it, loads every table's rows in one transaction, and copies the blobs back, each checked against
 * its digest as it goes. A tenant whose key was shredded from the backup is restored as erased:
 * its evidence only.
 */
@Component
class RestoreLoader {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int BATCH = 500;

    private final DataSource dataSource;
    private final DatabaseKind kind;
    private final BackupTarget target;
    private final ObjectProvider<BackupKeys> keys;
    private final ObjectProvider<BlobStore> store;
    private final CryptoProperties crypto;
    private final DataDirectory dataDirectory;

    RestoreLoader(DataSource dataSource, DatabaseKind kind, BackupTarget target, ObjectProvider<BackupKeys> keys,
            ObjectProvider<BlobStore> store, CryptoProperties crypto, DataDirectory dataDirectory) {
        this.dataSource = dataSource;
        this.kind = kind;
        this.target = target;
        this.keys = keys;
        this.store = store;
        this.crypto = crypto;
        this.dataDirectory = dataDirectory;
    }

    /** What was loaded, for the verification. */
    record Loaded(String backup, String signedManifest, Set<String> tenants, Set<String> shredded, long rows,
            int blobs) {}

    Loaded load(String requested, PrintStream out) {
        try {
            String backup = requested != null ? requested : target.latest().orElseThrow(() ->
                    new RestoreCommand.RestoreException("no complete backup in " + target.description()));
            if (!BackupTarget.ID.matcher(backup).matches()) {
                throw new RestoreCommand.RestoreException("'" + backup + "' is not a backup id");
            }
            String signed = target.read(BackupTarget.manifest(backup)).orElseThrow(() ->
                    new RestoreCommand.RestoreException("no backup " + backup + " in " + target.description()));
            JsonNode manifest = JSON.readTree(JSON.readTree(signed).path("document").asString());
            out.println("restore: backup " + backup + " of " + manifest.path("createdAt").asString() + " from "
                    + target.description());

            try (Connection connection = dataSource.getConnection()) {
                checkFits(connection, manifest);
            }
            restoreKeyring(manifest, out);

            BackupKeys backupKeys = keys.getObject();   // opens the KEK: the keyring must be in place by now
            Set<String> tenants = new TreeSet<>();
            Set<String> shredded = new TreeSet<>();
            long rows;
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                try {
                    Map<String, Tables.Table> tables = new TreeMap<>();
                    Tables.ordered(connection).forEach(t -> tables.put(t.name(), t));
                    rows = loadFile(connection, tables, backupKeys, backup, "platform", manifest.path("platform"));
                    for (JsonNode tenant : manifest.path("tenants")) {
                        String id = tenant.path("id").asString();
                        tenants.add(id);
                        var key = target.read(BackupTarget.tenantKey(backup, id));
                        if (key.isEmpty()) {
                            shredded.add(id);
                            markErased(connection, id);
                            continue;
                        }
                        JsonNode wrapped = JSON.readTree(key.get());
                        rows += loadFile(connection, tables, backupKeys, backup, "tenant|" + id,
                                JSON.createObjectNode().put("file", BackupTarget.tenantFile(backup, id))
                                        .put("sha256", tenant.path("sha256").asString())
                                        .put("kekId", wrapped.path("kekId").asString())
                                        .put("wrappedKey", wrapped.path("wrapped").asString()));
                    }
                    connection.commit();
                } catch (Exception e) {
                    connection.rollback();
                    throw e;
                }
            }
            out.println("restore: " + rows + " rows of " + tenants.size() + " tenants loaded"
                    + (shredded.isEmpty() ? "" : "; shredded since the backup, restored as erased: " + shredded));

            int blobs = copyBlobs(manifest, shredded, out);
            return new Loaded(backup, signed, tenants, shredded, rows, blobs);
        } catch (RestoreCommand.RestoreException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private void checkFits(Connection connection, JsonNode manifest) throws SQLException {
        String database = kind.name().toLowerCase(java.util.Locale.ROOT);
        if (!database.equals(manifest.path("database").asString())) {
            throw new RestoreCommand.RestoreException("the backup is of a " + manifest.path("database").asString()
                    + " installation; this one runs on " + database);
        }
        String schema = BackupJob.schemaVersion(kind);
        if (!schema.equals(manifest.path("schemaVersion").asString())) {
            throw new RestoreCommand.RestoreException("the backup has schema version "
                    + manifest.path("schemaVersion").asString() + " but this Citadel's is " + schema
                    + ": restore with the Citadel release that took the backup, then upgrade");
        }
        for (String table : List.of("tenants", "users", "platform_keysets")) {
            try (PreparedStatement count = connection.prepareStatement("select count(*) from " + table);
                    ResultSet rs = count.executeQuery()) {
                rs.next();
                if (rs.getLong(1) > 0) {
                    throw new RestoreCommand.RestoreException("the database is not empty (" + table + " has rows): "
                            + "restore into a new, empty database");
                }
            }
        }
    }

    /** Puts the backup's sealed keyring in place when the data directory has none. */
    private void restoreKeyring(JsonNode manifest, PrintStream out) throws IOException {
        var file = BackupKeys.localKeyringFile(crypto, dataDirectory);
        if (file.isEmpty()) {
            return;
        }
        if (crypto.masterPassphrase() == null
                && (crypto.masterPassphraseFile() == null || crypto.masterPassphraseFile().isBlank())
                && !Files.exists(file.get().resolveSibling("passphrase"))) {
            throw new RestoreCommand.RestoreException("set CITADEL_MASTER_PASSPHRASE (or CITADEL_MASTER_PASSPHRASE_FILE) "
                    + "to the master passphrase of the installation that took the backup");
        }
        if (Files.exists(file.get())) {
            out.println("restore: using the keyring already in " + file.get());
            return;
        }
        JsonNode keyring = manifest.path("keyring");
        if (keyring.isNull() || keyring.isMissingNode()) {
            throw new RestoreCommand.RestoreException("the backup holds no keyring and " + file.get()
                    + " is missing: put the installation's keyring.json there");
        }
        String content = target.read(keyring.asString()).orElseThrow(() ->
                new RestoreCommand.RestoreException("the backup's keyring " + keyring.asString() + " is missing"));
        Path written = file.get();
        DataDirectory.writePrivateFile(written, content.getBytes(StandardCharsets.UTF_8));
        out.println("restore: keyring restored to " + written);
    }

    private long loadFile(Connection connection, Map<String, Tables.Table> tables, BackupKeys backupKeys, String backup,
            String label, JsonNode entry) throws Exception {
        var aead = open(backupKeys, backup, label, entry);
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        String file = entry.path("file").asString();
        long rows = 0;
        try (InputStream raw = new DigestInputStream(target.store().get(file), digest);
                BufferedReader reader = new BufferedReader(new InputStreamReader(Channels.newInputStream(
                        aead.newDecryptingChannel(Channels.newChannel(raw),
                                (backup + "|" + label).getBytes(StandardCharsets.UTF_8))), StandardCharsets.UTF_8),
                        1 << 16)) {
            JsonNode header = JSON.readTree(reader.readLine());
            if (!BackupJob.ROWS_FORMAT.equals(header.path("format").asString())
                    || !backup.equals(header.path("backup").asString()) || !label.equals(header.path("label").asString())) {
                throw new RestoreCommand.RestoreException(file + " is not " + label + " of backup " + backup);
            }
            Tables.Table table = null;
            PreparedStatement insert = null;
            int pending = 0;
            String currentTenant = null;
            int tenantColumn = -1;
            boolean ended = false;
            try {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    JsonNode node = JSON.readTree(line);
                    if (node.isArray()) {
                        if (table == null) {
                            throw new RestoreCommand.RestoreException(file + ": a row before its table");
                        }
                        if (tenantColumn >= 0) {
                            String tenant = node.get(tenantColumn).asString();
                            if (!tenant.equals(currentTenant)) {
                                if (pending > 0) {
                                    insert.executeBatch();
                                    pending = 0;
                                }
                                BackupJob.setTenant(connection, kind, tenant);
                                currentTenant = tenant;
                            }
                        }
                        Tables.bind(table, node, insert);
                        insert.addBatch();
                        rows++;
                        if (++pending == BATCH) {
                            insert.executeBatch();
                            pending = 0;
                        }
                    } else if (node.has("table")) {
                        if (insert != null) {
                            if (pending > 0) {
                                insert.executeBatch();
                                pending = 0;
                            }
                            insert.close();
                        }
                        table = matching(tables, node);
                        tenantColumn = table.columns().indexOf("tenant_id");
                        insert = connection.prepareStatement(table.insert());
                    } else if (node.path("end").asBoolean(false)) {
                        if (node.path("rows").asLong() != rows) {
                            throw new RestoreCommand.RestoreException(file + " is incomplete");
                        }
                        ended = true;
                    }
                }
                if (insert != null && pending > 0) {
                    insert.executeBatch();
                }
            } finally {
                if (insert != null) {
                    insert.close();
                }
            }
            if (!ended) {
                throw new RestoreCommand.RestoreException(file + " is truncated");
            }
        } catch (NoSuchFileException e) {
            throw new RestoreCommand.RestoreException(file + " is missing from the backup");
        }
        String sha256 = HexFormat.of().formatHex(digest.digest());
        if (!sha256.equals(entry.path("sha256").asString())) {
            throw new RestoreCommand.RestoreException(file + " does not match its digest in the manifest");
        }
        return rows;
    }

    private static com.google.crypto.tink.StreamingAead open(BackupKeys backupKeys, String backup, String label,
            JsonNode entry) {
        try {
            return backupKeys.open(backup + "|" + label, entry.path("kekId").asString(),
                    Base64.getDecoder().decode(entry.path("wrappedKey").asString()));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new RestoreCommand.RestoreException("the key of " + label + " does not unwrap with this installation's "
                    + "KEK (" + backupKeys.kekDescription() + "): wrong passphrase, keyring or HSM key, or a tampered backup");
        }
    }

    /** The target's table of that name, with the backup's columns (a changed table is refused). */
    private static Tables.Table matching(Map<String, Tables.Table> tables, JsonNode header) {
        String name = header.path("table").asString();
        Tables.Table table = tables.get(name);
        List<String> columns = new ArrayList<>();
        header.path("columns").forEach(c -> columns.add(c.asString()));
        if (table == null || !table.columns().equals(columns)) {
            throw new RestoreCommand.RestoreException("table " + name + " of the backup does not match this schema");
        }
        return table;
    }

    private void markErased(Connection connection, String tenant) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "update tenants set erased_at = ? where id = ? and erased_at is null")) {
            update.setObject(1, java.time.OffsetDateTime.ofInstant(Instant.now(), java.time.ZoneOffset.UTC));
            update.setString(2, tenant);
            update.executeUpdate();
        }
    }

    private int copyBlobs(JsonNode manifest, Set<String> shredded, PrintStream out) throws Exception {
        BlobStore installation = store.getObject();
        List<JsonNode> blobs = new ArrayList<>();
        for (JsonNode blob : manifest.path("blobs")) {
            if (!shredded.contains(blob.path("tenant").asString()) && !blob.path("missing").asBoolean(false)) {
                blobs.add(blob);
            }
        }
        int copied = 0;
        for (JsonNode blob : blobs) {
            String sha256 = blob.path("sha256").asString();
            String key = BlobStore.requireValidKey(blob.path("key").asString());
            if (!key.startsWith("tenants/" + blob.path("tenant").asString() + "/")) {
                throw new RestoreCommand.RestoreException("blob " + key + " is not under its tenant");
            }
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (InputStream in = new DigestInputStream(target.store().get(BackupTarget.blob(sha256)), digest)) {
                installation.put(key, in::transferTo);
            } catch (NoSuchFileException e) {
                throw new RestoreCommand.RestoreException("blob " + sha256 + " (" + key + ") is missing from the target");
            }
            if (!HexFormat.of().formatHex(digest.digest()).equals(sha256)) {
                installation.delete(key);
                throw new RestoreCommand.RestoreException("blob " + key + " does not match its digest " + sha256
                        + " in the backup target");
            }
            if (++copied % 100 == 0) {
                out.println("restore: " + copied + " of " + blobs.size() + " blobs copied");
            }
        }
        out.println("restore: " + copied + " blobs copied and checked against their digests");
        return copied;
    }

}
