package dev.citadel.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

import com.google.crypto.tink.Aead;

/**
 * Encrypts the platform's own small secrets (TOTP seeds, token-signing private keys) with the
 * platform "secrets" keyset (Tink AES-256-GCM), which is stored only wrapped by the KEK.
 *
 * <p>Security guarantees: each ciphertext is bound by associated data to its {@code purpose} (for
 * example {@code totp:<user id>}), so a ciphertext copied to another row or purpose fails to
 * decrypt. Decryption failures surface as {@link DecryptionFailedException} with no detail.
 */
public final class PlatformSecrets {

    private final Aead aead;

    PlatformSecrets(Aead aead) {
        this.aead = aead;
    }

    public byte[] encrypt(byte[] plaintext, String purpose) {
        try {
            return aead.encrypt(plaintext, associatedData(purpose));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed", e);
        }
    }

    public byte[] decrypt(byte[] ciphertext, String purpose) {
        try {
            return aead.decrypt(ciphertext, associatedData(purpose));
        } catch (GeneralSecurityException e) {
            throw new DecryptionFailedException();
        }
    }

    private static byte[] associatedData(String purpose) {
        if (purpose == null || purpose.isBlank()) {
            throw new IllegalArgumentException("a purpose is required");
        }
        return ("citadel-platform-secret-v1|" + purpose).getBytes(StandardCharsets.UTF_8);
    }

    /** A ciphertext that does not authenticate: tampered, moved, or wrapped by another key. */
    public static final class DecryptionFailedException extends RuntimeException {
        DecryptionFailedException() {
            super("decryption failed", null, false, false);
        }
    }
}
