package dev.citadel.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.prf.PrfConfig;
import com.google.crypto.tink.signature.SignatureConfig;
import com.google.crypto.tink.streamingaead.StreamingAeadConfig;

import io.micrometer.core.instrument.MeterRegistry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.citadel.platform.Secret;
import dev.citadel.platform.config.DataDirectory;
import dev.citadel.platform.db.TenantTransactions;

/** Chooses the KEK provider from configuration and unwraps the platform keysets at start-up. */
@Configuration(proxyBeanMethods = false)
class CryptoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(CryptoConfiguration.class);
    static final String PLATFORM_SECRETS = "platform-secrets";

    static {
        try {
            AeadConfig.register();
            StreamingAeadConfig.register();
            SignatureConfig.register();
            PrfConfig.register();
            com.google.crypto.tink.daead.DeterministicAeadConfig.register();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Held while a process opens (or, on an empty database, creates) the KEK; any 64-bit constant of our own. */
    private static final long KEK_CREATION_LOCK = 0x4349544144454C01L;

    @Bean
    KekProvider kekProvider(CryptoProperties properties, DataDirectory dataDirectory, JdbcClient jdbc,
            TenantTransactions transactions, dev.citadel.platform.db.DatabaseKind kind) {
        // replicas starting together on an empty database must not each create a keyring (or an HSM
        // key): the first creates it under the lock, the others wait and then open the same one
        return transactions.inPlatform(() -> {
            if (kind == dev.citadel.platform.db.DatabaseKind.POSTGRESQL) {
                jdbc.sql("select pg_advisory_xact_lock(?)").param(KEK_CREATION_LOCK).query().singleRow();
            }
            boolean noWrappedKeys = jdbc.sql("select count(*) from platform_keysets").query(Long.class).single() == 0L;
            KekProvider provider = switch (properties.provider()) {
                case LOCAL -> LocalKeyringKekProvider.open(dataDirectory,
                        passphrase(properties, dataDirectory, noWrappedKeys), noWrappedKeys);
                case PKCS11 -> Pkcs11KekProvider.open(properties.pkcs11(), noWrappedKeys);
            };
            log.info("Key-encryption key: {} (current version {})", provider.description(), provider.current().id());
            return provider;
        });
    }

    @Bean
    BackupKeys backupKeys(KekProvider kek) {
        return new BackupKeys(kek);
    }

    @Bean
    KeysetWrapping keysetWrapping(KekProvider kek, MeterRegistry meters, ApplicationEventPublisher events) {
        return new KeysetWrapping(kek, meters, events);
    }

    @Bean
    TenantKeys tenantKeys(JdbcClient jdbc, TenantTransactions transactions, KeysetWrapping wrapping, Clock clock) {
        return new TenantKeys(jdbc, transactions, wrapping, clock);
    }

    @Bean
    PlatformKeysets platformKeysets(JdbcClient jdbc, TenantTransactions transactions, KeysetWrapping wrapping, Clock clock) {
        return new PlatformKeysets(jdbc, transactions, wrapping, clock);
    }

    @Bean
    KekRotation kekRotation(KekProvider kek, PlatformKeysets platformKeysets, TenantKeys tenantKeys,
            KeysetWrapping wrapping, TenantTransactions transactions) {
        return new KekRotation(kek, platformKeysets, tenantKeys, wrapping, transactions);
    }

    @Bean
    PlatformSecrets platformSecrets(PlatformKeysets keysets) {
        try {
            KeysetHandle keyset = keysets.loadOrCreate(PLATFORM_SECRETS,
                    () -> KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM));
            return new PlatformSecrets(keyset.getPrimitive(RegistryConfiguration.get(), Aead.class));
        } catch (GeneralSecurityException | PlatformKeysets.WrappedFailure e) {
            throw new IllegalStateException("The platform keyset does not unwrap with the configured KEK. Citadel will not start.");
        }
    }

    @Bean
    TenantSecrets tenantSecrets(TenantKeys tenantKeys, PlatformSecrets platformSecrets) {
        return new TenantSecrets(tenantKeys, platformSecrets);
    }

    @Bean
    AuditSigningKey auditSigningKey(PlatformKeysets keysets) {
        try {
            return new AuditSigningKey(keysets.loadOrCreate(AuditSigningKey.KEYSET_NAME, AuditSigningKey::generate));
        } catch (GeneralSecurityException | PlatformKeysets.WrappedFailure e) {
            throw new IllegalStateException("The audit signing keyset does not unwrap with the configured KEK. Citadel will not start.");
        }
    }

    private static Secret passphrase(CryptoProperties properties, DataDirectory dataDirectory, boolean mayCreate) {
        if (properties.masterPassphrase() != null) {
            if (properties.masterPassphrase().length() < 16) {
                throw new IllegalStateException("CITADEL_MASTER_PASSPHRASE must be at least 16 characters.");
            }
            return properties.masterPassphrase();
        }
        if (properties.masterPassphraseFile() != null && !properties.masterPassphraseFile().isBlank()) {
            return readPassphrase(Path.of(properties.masterPassphraseFile()));
        }
        Path generated = dataDirectory.directory("keyring").resolve("passphrase");
        if (Files.exists(generated)) {
            log.warn("Using the generated master passphrase in {}: fine for evaluation, not for production "
                    + "(set CITADEL_MASTER_PASSPHRASE or CITADEL_MASTER_PASSPHRASE_FILE).", generated);
            return readPassphrase(generated);
        }
        if (!mayCreate) {
            throw new IllegalStateException("No master passphrase is configured and none was generated here: set "
                    + "CITADEL_MASTER_PASSPHRASE or CITADEL_MASTER_PASSPHRASE_FILE to the passphrase of this installation.");
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String value = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        DataDirectory.writePrivateFile(generated, value.getBytes(StandardCharsets.UTF_8));
        log.warn("No master passphrase configured: generated one into {} (owner-only). Anyone with the whole data "
                + "directory can then read it; for production set CITADEL_MASTER_PASSPHRASE or "
                + "CITADEL_MASTER_PASSPHRASE_FILE and keep it apart from the data.", generated);
        return Secret.of(value);
    }

    private static Secret readPassphrase(Path file) {
        try {
            String value = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (value.length() < 16) {
                throw new IllegalStateException("The master passphrase in " + file + " is shorter than 16 characters.");
            }
            return Secret.of(value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the master passphrase file " + file, e);
        }
    }

    static OffsetDateTime now(Clock clock) {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    static Optional<Map<String, Object>> first(java.util.List<Map<String, Object>> rows) {
        return rows.stream().findFirst();
    }

}
