package dev.citadel.identity.token;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.citadel.crypto.PlatformSecrets;
import dev.citadel.identity.IdentityProperties;
import dev.citadel.platform.db.TenantTransactions;

/**
 * The ES256 keys that sign Citadel's access tokens. Private keys are stored only encrypted by the
 * platform secrets keyset (itself wrapped by the KEK); public keys are published as JWKS.
 *
 * <p>Security guarantees: rotation makes a new key active at once; a retired key still verifies
 * tokens for one access-token lifetime, then is dropped. A key id from a token is only ever used
 * as an exact map key, never in a path or query.
 */
@Component
public class SigningKeys {

    static final String ACTIVE = "active";
    static final String RETIRED = "retired";
    private static final Duration RELOAD_INTERVAL = Duration.ofSeconds(5);

    private final JdbcClient jdbc;
    private final TenantTransactions transactions;
    private final PlatformSecrets secrets;
    private final Clock clock;
    private final Duration accessTokenTtl;
    private final Map<String, ECKey> verificationKeys = new ConcurrentHashMap<>();
    private volatile ECKey signingKey;
    private volatile Instant lastReload = Instant.EPOCH;

    SigningKeys(JdbcClient jdbc, TenantTransactions transactions, PlatformSecrets secrets, Clock clock,
            IdentityProperties properties) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.secrets = secrets;
        this.clock = clock;
        this.accessTokenTtl = properties.accessTokenTtl();
        transactions.inPlatform(() -> {
            if (jdbc.sql("select count(*) from jwt_signing_keys where status = ?").param(ACTIVE)
                    .query(Long.class).single() == 0) {
                insertNewKey();
            }
        });
        reload();
    }

    /** The private key new tokens are signed with. */
    ECKey signingKey() {
        if (lastReload.plus(Duration.ofMinutes(1)).isBefore(clock.instant())) {
            reload();
        }
        return signingKey;
    }

    /** The public key for {@code kid}, reloading (at most every few seconds) when another replica rotated. */
    Optional<ECKey> verificationKey(String kid) {
        ECKey key = verificationKeys.get(kid);
        if (key == null && lastReload.plus(RELOAD_INTERVAL).isBefore(clock.instant())) {
            reload();
            key = verificationKeys.get(kid);
        }
        return Optional.ofNullable(key);
    }

    /** The public JWK set (RFC 7517) of every key that may still verify a live token. */
    public JWKSet publicJwks() {
        return new JWKSet(List.copyOf(verificationKeys.values()));
    }

    /**
     * Makes a new key active and retires the previous ones; returns the new key id.
     * {@code inSameTransaction} runs in the rotation's transaction (for its audit entry).
     */
    public String rotate(java.util.function.Consumer<String> inSameTransaction) {
        String kid = transactions.inPlatform(() -> {
            jdbc.sql("update jwt_signing_keys set status = ?, retired_at = ? where status = ?")
                    .param(RETIRED).param(now()).param(ACTIVE).update();
            String created = insertNewKey();
            inSameTransaction.accept(created);
            return created;
        });
        reload();
        return kid;
    }

    private String insertNewKey() {
        try {
            byte[] id = new byte[16];
            new SecureRandom().nextBytes(id);
            String kid = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
            ECKey key = new ECKeyGenerator(Curve.P_256).keyID(kid).algorithm(JWSAlgorithm.ES256).keyUse(KeyUse.SIGNATURE)
                    .generate();
            byte[] wrapped = secrets.encrypt(key.toJSONString().getBytes(StandardCharsets.UTF_8), purpose(kid));
            jdbc.sql("insert into jwt_signing_keys (kid, algorithm, public_jwk, wrapped_private_key, status, created_at) "
                            + "values (?, ?, ?, ?, ?, ?)")
                    .param(kid).param("ES256").param(key.toPublicJWK().toJSONString()).param(wrapped).param(ACTIVE)
                    .param(now()).update();
            return kid;
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate a signing key", e);
        }
    }

    private synchronized void reload() {
        Instant verifiableSince = clock.instant().minus(accessTokenTtl).minus(Duration.ofMinutes(1));
        record Row(String kid, String publicJwk, byte[] wrapped, String status) {}
        List<Row> rows = transactions.inPlatform(() -> jdbc.sql("""
                select kid, public_jwk, wrapped_private_key, status from jwt_signing_keys
                where status = ? or (status = ? and retired_at > ?) order by created_at desc
                """)
                .param(ACTIVE).param(RETIRED).param(OffsetDateTime.ofInstant(verifiableSince, ZoneOffset.UTC))
                .query((rs, n) -> new Row(rs.getString(1), rs.getString(2), rs.getBytes(3), rs.getString(4))).list());
        Map<String, ECKey> keys = new ConcurrentHashMap<>();
        ECKey active = null;
        try {
            for (Row row : rows) {
                keys.put(row.kid(), ECKey.parse(row.publicJwk()));
                if (active == null && ACTIVE.equals(row.status())) {
                    active = ECKey.parse(new String(secrets.decrypt(row.wrapped(), purpose(row.kid())), StandardCharsets.UTF_8));
                }
            }
        } catch (ParseException e) {
            throw new IllegalStateException("a stored signing key is unreadable", e);
        }
        if (active == null) {
            throw new IllegalStateException("no active token signing key");
        }
        verificationKeys.keySet().retainAll(keys.keySet());
        verificationKeys.putAll(keys);
        signingKey = active;
        lastReload = clock.instant();
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    private static String purpose(String kid) {
        return "jwt-signing-key:" + kid;
    }
}
