package dev.citadel.crypto;

import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.PublicKeySign;
import com.google.crypto.tink.PublicKeyVerify;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.DeterministicAead;

import org.springframework.jdbc.core.simple.JdbcClient;

import dev.citadel.platform.TenantId;
import dev.citadel.platform.db.TenantTransactions;
import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;

/**
 * Each tenant's own keysets ({@link KeyPurpose}), stored only wrapped by the KEK and cached
 * unwrapped in memory.
 *
 * <p>Security guarantees: every keyset is wrapped with associated data naming its tenant and
 * purpose; every operation runs in the tenant's transaction (row-level security on PostgreSQL);
 * rotation adds a new primary key while older keys keep decrypting; {@link #destroy} deletes the
 * wrapped keysets — crypto-shredding: without them no KEK can recover the tenant's data. The cache
 * is checked against the stored generation on every use, so a rotation or destruction on another
 * replica takes effect here too.
 */
public final class TenantKeys {

    static final String PRIMARY = "primary";
    static final String ENABLED = "enabled";
    static final String DESTROYED = "destroyed";

    private final JdbcClient jdbc;
    private final TenantTransactions transactions;
    private final KeysetWrapping wrapping;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    TenantKeys(JdbcClient jdbc, TenantTransactions transactions, KeysetWrapping wrapping, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.wrapping = wrapping;
        this.clock = clock;
    }

    private record Cached(int generation, KeysetHandle keyset) {}

    /** Creates the tenant's keysets if they do not exist yet (idempotent). */
    public void provision(TenantId tenant) {
        transactions.inTenant(tenant, () -> {
            for (KeyPurpose purpose : KeyPurpose.values()) {
                keyset(tenant, purpose);
            }
        });
    }

    public StreamingAead blobs(TenantId tenant) {
        return primitive(tenant, KeyPurpose.BLOBS, StreamingAead.class);
    }

    /** The blob primitive and the id of the primary key it encrypts with, from one consistent keyset. */
    public record BlobCipher(StreamingAead aead, long primaryKeyId) {}

    public BlobCipher blobCipher(TenantId tenant) {
        KeysetHandle keyset = keyset(tenant, KeyPurpose.BLOBS);
        try {
            return new BlobCipher(keyset.getPrimitive(RegistryConfiguration.get(), StreamingAead.class),
                    Integer.toUnsignedLong(keyset.getPrimary().getId()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("keyset blobs unusable", e);
        }
    }

    public Aead secrets(TenantId tenant) {
        return primitive(tenant, KeyPurpose.SECRETS, Aead.class);
    }

    public DeterministicAead tokens(TenantId tenant) {
        return primitive(tenant, KeyPurpose.TOKENS, DeterministicAead.class);
    }

    public PublicKeySign signer(TenantId tenant) {
        return primitive(tenant, KeyPurpose.SIGNING, PublicKeySign.class);
    }

    public PublicKeyVerify verifier(TenantId tenant) {
        try {
            return keyset(tenant, KeyPurpose.SIGNING).getPublicKeysetHandle()
                    .getPrimitive(RegistryConfiguration.get(), PublicKeyVerify.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing keyset unusable", e);
        }
    }

    /** The tenant's public verification keys as a Tink JSON keyset, for offline verification. */
    public String publicSigningKeyset(TenantId tenant) {
        try {
            return TinkJsonProtoKeysetFormat.serializeKeysetWithoutSecret(
                    keyset(tenant, KeyPurpose.SIGNING).getPublicKeysetHandle());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing keyset unusable", e);
        }
    }

    /** The id of the key new data is protected with. */
    public long primaryKeyId(TenantId tenant, KeyPurpose purpose) {
        return Integer.toUnsignedLong(keyset(tenant, purpose).getPrimary().getId());
    }

    public List<KeyVersion> list(TenantId tenant) {
        return transactions.inTenant(tenant, () -> jdbc.sql("""
                        select purpose, key_id, status, created_at, retired_at, destroyed_at from tenant_keys
                        where tenant_id = ? order by purpose, created_at, key_id""")
                .param(tenant.value())
                .query((rs, n) -> new KeyVersion(rs.getString(1), rs.getLong(2), rs.getString(3),
                        PRIMARY.equals(rs.getString(3)), instant(rs.getObject(4, OffsetDateTime.class)),
                        instant(rs.getObject(5, OffsetDateTime.class)), instant(rs.getObject(6, OffsetDateTime.class))))
                .list());
    }

    /**
     * Adds a new primary key to every rotatable keyset (blobs, secrets, signing). Data protected
     * with older keys stays readable; the caller schedules re-encryption.
     */
    public List<KeyVersion> rotate(TenantId tenant) {
        transactions.inTenant(tenant, () -> {
            for (KeyPurpose purpose : KeyPurpose.values()) {
                if (!purpose.rotatable()) {
                    continue;
                }
                KeysetHandle rotated;
                try {
                    rotated = Keysets.withNewPrimary(keyset(tenant, purpose), purpose.parameters());
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("rotation failed", e);
                }
                Instant now = clock.instant();
                jdbc.sql("update tenant_keys set status = ?, retired_at = ? where tenant_id = ? and purpose = ? and status = ?")
                        .param(ENABLED).param(at(now)).param(tenant.value()).param(purpose.wireName()).param(PRIMARY).update();
                insertKey(tenant, purpose, rotated.getPrimary().getId(), now);
                store(tenant, purpose, rotated, true);
                wrapping.record(tenant, "rotate", purpose.wireName(), wrapping.kek().current().id());
            }
        });
        return list(tenant);
    }

    /**
     * Crypto-shredding: deletes every wrapped keyset of the tenant. Afterwards none of its blobs,
     * wherever they are copied, can be decrypted — not even with the KEK.
     */
    public void destroy(TenantId tenant) {
        transactions.inTenant(tenant, () -> {
            jdbc.sql("delete from tenant_keysets where tenant_id = ?").param(tenant.value()).update();
            jdbc.sql("update tenant_keys set status = ?, destroyed_at = ? where tenant_id = ?")
                    .param(DESTROYED).param(at(clock.instant())).param(tenant.value()).update();
            wrapping.record(tenant, "destroy", "all", wrapping.kek().current().id());
        });
        for (KeyPurpose purpose : KeyPurpose.values()) {
            cache.remove(cacheKey(tenant, purpose));
        }
    }

    /** Re-wraps every keyset of {@code tenant} under the current KEK version; returns how many moved. */
    public int rewrap(TenantId tenant) {
        return transactions.inTenant(tenant, () -> {
            String current = wrapping.kek().current().id();
            int moved = 0;
            for (KeyPurpose purpose : KeyPurpose.values()) {
                Optional<String> kekId = jdbc.sql("select kek_id from tenant_keysets where tenant_id = ? and purpose = ?")
                        .param(tenant.value()).param(purpose.wireName()).query(String.class).optional();
                if (kekId.isPresent() && !kekId.get().equals(current)) {
                    store(tenant, purpose, keyset(tenant, purpose), false);
                    moved++;
                }
            }
            return moved;
        });
    }

    private <P> P primitive(TenantId tenant, KeyPurpose purpose, Class<P> type) {
        try {
            return keyset(tenant, purpose).getPrimitive(RegistryConfiguration.get(), type);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("keyset " + purpose.wireName() + " unusable", e);
        }
    }

    /** The unwrapped keyset, from the cache when its generation is current; created on first use. */
    private KeysetHandle keyset(TenantId tenant, KeyPurpose purpose) {
        return transactions.inTenant(tenant, () -> {
            Optional<Map<String, Object>> row = jdbc.sql("""
                    select kek_id, wrapped_keyset, generation from tenant_keysets where tenant_id = ? and purpose = ?""")
                    .param(tenant.value()).param(purpose.wireName()).query().listOfRows().stream().findFirst();
            if (row.isEmpty()) {
                return create(tenant, purpose);
            }
            int generation = ((Number) row.get().get("generation")).intValue();
            Cached cached = cache.get(cacheKey(tenant, purpose));
            if (cached != null && cached.generation() == generation) {
                return cached.keyset();
            }
            try {
                KeysetHandle keyset = wrapping.unwrap(tenant, purpose.wireName(), (String) row.get().get("kek_id"),
                        (byte[]) row.get().get("wrapped_keyset"));
                cache.put(cacheKey(tenant, purpose), new Cached(generation, keyset));
                return keyset;
            } catch (GeneralSecurityException e) {
                wrapping.integrityFailure(tenant, purpose.wireName());
                throw new CitadelException(ErrorCode.CRYPTO_DECRYPTION_FAILED,
                        "A tenant keyset failed its integrity check; the data it protects was not used.", e);
            }
        });
    }

    private KeysetHandle create(TenantId tenant, KeyPurpose purpose) {
        if (isShredded(tenant)) {
            throw new CitadelException(ErrorCode.STORAGE_KEYS_DESTROYED,
                    "This tenant's keys were destroyed; its data cannot be read or written.");
        }
        try {
            KeysetHandle keyset = KeysetHandle.generateNew(purpose.parameters());
            insertKey(tenant, purpose, keyset.getPrimary().getId(), clock.instant());
            store(tenant, purpose, keyset, true);
            return keyset;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot create a keyset", e);
        }
    }

    private boolean isShredded(TenantId tenant) {
        return jdbc.sql("select count(*) from tenant_keys where tenant_id = ? and status = ?")
                .param(tenant.value()).param(DESTROYED).query(Long.class).single() > 0;
    }

    private void store(TenantId tenant, KeyPurpose purpose, KeysetHandle keyset, boolean contentChanged) {
        try {
            KeysetWrapping.Wrapped wrapped = wrapping.wrap(tenant, purpose.wireName(), keyset);
            int updated = jdbc.sql("""
                    update tenant_keysets set kek_id = ?, wrapped_keyset = ?, generation = generation + 1, updated_at = ?
                    where tenant_id = ? and purpose = ?""")
                    .param(wrapped.kekId()).param(wrapped.bytes()).param(at(clock.instant()))
                    .param(tenant.value()).param(purpose.wireName()).update();
            if (updated == 0) {
                jdbc.sql("""
                        insert into tenant_keysets (tenant_id, purpose, kek_id, wrapped_keyset, generation, updated_at)
                        values (?, ?, ?, ?, 1, ?)""")
                        .param(tenant.value()).param(purpose.wireName()).param(wrapped.kekId()).param(wrapped.bytes())
                        .param(at(clock.instant())).update();
            }
            cache.remove(cacheKey(tenant, purpose));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot wrap a keyset", e);
        }
    }

    private void insertKey(TenantId tenant, KeyPurpose purpose, int keyId, Instant now) {
        jdbc.sql("insert into tenant_keys (tenant_id, purpose, key_id, status, created_at) values (?, ?, ?, ?, ?)")
                .param(tenant.value()).param(purpose.wireName()).param(Integer.toUnsignedLong(keyId)).param(PRIMARY)
                .param(at(now)).update();
    }

    private static String cacheKey(TenantId tenant, KeyPurpose purpose) {
        return tenant.value() + "|" + purpose.wireName();
    }

    private static OffsetDateTime at(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }

}
