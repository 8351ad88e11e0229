package dev.citadel.crypto;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Optional;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.streamingaead.PredefinedStreamingAeadParameters;

import dev.citadel.platform.config.DataDirectory;

/**
 * Keys for backups: a fresh streaming-AEAD keyset per backup file, wrapped by the KEK with
 * associated data naming the file, so a wrapped key moved to another backup or file fails to
 * unwrap. Restoring needs the same KEK (the master passphrase and keyring, or the HSM key).
 *
 * <p>Unlike {@link TenantKeys}, opening a backup key publishes no {@link KeyOperation}: a restore
 * opens them before the restored audit trail exists, and the backup and the restore are audited
 * as a whole instead.
 */
public final class BackupKeys {

    private final KekProvider kek;

    BackupKeys(KekProvider kek) {
        this.kek = kek;
    }

    /** A new key for one backup file: the primitive, and the key wrapped by the current KEK. */
    public record Sealed(StreamingAead aead, String kekId, byte[] wrapped) {}

    public Sealed create(String label) {
        try {
            KeysetHandle keyset = KeysetHandle.generateNew(PredefinedStreamingAeadParameters.AES256_GCM_HKDF_1MB);
            KekProvider.Kek current = kek.current();
            byte[] wrapped = TinkProtoKeysetFormat.serializeEncryptedKeyset(keyset, current.aead(), associatedData(label));
            return new Sealed(keyset.getPrimitive(RegistryConfiguration.get(), StreamingAead.class), current.id(), wrapped);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot create a backup key", e);
        }
    }

    /** Unwraps the key of {@code label}; fails when it was wrapped for another file or by another KEK. */
    public StreamingAead open(String label, String kekId, byte[] wrapped) throws GeneralSecurityException {
        KeysetHandle keyset = TinkProtoKeysetFormat.parseEncryptedKeyset(wrapped, kek.version(kekId).aead(),
                associatedData(label));
        return keyset.getPrimitive(RegistryConfiguration.get(), StreamingAead.class);
    }

    /** What holds the KEK, for the backup manifest (non-secret). */
    public String kekDescription() {
        return kek.description();
    }

    /**
     * The passphrase-sealed keyring file when the KEK is the local keyring: a backup carries a copy
     * (useless without the passphrase) so a lost data directory can be rebuilt.
     */
    public static Optional<Path> localKeyringFile(CryptoProperties properties, DataDirectory dataDirectory) {
        return properties.provider() == CryptoProperties.KekProviderKind.LOCAL
                ? Optional.of(LocalKeyringKekProvider.file(dataDirectory)) : Optional.empty();
    }

    private static byte[] associatedData(String label) {
        return ("citadel-backup-v1|" + label).getBytes(StandardCharsets.UTF_8);
    }
}
