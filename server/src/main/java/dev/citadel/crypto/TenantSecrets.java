package dev.citadel.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

import dev.citadel.platform.TenantId;

/**
 * Encrypts small secrets a tenant's features must use again later (webhook signing secrets) with
 * the tenant's {@link KeyPurpose#SECRETS} keyset (Tink AES-256-GCM), and the platform's own with the
 * platform secrets keyset. Secrets that only need checking (passwords, client secrets) are hashed
 * instead, never stored here.
 *
 * <p>Security guarantees: each ciphertext is bound by associated data to its tenant and
 * {@code purpose} (for example {@code webhook:<id>}), so a ciphertext copied to another row, purpose
 * or tenant fails to decrypt; a tenant's secrets die with its keys (crypto-shredding). Must be
 * called in the tenant's transaction. Decryption failures surface as
 * {@link PlatformSecrets.DecryptionFailedException} with no detail.
 */
public final class TenantSecrets {

    private final TenantKeys keys;
    private final PlatformSecrets platform;

    TenantSecrets(TenantKeys keys, PlatformSecrets platform) {
        this.keys = keys;
        this.platform = platform;
    }

    public byte[] encrypt(TenantId tenant, byte[] plaintext, String purpose) {
        if (tenant.isPlatform()) {
            return platform.encrypt(plaintext, "tenant-secret:" + purpose);
        }
        try {
            return keys.secrets(tenant).encrypt(plaintext, associatedData(tenant, purpose));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed", e);
        }
    }

    public byte[] decrypt(TenantId tenant, byte[] ciphertext, String purpose) {
        if (tenant.isPlatform()) {
            return platform.decrypt(ciphertext, "tenant-secret:" + purpose);
        }
        try {
            return keys.secrets(tenant).decrypt(ciphertext, associatedData(tenant, purpose));
        } catch (GeneralSecurityException e) {
            throw new PlatformSecrets.DecryptionFailedException();
        }
    }

    private static byte[] associatedData(TenantId tenant, String purpose) {
        if (purpose == null || purpose.isBlank()) {
            throw new IllegalArgumentException("a purpose is required");
        }
        return ("citadel-tenant-secret-v1|" + tenant.value() + "|" + purpose).getBytes(StandardCharsets.UTF_8);
    }
}
