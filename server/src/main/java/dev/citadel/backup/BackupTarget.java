package dev.citadel.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import org.springframework.stereotype.Component;

import dev.citadel.platform.config.DataDirectory;
import dev.citadel.storage.BlobStore;
import dev.citadel.storage.BlobStores;

/**
 * The backup target and its layout:
 * <pre>
 * blobs/&lt;sha-256 of the ciphertext&gt;        every blob once, shared by all backups (incremental)
 * backups/&lt;id&gt;/manifest.json                 signed; written last, so a backup without one is incomplete
 * backups/&lt;id&gt;/platform.bin                  platform tables and every tenant's evidence, encrypted
 * backups/&lt;id&gt;/keyring.json                  the passphrase-sealed keyring (local KEK only)
 * backups/&lt;id&gt;/tenants/&lt;tenant&gt;.bin / .key   a tenant's rows, and their key wrapped by the KEK
 * </pre>
 */
@Component
class BackupTarget {

    static final Pattern ID = Pattern.compile("[0-9]{8}t[0-9]{9}z-[0-9a-f]{6}");

    private final BlobStore store;
    private final int keep;

    BackupTarget(BackupProperties properties, DataDirectory dataDirectory) {
        this.keep = properties.keep();
        Path directory = properties.directory() == null || properties.directory().isBlank()
                ? dataDirectory.directory("backups") : Path.of(properties.directory());
        this.store = BlobStores.open(properties.backend(), directory, properties.s3());
    }

    BlobStore store() {
        return store;
    }

    String description() {
        return store.description();
    }

    static String blob(String sha256) {
        return "blobs/" + sha256;
    }

    static String manifest(String id) {
        return "backups/" + id + "/manifest.json";
    }

    static String platformFile(String id) {
        return "backups/" + id + "/platform.bin";
    }

    static String keyring(String id) {
        return "backups/" + id + "/keyring.json";
    }

    static String tenantFile(String id, String tenant) {
        return "backups/" + id + "/tenants/" + tenant + ".bin";
    }

    static String tenantKey(String id, String tenant) {
        return "backups/" + id + "/tenants/" + tenant + ".key";
    }

    /** The complete backups (those with a manifest), oldest first. */
    List<String> ids() {
        try {
            return store.list("backups/").stream()
                    .filter(key -> key.endsWith("/manifest.json"))
                    .map(key -> key.substring("backups/".length(), key.length() - "/manifest.json".length()))
                    .filter(id -> ID.matcher(id).matches())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the backup target " + store.description(), e);
        }
    }

    Optional<String> latest() {
        List<String> ids = ids();
        return ids.isEmpty() ? Optional.empty() : Optional.of(ids.getLast());
    }

    Optional<String> read(String key) throws IOException {
        try (InputStream in = store.get(key)) {
            return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /**
     * Deletes the complete backups beyond the newest {@code keep} (none when keep is 0), then every
     * blob no remaining manifest names; returns the ids deleted. Runs only inside the backup job,
     * which never runs twice at once, so no backup in progress loses a blob it is about to name.
     */
    List<String> prune() throws IOException {
        List<String> ids = ids();
        if (keep == 0 || ids.size() <= keep) {
            return List.of();
        }
        List<String> deleted = ids.subList(0, ids.size() - keep);
        for (String id : deleted) {
            store.delete(manifest(id));                 // first: an incomplete backup is never listed again
            for (String key : store.list("backups/" + id + "/")) {
                store.delete(key);
            }
        }
        java.util.Set<String> named = new java.util.HashSet<>();
        tools.jackson.databind.json.JsonMapper json = tools.jackson.databind.json.JsonMapper.builder().build();
        for (String id : ids()) {
            String text = read(manifest(id)).orElseThrow();
            for (tools.jackson.databind.JsonNode blob : json.readTree(json.readTree(text).path("document").asString())
                    .path("blobs")) {
                named.add(blob(blob.path("sha256").asString()));
            }
        }
        for (String key : store.list("blobs/")) {
            if (!named.contains(key)) {
                store.delete(key);
            }
        }
        return List.copyOf(deleted);
    }

    void write(String key, byte[] content) throws IOException {
        store.put(key, out -> out.write(content));
    }
}
