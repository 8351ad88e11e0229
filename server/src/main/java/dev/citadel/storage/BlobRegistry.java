package dev.citadel.storage;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.citadel.crypto.BlobContext;
import dev.citadel.platform.TenantId;

/** Which blobs a tenant has, how big they are, and which key encrypted each (tenant rows). */
@Repository
class BlobRegistry {

    private final JdbcClient jdbc;

    BlobRegistry(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void upsert(StoredBlob blob) {
        BlobContext c = blob.context();
        int updated = jdbc.sql("""
                update blob_objects set store_key = ?, plaintext_bytes = ?, stored_bytes = ?, plaintext_sha256 = ?,
                    key_id = ?, created_at = ?
                where tenant_id = ? and kind = ? and object_id = ? and version = ?""")
                .param(blob.storeKey()).param(blob.plaintextBytes()).param(blob.storedBytes()).param(blob.plaintextSha256())
                .param(blob.keyId()).param(OffsetDateTime.ofInstant(blob.createdAt(), ZoneOffset.UTC))
                .param(c.tenant().value()).param(c.kind().wireName()).param(c.objectId()).param(c.version()).update();
        if (updated == 0) {
            jdbc.sql("""
                    insert into blob_objects (tenant_id, kind, object_id, version, store_key, plaintext_bytes, stored_bytes,
                        plaintext_sha256, key_id, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                    .param(c.tenant().value()).param(c.kind().wireName()).param(c.objectId()).param(c.version())
                    .param(blob.storeKey()).param(blob.plaintextBytes()).param(blob.storedBytes())
                    .param(blob.plaintextSha256()).param(blob.keyId())
                    .param(OffsetDateTime.ofInstant(blob.createdAt(), ZoneOffset.UTC)).update();
        }
    }

    Optional<StoredBlob> find(BlobContext c) {
        return jdbc.sql("select * from blob_objects where tenant_id = ? and kind = ? and object_id = ? and version = ?")
                .param(c.tenant().value()).param(c.kind().wireName()).param(c.objectId()).param(c.version())
                .query(BlobRegistry::map).optional();
    }

    List<StoredBlob> list(TenantId tenant) {
        return jdbc.sql("select * from blob_objects where tenant_id = ? order by created_at, object_id, version")
                .param(tenant.value()).query(BlobRegistry::map).list();
    }

    List<StoredBlob> notEncryptedWith(TenantId tenant, long keyId) {
        return jdbc.sql("select * from blob_objects where tenant_id = ? and key_id <> ? order by created_at, object_id, version")
                .param(tenant.value()).param(keyId).query(BlobRegistry::map).list();
    }

    long storedBytes(TenantId tenant) {
        return jdbc.sql("select coalesce(sum(stored_bytes), 0) from blob_objects where tenant_id = ?")
                .param(tenant.value()).query(Long.class).single();
    }

    void delete(BlobContext c) {
        jdbc.sql("delete from blob_objects where tenant_id = ? and kind = ? and object_id = ? and version = ?")
                .param(c.tenant().value()).param(c.kind().wireName()).param(c.objectId()).param(c.version()).update();
    }

    private static StoredBlob map(ResultSet rs, int row) throws SQLException {
        BlobContext context = new BlobContext(new TenantId(rs.getString("tenant_id")),
                BlobContext.BlobKind.fromWireName(rs.getString("kind")), rs.getObject("object_id", UUID.class),
                rs.getInt("version"));
        return new StoredBlob(context, rs.getString("store_key"), rs.getLong("plaintext_bytes"), rs.getLong("stored_bytes"),
                rs.getBytes("plaintext_sha256"), rs.getLong("key_id"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant());
    }
}
