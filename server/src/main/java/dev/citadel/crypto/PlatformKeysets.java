package dev.citadel.crypto;

import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.google.crypto.tink.KeysetHandle;

import org.springframework.jdbc.core.simple.JdbcClient;

import dev.citadel.platform.TenantId;
import dev.citadel.platform.db.TenantTransactions;

/**
 * The platform's own keysets (secrets; later audit checkpoint and backup signing), stored wrapped
 * by the KEK in {@code platform_keysets} together with the KEK version that wrapped them.
 */
public final class PlatformKeysets {

    private final JdbcClient jdbc;
    private final TenantTransactions transactions;
    private final KeysetWrapping wrapping;
    private final Clock clock;

    PlatformKeysets(JdbcClient jdbc, TenantTransactions transactions, KeysetWrapping wrapping, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.wrapping = wrapping;
        this.clock = clock;
    }

    interface Generator {
        KeysetHandle generate() throws GeneralSecurityException;
    }

    KeysetHandle loadOrCreate(String name, Generator generator) throws GeneralSecurityException {
        return transactions.inPlatform(() -> {
            try {
                Optional<Map<String, Object>> row = CryptoConfiguration.first(jdbc.sql(
                        "select kek_id, wrapped_keyset from platform_keysets where name = ?").param(name).query().listOfRows());
                if (row.isPresent()) {
                    String kekId = (String) row.get().get("kek_id");
                    return wrapping.unwrap(TenantId.PLATFORM, name, kekId != null ? kekId : wrapping.kek().current().id(),
                            (byte[]) row.get().get("wrapped_keyset"));
                }
                KeysetHandle keyset = generator.generate();
                KeysetWrapping.Wrapped wrapped = wrapping.wrap(TenantId.PLATFORM, name, keyset);
                jdbc.sql("insert into platform_keysets (name, wrapped_keyset, created_at, kek_id) values (?, ?, ?, ?)")
                        .param(name).param(wrapped.bytes()).param(CryptoConfiguration.now(clock)).param(wrapped.kekId())
                        .update();
                return keyset;
            } catch (GeneralSecurityException e) {
                throw new WrappedFailure(e);
            }
        });
    }

    /** Re-wraps every platform keyset under the current KEK version; returns how many moved. */
    public int rewrap() {
        return transactions.inPlatform(() -> {
            String current = wrapping.kek().current().id();
            List<Map<String, Object>> rows = jdbc.sql("select name, kek_id, wrapped_keyset from platform_keysets")
                    .query().listOfRows();
            int moved = 0;
            for (Map<String, Object> row : rows) {
                String name = (String) row.get("name");
                String kekId = (String) row.get("kek_id");
                if (current.equals(kekId)) {
                    continue;
                }
                try {
                    KeysetHandle keyset = wrapping.unwrap(TenantId.PLATFORM, name,
                            kekId != null ? kekId : current, (byte[]) row.get("wrapped_keyset"));
                    KeysetWrapping.Wrapped wrapped = wrapping.wrap(TenantId.PLATFORM, name, keyset);
                    jdbc.sql("update platform_keysets set wrapped_keyset = ?, kek_id = ? where name = ?")
                            .param(wrapped.bytes()).param(wrapped.kekId()).param(name).update();
                    moved++;
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("platform keyset " + name + " does not unwrap", e);
                }
            }
            return moved;
        });
    }

    /** Carries a checked failure out of a transaction callback. */
    static final class WrappedFailure extends RuntimeException {
        WrappedFailure(GeneralSecurityException cause) {
            super(cause);
        }
    }
}
